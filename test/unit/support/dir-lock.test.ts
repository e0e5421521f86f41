import { chmod, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDirLock } from '../../support/dir-lock.ts';

const OPTIONS = { staleMs: 60_000, waitMs: 5_000, pollMs: 10 } as const;

describe('withDirLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dir-lock-'));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('makes the parent folders of the lock first (a fresh checkout has no out/)', async () => {
    const lock = join(dir, 'out', 'deeper', 'e2e-renderer.lock');
    const result = await withDirLock(lock, OPTIONS, async () => {
      expect((await readdir(join(dir, 'out', 'deeper'))).includes('e2e-renderer.lock')).toBe(true);
      return 42;
    });
    expect(result).toBe(42);
    expect(await readdir(join(dir, 'out', 'deeper'))).toEqual([]);
  });

  it('runs one holder at a time and releases on failure', async () => {
    const lock = join(dir, 'x.lock');
    const order: string[] = [];
    const slow = withDirLock(lock, OPTIONS, async () => {
      order.push('a-start');
      await new Promise((r) => setTimeout(r, 50));
      order.push('a-end');
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = withDirLock(lock, OPTIONS, async () => {
      order.push('b');
      throw new Error('boom');
    });
    await slow;
    await expect(second).rejects.toThrow('boom');
    expect(order).toEqual(['a-start', 'a-end', 'b']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock left by a killed process', async () => {
    const lock = join(dir, 'stale.lock');
    await mkdir(lock);
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    expect(await withDirLock(lock, OPTIONS, () => Promise.resolve('taken'))).toBe('taken');
  });

  it('throws an error that is not "the lock exists" instead of waiting on it', async () => {
    // A file where the parent folder should be: ENOTDIR, not a held lock.
    await writeFile(join(dir, 'not-a-folder'), 'x');
    await expect(withDirLock(join(dir, 'not-a-folder', 'x.lock'), OPTIONS, () => Promise.resolve(1))).rejects.toThrow(/EEXIST|ENOTDIR/);
  });

  it('gives up after waitMs with a message naming the lock', async () => {
    const lock = join(dir, 'held.lock');
    await mkdir(lock);
    await expect(withDirLock(lock, { staleMs: 60_000, waitMs: 50, pollMs: 10 }, () => Promise.resolve(1))).rejects.toThrow(/held\.lock/);
  });
});
