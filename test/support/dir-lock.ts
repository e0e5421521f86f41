// A lock folder shared by test processes that must not do the same work at once (two vitest
// workers building the renderer, unpacking the browser, building out/). `mkdir` is atomic: the
// one that creates the folder holds the lock. Only EEXIST means "someone else holds it"; any
// other error (a missing parent, no permission, a read-only disk) is thrown, never waited on.
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface DirLockOptions {
  /** A lock older than this was left by a killed process and is taken over. */
  readonly staleMs: number;
  /** Give up waiting after this long. */
  readonly waitMs: number;
  readonly pollMs?: number;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export async function withDirLock<T>(lock: string, options: DirLockOptions, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lock), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const info = await stat(lock).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return null; // released meanwhile: try again at once
      throw error;
    });
    if (info === null) continue;
    if (Date.now() - info.mtimeMs > options.staleMs) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > options.waitMs)
      throw new Error(`waited ${Math.round(options.waitMs / 1000)} s for the lock ${lock}, held by another process`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
