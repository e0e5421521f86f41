import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../app/cli/io.ts';
import { main } from '../../../app/cli/main.ts';
import { mapUsage } from '../../../app/cli/map-command.ts';
import { resumeUsage, retryUsage, runsUsage, sendUsage, statusUsage } from '../../../app/cli/send-command.ts';
import { validateUsage } from '../../../app/cli/validate-command.ts';

async function helpText(argv: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io: CliIo = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, env: {}, cwd: '/' };
  const code = await main(argv, io);
  return { code, stdout };
}

describe('lead-import --help', () => {
  it("lists every command with the first line of the command's own usage (no copy to drift)", async () => {
    const { code, stdout } = await helpText(['--help']);
    expect(code).toBe(0);
    for (const usage of [validateUsage, mapUsage, sendUsage, resumeUsage, statusUsage, retryUsage, runsUsage]) {
      expect(stdout).toContain(usage.split('\n')[0].replace('Usage: ', '  '));
    }
    expect(stdout).toMatch(/lead-import send FILE .*--api-key-file F/);
  });

  it('prints the same list, as a failure, when no command is given', async () => {
    const { code, stdout } = await helpText([]);
    expect(code).not.toBe(0);
    expect(stdout).toContain(sendUsage.split('\n')[0].replace('Usage: ', '  '));
  });
});
