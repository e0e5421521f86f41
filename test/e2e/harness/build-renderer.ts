// Builds the renderer for the e2e tests once, and again only when its sources changed (a hash
// of the inputs is kept beside the build). Test files running in parallel wait on a lock
// directory instead of building twice.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const rendererBuildDir = join(repoRoot, 'out', 'e2e-renderer');
const STAMP = '.inputs-sha256';
const LOCK = `${rendererBuildDir}.lock`;
const STALE_LOCK_MS = 5 * 60_000;

/** What the built page depends on: its sources, the types it imports, the build configuration. */
const INPUTS = ['renderer', 'app/contract.ts', 'app/contract-kit.ts', 'app/desktop/views.ts', 'electron.vite.config.ts', 'test/e2e/harness/vite.renderer.config.ts', 'package-lock.json'];

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

async function builtHash(): Promise<string | null> {
  try {
    return (await readFile(join(rendererBuildDir, STAMP), 'utf8')).trim();
  } catch {
    return null;
  }
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const info = await stat(LOCK).catch(() => null);
      if (info !== null && Date.now() - info.mtimeMs > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

function viteBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'test/e2e/harness/vite.renderer.config.ts'], {
      cwd: repoRoot,
      // NODE_ENV=production: vitest sets 'test', which would make vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production', LEAD_IMPORTER_E2E_OUT: outDir, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build of the renderer failed (exit ${code}):\n${output}`))));
  });
}

/** The folder holding the built page (index.html, assets/), built if missing or stale. */
export async function buildRenderer(): Promise<string> {
  const wanted = await inputsHash();
  if ((await builtHash()) === wanted) return rendererBuildDir;
  return withLock(async () => {
    if ((await builtHash()) === wanted) return rendererBuildDir;
    const temp = `${rendererBuildDir}.tmp-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    await viteBuild(temp);
    await writeFile(join(temp, STAMP), `${wanted}\n`);
    await rm(rendererBuildDir, { recursive: true, force: true });
    await rename(temp, rendererBuildDir);
    return rendererBuildDir;
  });
}
