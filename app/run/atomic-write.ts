// Replace-or-create a file so that a crash or a full disk leaves either the old content or the
// whole new one, never half of it: write a temporary file, fsync it, rename it over the target,
// fsync the directory. The temporary name is random and created exclusively ('wx'): nobody can
// plant a file or symlink for it. Run storage, the desktop's mapping files and main's small
// private files (keys, window state, recent files) all write through here.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { nodeRunFs, type RunFileHandle, type RunFs } from './run-fs.ts';

export async function writeFileAtomic(fs: RunFs, path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  let handle: RunFileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.write(bytes);
    await handle.sync();
    const opened = handle;
    handle = undefined;
    await opened.close();
    await fs.rename(tmp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw error;
  }
  await fs.syncDir(dir);
}

/**
 * A small file only this user can read (0600, `nodeRunFs` creates every file so), in a folder
 * created for this user alone (0700) when it is missing.
 */
export async function writePrivateFileAtomically(path: string, content: string, fs: RunFs = nodeRunFs): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(fs, path, content);
}
