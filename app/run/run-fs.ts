// The few file-system operations run storage needs, as an interface so tests can inject a
// full disk, a read-only folder or a crash between write and fsync. `nodeRunFs` is the real
// thing over node:fs/promises. Run files hold lead data and may live outside any per-user
// protected folder (LEAD_IMPORTER_HOME, --data-dir): every folder it creates is 0700 and every
// file 0600, so no other user of the machine can list or read them.
import { open as fsOpen, readFile, rename, mkdir, readdir, stat, truncate, unlink, rmdir } from 'node:fs/promises';

/** `r` read; `a+` read and append, created if missing; `wx` write, must not exist yet. */
export type OpenFlags = 'r' | 'a+' | 'wx';

export interface RunFileHandle {
  /** Writes every byte (appends for `a+`), looping over short writes. */
  write(data: Uint8Array): Promise<void>;
  /** Up to `length` bytes from `position` (fewer at the end of the file). */
  read(position: number, length: number): Promise<Uint8Array>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface RunFs {
  open(path: string, flags: OpenFlags): Promise<RunFileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  /** Without `recursive`, fails with EEXIST when the directory exists (used to claim a run id). */
  mkdir(path: string, options?: { readonly recursive?: boolean }): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ readonly size: number; readonly isDirectory: boolean }>;
  truncate(path: string, length: number): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** Makes a directory's entries (files created, renamed or removed in it) durable. */
  syncDir(path: string): Promise<void>;
}

/** The error code of a node:fs error (`ENOENT`, `ENOSPC`…), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const causes: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EIO: 'input/output error (failing disk or disconnected drive)',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
};

/** "the disk is full (ENOSPC)": a cause a user can act on, with the code for support. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined) return `${causes[code] ?? (error instanceof Error ? error.message : 'error')} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

// Platforms that cannot open or fsync a directory (Windows, some network file systems)
// answer with one of these; there is nothing more to make durable there.
const dirSyncUnsupported = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Folders and files created by run storage: for this user alone (the umask can only narrow them). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export const nodeRunFs: RunFs = {
  async open(path, flags) {
    const handle = await fsOpen(path, flags, PRIVATE_FILE_MODE);
    return {
      async write(data) {
        let offset = 0;
        while (offset < data.length) {
          const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
          offset += bytesWritten;
        }
      },
      async read(position, length) {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        return buffer.subarray(0, bytesRead);
      },
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      size: async () => (await handle.stat()).size,
      close: () => handle.close(),
    };
  },
  readFile: (path) => readFile(path),
  rename: (from, to) => rename(from, to),
  async mkdir(path, options) {
    await mkdir(path, { recursive: options?.recursive === true, mode: PRIVATE_DIR_MODE });
  },
  readdir: (path) => readdir(path),
  async stat(path) {
    const s = await stat(path);
    return { size: s.size, isDirectory: s.isDirectory() };
  },
  truncate: (path, length) => truncate(path, length),
  unlink: (path) => unlink(path),
  rmdir: (path) => rmdir(path),
  async syncDir(path) {
    let handle;
    try {
      handle = await fsOpen(path, 'r');
      await handle.sync();
    } catch (error) {
      const code = errorCode(error);
      if (code === undefined || !dirSyncUnsupported.has(code)) throw error;
    } finally {
      await handle?.close();
    }
  },
};
