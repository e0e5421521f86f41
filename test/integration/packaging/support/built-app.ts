// The built app (out/) for the tests that read what ships: built here when it is missing or
// older than its sources, so no test depends on someone having run `npm run build` first.
// Several test files ask at once (two vitest workers): a lock folder makes one build and the
// others wait for it (test/support/dir-lock.ts), then find out/ fresh.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withDirLock } from '../../../support/dir-lock.ts';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const OUT = join(ROOT, 'out');

/** What `npm run build` writes and the app loads (main/bundle.ts names the last two). */
export const BUILD_OUTPUTS: readonly string[] = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
/** Everything a build reads. */
const BUILD_INPUTS: readonly string[] = [
  'main',
  'app',
  'renderer',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.web.json',
];

const LOCK = join(ROOT, 'node_modules', '.cache', 'lead-importer', 'build.lock');
const LOCK_OPTIONS = { staleMs: 3 * 60_000, waitMs: 4 * 60_000 } as const;

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The oldest output's mtime, or null when one is missing. */
function oldestOutput(): number | null {
  let oldest = Infinity;
  for (const output of BUILD_OUTPUTS) {
    try {
      oldest = Math.min(oldest, statSync(join(ROOT, output)).mtimeMs);
    } catch {
      return null;
    }
  }
  return oldest;
}

export function isBuildFresh(): boolean {
  const oldest = oldestOutput();
  if (oldest === null) return false;
  return BUILD_INPUTS.every((input) => newestMtime(join(ROOT, input)) <= oldest);
}

function electronViteCli(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('electron-vite/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(pkgPath), pkg.bin['electron-vite']);
}

/** Builds out/ (`electron-vite build`, what `npm run build` runs) unless it is up to date. */
export async function ensureBuilt(): Promise<{ readonly rebuilt: boolean }> {
  if (isBuildFresh()) return { rebuilt: false };
  return withDirLock(LOCK, LOCK_OPTIONS, async () => {
    if (isBuildFresh()) return { rebuilt: false }; // another worker built it while we waited
    try {
      await run(process.execPath, [electronViteCli(), 'build', '--logLevel', 'warn'], {
        cwd: ROOT,
        timeout: 180_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (e) {
      const { stdout, stderr } = e as { stdout?: string; stderr?: string };
      throw new Error(`electron-vite build failed:\n${stderr ?? ''}${stdout ?? ''}`);
    }
    return { rebuilt: true };
  });
}
