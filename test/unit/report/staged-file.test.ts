// A report is staged under a temporary name beside its target. Another local user who can
// write in that folder must not be able to plant a symlink there and have the report (lead
// data) written through it, or have a file of theirs renamed over the target.
import { afterEach, describe, expect, it } from 'vitest';
import { lstat, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCsvFileWriter } from '../../../app/report/csv-file-writer.ts';
import { openXlsxErrorReport } from '../../../app/report/xlsx-error-report.ts';
import { createStagedFile } from '../../../app/report/staged-file.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scene(): Promise<{ dir: string; victim: string; target: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'lead-import-staged-'));
  dirs.push(dir);
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, 'precious\n');
  return { dir, victim, target: join(dir, 'report.csv') };
}

describe.skipIf(process.platform === 'win32')('staged report files and planted symlinks', () => {
  it('a CSV report never writes through a symlink planted at the old predictable temporary name', async () => {
    const { dir, victim, target } = await scene();
    const planted = join(dir, `.report.csv.${process.pid}.partial`);
    await symlink(victim, planted);
    const writer = await openCsvFileWriter(target, ['lead_id']);
    await writer.writeRow(['lead-1']);
    await writer.commit();
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await lstat(target)).isSymbolicLink()).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('\uFEFF"lead_id"\r\n"lead-1"\r\n');
    expect(await readlink(planted)).toBe(victim);
  });

  it('nor does a workbook report', async () => {
    const { dir, victim } = await scene();
    const target = join(dir, 'report.xlsx');
    await symlink(victim, join(dir, `.report.xlsx.${process.pid}.partial`));
    const writer = await openXlsxErrorReport(target, ['Lead ID']);
    await writer.commit();
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await lstat(target)).isSymbolicLink()).toBe(false);
    expect((await readFile(target)).subarray(0, 2).toString()).toBe('PK');
  });

  it('a symlink at a correctly guessed temporary name is not followed: another name is drawn', async () => {
    const { dir, victim, target } = await scene();
    const guessed = join(dir, '.report.csv.guessed.partial');
    await symlink(victim, guessed);
    const suffixes = ['guessed', 'fresh'];
    const { staged, handle } = await createStagedFile(target, { suffix: () => suffixes.shift() ?? 'spare' });
    expect(staged.temporary).toBe(join(dir, '.report.csv.fresh.partial'));
    await handle.write('new report');
    await staged.commit(
      () => handle.close(),
      () => handle.close(),
    );
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect(await readFile(target, 'utf8')).toBe('new report');
    expect(await readlink(guessed)).toBe(victim);
  });

  it('gives up with a clear error when every name drawn is taken, touching nothing', async () => {
    const { dir, victim, target } = await scene();
    await symlink(victim, join(dir, '.report.csv.same.partial'));
    await expect(createStagedFile(target, { suffix: () => 'same' })).rejects.toThrow(/Cannot write the report .*report\.csv/);
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await readdir(dir)).sort()).toEqual(['.report.csv.same.partial', 'victim.txt']);
  });

  it('the default temporary name is unpredictable', async () => {
    const { target } = await scene();
    const first = await createStagedFile(target);
    const second = await createStagedFile(target);
    expect(first.staged.temporary).not.toBe(second.staged.temporary);
    expect(first.staged.temporary).not.toContain(String(process.pid));
    await first.staged.abort(() => first.handle.close());
    await second.staged.abort(() => second.handle.close());
  });
});
