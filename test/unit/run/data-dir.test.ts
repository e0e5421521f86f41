import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWritable, resolveDataDir } from '../../../app/run/data-dir.ts';
import { nodeRunFs, type RunFs } from '../../../app/run/run-fs.ts';
import { fsError, recordingFs } from './fs-doubles.ts';

describe('resolveDataDir', () => {
  const linux = { platform: 'linux' as const, home: '/home/pat', cwd: '/work' };

  it('prefers --data-dir, then LEAD_IMPORTER_HOME', () => {
    const env = { LEAD_IMPORTER_HOME: '/srv/importer', XDG_DATA_HOME: '/xdg' };
    expect(resolveDataDir({ ...linux, env, flag: '/mnt/runs' })).toEqual({ dir: '/mnt/runs', source: 'flag' });
    expect(resolveDataDir({ ...linux, env })).toEqual({ dir: '/srv/importer', source: 'env' });
  });

  it('resolves relative values against the working folder and expands ~', () => {
    expect(resolveDataDir({ ...linux, env: {}, flag: 'runs' }).dir).toBe('/work/runs');
    expect(resolveDataDir({ ...linux, env: { LEAD_IMPORTER_HOME: '~/importer' } }).dir).toBe('/home/pat/importer');
    expect(resolveDataDir({ ...linux, env: {}, flag: '~' }).dir).toBe('/home/pat');
    expect(resolveDataDir({ ...linux, env: {}, flag: '~bob/x' }).dir).toBe('/work/~bob/x'); // only our own ~
  });

  it('ignores empty values', () => {
    expect(resolveDataDir({ ...linux, env: { LEAD_IMPORTER_HOME: '  ' }, flag: '' })).toEqual({
      dir: '/home/pat/.local/share/lead-importer',
      source: 'default',
    });
  });

  it('Linux: $XDG_DATA_HOME/lead-importer, else ~/.local/share/lead-importer; a relative XDG_DATA_HOME is ignored', () => {
    expect(resolveDataDir({ ...linux, env: { XDG_DATA_HOME: '/data/pat' } }).dir).toBe('/data/pat/lead-importer');
    expect(resolveDataDir({ ...linux, env: {} }).dir).toBe('/home/pat/.local/share/lead-importer');
    expect(resolveDataDir({ ...linux, env: { XDG_DATA_HOME: 'relative/dir' } }).dir).toBe('/home/pat/.local/share/lead-importer');
  });

  it('macOS: ~/Library/Application Support/Lead Importer', () => {
    expect(resolveDataDir({ platform: 'darwin', home: '/Users/pat', env: { XDG_DATA_HOME: '/ignored' } })).toEqual({
      dir: '/Users/pat/Library/Application Support/Lead Importer',
      source: 'default',
    });
  });

  it('Windows: %APPDATA%\\Lead Importer, else the roaming folder under the profile', () => {
    const home = 'C:\\Users\\pat';
    expect(resolveDataDir({ platform: 'win32', home, env: { APPDATA: 'C:\\Users\\pat\\AppData\\Roaming' } }).dir).toBe(
      'C:\\Users\\pat\\AppData\\Roaming\\Lead Importer',
    );
    expect(resolveDataDir({ platform: 'win32', home, env: {} }).dir).toBe('C:\\Users\\pat\\AppData\\Roaming\\Lead Importer');
    expect(resolveDataDir({ platform: 'win32', home, cwd: 'D:\\work', env: {}, flag: 'runs' }).dir).toBe('D:\\work\\runs');
    expect(resolveDataDir({ platform: 'win32', home, cwd: 'D:\\work', env: { LEAD_IMPORTER_HOME: '~\\importer' } }).dir).toBe(
      'C:\\Users\\pat\\importer',
    );
  });

  it('defaults to the real environment', () => {
    const { dir, source } = resolveDataDir({ env: { LEAD_IMPORTER_HOME: '/tmp/li-home' } });
    expect([dir, source]).toEqual(['/tmp/li-home', 'env']);
    expect(resolveDataDir().dir.length).toBeGreaterThan(1);
  });
});

describe('ensureWritable', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'data-dir-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates the folder (with its parents) and leaves no probe file behind', async () => {
    const dir = join(root, 'a', 'b', 'lead-importer');
    expect(await ensureWritable(dir)).toEqual(E.right(dir));
    expect((await stat(dir)).isDirectory()).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the folder when a file is in the way', async () => {
    const dir = join(root, 'taken');
    await writeFile(dir, 'not a folder');
    const result = await ensureWritable(dir);
    expect(E.isLeft(result) && result.left.message).toBe(
      `Cannot create the data folder ${dir}: a file is in the way (it is not a folder). Choose another folder with --data-dir or LEAD_IMPORTER_HOME.`,
    );
  });

  it('names the folder when it cannot be created', async () => {
    const { fs } = recordingFs(nodeRunFs, { inject: (op) => (op.op === 'mkdir' ? { error: fsError('EACCES', op.path) } : undefined) });
    const dir = join(root, 'locked');
    const result = await ensureWritable(dir, { fs });
    expect(E.isLeft(result) && result.left.message).toBe(
      `Cannot create the data folder ${dir}: permission denied (EACCES). Choose another folder with --data-dir or LEAD_IMPORTER_HOME.`,
    );
  });

  it('tells the real reason when a recursive mkdir says only ENOENT (a read-only disk)', async () => {
    const dir = join(root, 'a', 'b');
    const made: string[] = [];
    const fs: RunFs = {
      ...nodeRunFs,
      mkdir: async (path, options) => {
        made.push(`${path}${options?.recursive === true ? ' (recursive)' : ''}`);
        throw fsError(options?.recursive === true ? 'ENOENT' : 'EROFS', path);
      },
    };
    const result = await ensureWritable(dir, { fs });
    expect(E.isLeft(result) && result.left.message).toBe(
      `Cannot create the data folder ${dir}: the file system is read-only (EROFS). Choose another folder with --data-dir or LEAD_IMPORTER_HOME.`,
    );
    expect(made).toEqual([`${dir} (recursive)`, join(root, 'a')]);
  });

  it.each([
    ['open', 'EACCES', 'permission denied (EACCES)'],
    ['open', 'EROFS', 'the file system is read-only (EROFS)'],
    ['write', 'ENOSPC', 'the disk is full (ENOSPC)'],
  ] as const)('names the folder when %s fails with %s, and cleans up', async (opName, code, cause) => {
    const { fs } = recordingFs(nodeRunFs, { inject: (op) => (op.op === opName ? { error: fsError(code, op.path) } : undefined) });
    const result = await ensureWritable(root, { fs });
    expect(E.isLeft(result) && result.left.message).toBe(
      `Cannot write in the data folder ${root}: ${cause}. Choose another folder with --data-dir or LEAD_IMPORTER_HOME.`,
    );
    expect(await readdir(root)).toEqual([]);
  });
});
