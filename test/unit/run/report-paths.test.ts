import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkReportPaths, reportTargets } from '../../../app/run/report-paths.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-paths-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const messageOf = (result: E.Either<string, void>): string => (E.isLeft(result) ? result.left : 'accepted');

describe('checkReportPaths', () => {
  it('accepts a new file in an existing folder and an existing file, and leaves no probe behind', async () => {
    await writeFile(join(dir, 'old.csv'), 'x');
    const result = await checkReportPaths(reportTargets({ resultsPath: join(dir, 'new.csv'), errorsPath: join(dir, 'old.csv') }));
    expect(E.isRight(result)).toBe(true);
    expect(await readdir(dir)).toEqual(['old.csv']);
  });

  it('refuses a folder, naming the path and what the file is', async () => {
    await mkdir(join(dir, 'results.csv'));
    expect(messageOf(await checkReportPaths(reportTargets({ resultsPath: join(dir, 'results.csv') })))).toBe(
      `Cannot write the results file ${join(dir, 'results.csv')}: it is a folder. Nothing was sent; choose another path.`,
    );
  });

  it('refuses a missing folder and a file where the folder should be', async () => {
    const missing = join(dir, 'missing', 'errors.csv');
    expect(messageOf(await checkReportPaths(reportTargets({ errorsPath: missing })))).toContain(
      `error report ${missing}: the folder ${join(dir, 'missing')} does not exist`,
    );
    await writeFile(join(dir, 'file'), 'x');
    const under = join(dir, 'file', 'errors.csv');
    expect(messageOf(await checkReportPaths(reportTargets({ errorsPath: under })))).toMatch(/not a folder/);
  });

  it('refuses a folder it may not write in', async (context) => {
    if (process.getuid?.() === 0)
      context.skip('root writes in any folder: the CLI scenario (test/reliability/disk) meets this as an unprivileged user');
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o555 });
    expect(messageOf(await checkReportPaths(reportTargets({ resultsPath: join(locked, 'r.csv') })))).toMatch(/EACCES/);
  });

  it('checks nothing when no report was asked for', async () => {
    expect(reportTargets({})).toEqual([]);
    expect(E.isRight(await checkReportPaths([]))).toBe(true);
  });
});
