// Builds the renderer for the e2e tests once, and again only when its sources changed (a hash
// of the inputs is kept beside the build). Test files running in parallel wait on a lock
// directory (test/support/dir-lock.ts) instead of building twice.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDirLock } from '../../support/dir-lock.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const rendererBuildDir = join(repoRoot, 'out', 'e2e-renderer');
const STAMP = '.inputs-sha256';
const LOCK_OPTIONS = { staleMs: 5 * 60_000, waitMs: 6 * 60_000 } as const;

/** What the built page depends on: its sources, the types it imports, the build configuration. */
const INPUTS = [
  'renderer',
  'README.md',
  'app/shared',
  'electron.vite.config.ts',
  'test/e2e/harness/vite.renderer.config.ts',
  'package-lock.json',
];

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => filesUnder(join(path, e.name))));
  return nested.flat();
}

async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(INPUTS.map((p) => filesUnder(join(repoRoot, p))))).flat().sort();
  for (const file of files) {
    hash.update(relative(repoRoot, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

async function builtHash(buildDir: string): Promise<string | null> {
  try {
    return (await readFile(join(buildDir, STAMP), 'utf8')).trim();
  } catch {
    return null;
  }
}

function viteBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'test/e2e/harness/vite.renderer.config.ts'],
      {
        cwd: repoRoot,
        // NODE_ENV=production: vitest sets 'test', which would make vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production', LEAD_IMPORTER_E2E_OUT: outDir, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build of the renderer failed (exit ${code}):\n${output}`)),
    );
  });
}

/**
 * The folder holding the built page (index.html, assets/), built if missing or stale. The
 * folder is `out/e2e-renderer` unless a test names another (its parents need not exist).
 */
export async function buildRenderer(buildDir: string = rendererBuildDir): Promise<string> {
  const wanted = await inputsHash();
  if ((await builtHash(buildDir)) === wanted) return buildDir;
  return withDirLock(`${buildDir}.lock`, LOCK_OPTIONS, async () => {
    if ((await builtHash(buildDir)) === wanted) return buildDir;
    const temp = `${buildDir}.tmp-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    await viteBuild(temp);
    await writeFile(join(temp, STAMP), `${wanted}\n`);
    await rm(buildDir, { recursive: true, force: true });
    await rename(temp, buildDir);
    return buildDir;
  });
}
