// A fresh clone has no out/: the renderer build for the e2e tests must make its folders, not
// wait forever on a lock it could not create (it did: mkdir of out/e2e-renderer.lock failed with
// ENOENT, which was taken for "someone else holds the lock").
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRenderer } from './harness/build-renderer.ts';

describe('buildRenderer', () => {
  let work: string | undefined;
  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('builds into a folder whose parents do not exist yet', async () => {
    work = await mkdtemp(join(tmpdir(), 'e2e-build-'));
    const target = join(work, 'no-out-yet', 'e2e-renderer');
    expect(await buildRenderer(target)).toBe(target);
    expect(await readFile(join(target, 'index.html'), 'utf8')).toContain("script-src 'self'");
    // The lock and the temporary build are gone.
    expect(await readdir(join(work, 'no-out-yet'))).toEqual(['e2e-renderer']);
  }, 180_000);
});
