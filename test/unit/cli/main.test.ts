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

describe('a command’s own flags', () => {
  async function run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      cwd: '/',
    };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  it('prints each command’s own usage for --help / -h, and nothing else', async () => {
    const commands = {
      validate: validateUsage,
      map: mapUsage,
      send: sendUsage,
      resume: resumeUsage,
      status: statusUsage,
      retry: retryUsage,
      runs: runsUsage,
    };
    for (const [command, usage] of Object.entries(commands)) {
      expect(await run([command, '--help'])).toEqual({ code: 0, stdout: `${usage}\n`, stderr: '' });
      expect((await run([command, '-h'])).stdout).toBe(`${usage}\n`);
    }
  });

  it('refuses a flag the command does not know, pointing to --help (exit 2)', async () => {
    for (const command of ['validate', 'map', 'send', 'resume', 'runs']) {
      const { code, stdout, stderr } = await run([command, '--no-such-flag']);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^lead-import: Unknown option '--no-such-flag'.*\nRun "lead-import --help" for usage\.\n$/s);
    }
  });
});
