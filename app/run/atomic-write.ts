// Replace-or-create a file so that a crash leaves either nothing or the whole new content:
// write a temporary file, fsync it, rename it over the target, fsync the directory.
// The temporary name is random and created exclusively: nobody can plant a file or symlink for it.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { RunFileHandle, RunFs } from './run-fs.ts';

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
