// The `lock` file of a live run: which process holds the run. A lock whose process is gone
// is stale: the run was interrupted (crash, kill, power loss) and may be resumed.
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { IsoTimestamp, PositiveInteger } from './codec-util.ts';
import { errorCode, type RunFs } from './run-fs.ts';

export const LOCK_FILE = 'lock';

export const LockInfo = t.exact(t.type({ pid: PositiveInteger, host: t.string, startedAt: IsoTimestamp }), 'lock');
export type LockInfo = t.TypeOf<typeof LockInfo>;

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly now: () => number;
  readonly isProcessAlive: (pid: number) => boolean;
}

/** `kill(pid, 0)` probes without signalling: ESRCH means gone, EPERM means alive (another user's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/**
 * - `none`: no lock file;
 * - `live`: held by a running process (or by another computer, which we cannot check);
 * - `stale`: the holder is gone, or the file is empty/garbled (a crash while writing it).
 */
export type LockStatus =
  | { readonly status: 'none' }
  | { readonly status: 'live'; readonly lock: LockInfo }
  | { readonly status: 'stale'; readonly lock?: LockInfo };

export async function lockStatus(fs: RunFs, dir: string, owner: LockOwner): Promise<LockStatus> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(join(dir, LOCK_FILE));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { status: 'none' };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { status: 'stale' };
  }
  const decoded = LockInfo.decode(parsed);
  if (E.isLeft(decoded)) return { status: 'stale' };
  const lock = decoded.right;
  if (lock.host !== owner.host) return { status: 'live', lock };
  return owner.isProcessAlive(lock.pid) ? { status: 'live', lock } : { status: 'stale', lock };
}

export type LockRefusal = { readonly holder: LockInfo };

/**
 * Takes the lock of the run in `dir`, replacing a stale one (or any, with `force`).
 * Not crash-critical, so not fsync'd: after a power loss its pid is gone anyway.
 */
export async function acquireLock(fs: RunFs, dir: string, owner: LockOwner, force = false): Promise<E.Either<LockRefusal, LockInfo>> {
  const path = join(dir, LOCK_FILE);
  const lock: LockInfo = { pid: owner.pid, host: owner.host, startedAt: new Date(owner.now()).toISOString() };
  const bytes = new TextEncoder().encode(`${JSON.stringify(LockInfo.encode(lock))}\n`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await fs.open(path, 'wx');
      try {
        await handle.write(bytes);
        await handle.close();
      } catch (error) {
        await handle.close().catch(() => undefined);
        await fs.unlink(path).catch(() => undefined);
        throw error;
      }
      return E.right(lock);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const current = await lockStatus(fs, dir, owner);
    if (current.status === 'live' && !force) return E.left({ holder: current.lock });
    await fs.unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }
  const current = await lockStatus(fs, dir, owner);
  return E.left({ holder: current.status === 'live' ? current.lock : lock });
}

export async function releaseLock(fs: RunFs, dir: string): Promise<void> {
  await fs.unlink(join(dir, LOCK_FILE)).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}
