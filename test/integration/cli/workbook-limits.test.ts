// --max-workbook-mb: a zip bomb is refused by the real CLI with the way past the limit, and the
// flag raises the size limits (not the ratio, which no genuine workbook comes near).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStringsBomb } from '../../fixtures/workbook-bombs.ts';
import { fixture, runCli, spawnCli } from './cli-harness.ts';

let dir: string;
let bomb: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-import-bombs-'));
  bomb = join(dir, 'bomb.xlsx');
  await writeFile(bomb, sharedStringsBomb(400));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lead-import and workbooks too large to read safely', () => {
  it('refuses a shared-strings bomb: exit 2, the file, the limit and the way past it, no stack trace', async () => {
    const result = await spawnCli(['validate', bomb, '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.message).toBe(
      `"${bomb}" is too large to open safely: its shared strings (xl/sharedStrings.xml) expand to 400 MB, more than the 256 MB allowed. ` +
        'If the workbook is genuine, open it in Excel and save the sheet as CSV (CSV files are read without this limit), ' +
        'or on the command line raise the limit with --max-workbook-mb 1761.',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--max-workbook-mb raises the size limits; the ratio still refuses the bomb', async () => {
    const result = await runCli(['map', bomb, '--max-workbook-mb', '2048']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`"${bomb}" is refused: its part xl/sharedStrings.xml expands`);
  });

  it('--max-workbook-mb takes a number of megabytes above 0', async () => {
    for (const bad of ['0', 'lots', '12MB']) {
      const result = await runCli(['validate', fixture('leads/mixed.csv'), '--max-workbook-mb', bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--max-workbook-mb '${bad}' is not a number of megabytes above 0`);
    }
  });
});
