// Small tmpfs mounts: a disk that fills up, a folder on a read-only file system. Needs root
// (or CAP_SYS_ADMIN); `mountsUnavailable()` says why not when they cannot be made here.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (args: readonly string[]): void => {
  execFileSync('mount', [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
};

export async function mountTmpfs(dir: string, options: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  run(['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

export function remount(dir: string, options: string): void {
  run(['-o', `remount,${options}`, dir]);
}

/** Unmounts `dir` (lazily if it is busy); nothing happens when nothing is mounted there. */
export function unmount(dir: string): void {
  for (const args of [[dir], ['-l', dir]]) {
    try {
      execFileSync('umount', args, { stdio: 'ignore' });
      return;
    } catch {
      // not mounted, or busy: try the next way
    }
  }
}

let probed: Promise<string | undefined> | undefined;

/** Why tmpfs mounts cannot be used here, or undefined when they can. */
export function mountsUnavailable(): Promise<string | undefined> {
  probed ??= (async () => {
    if (process.platform !== 'linux') return `tmpfs mounts need Linux (this is ${process.platform})`;
    const dir = await mkdtemp(join(tmpdir(), 'lead-import-rel-mount-'));
    try {
      await mountTmpfs(dir, 'size=64k');
      unmount(dir);
      return undefined;
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      return `cannot mount a tmpfs here (${stderr || (error instanceof Error ? error.message : String(error))}); run as root or with CAP_SYS_ADMIN`;
    } finally {
      await rmdir(dir).catch(() => undefined);
    }
  })();
  return probed;
}

/** Mounts a tmpfs at `dir` for the length of `body`, unmounting whatever happens. */
export async function withTmpfs<T>(dir: string, options: string, body: () => Promise<T>): Promise<T> {
  await mountTmpfs(dir, options);
  try {
    return await body();
  } finally {
    unmount(dir);
  }
}
