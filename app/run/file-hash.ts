// The identity of the source file a run reads: sha256 and size, computed streaming (files
// can be hundreds of MB). A run resumes only against the very same bytes.
import * as E from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { describeFsError, errorCode } from './run-fs.ts';
import type { RunFileInfo } from './run-header.ts';

export interface FileDigest {
  readonly sha256: string;
  readonly size: number;
}

/** Reads the file in 1 MB chunks; only one chunk is in memory at a time. Rejects with the fs error. */
export async function hashFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The digest of a file from the bytes another reader reads (a new run's check, so the file is
 * not read once more to hash it). The bytes must come in order from the file's start; the digest
 * is the same sha256 and size `hashFile` gives, and there is none unless the reader saw every
 * byte of the file as it is now (it stopped early, or read a workbook's parts): hash it then.
 */
export class DigestOfRead {
  private readonly hash = createHash('sha256');
  private seen = 0;
  private inOrder = true;

  /** Takes the next bytes read (a RowsWatch's `bytes`). */
  readonly bytes = (bytes: Uint8Array, at: number): void => {
    if (!this.inOrder) return;
    if (at !== this.seen) {
      this.inOrder = false;
      return;
    }
    this.hash.update(bytes);
    this.seen += bytes.length;
  };

  /** Once the read has ended: the digest, or undefined if it did not cover the whole file. Call once. */
  async digest(path: string): Promise<FileDigest | undefined> {
    if (!this.inOrder || this.seen === 0) return undefined;
    const { size } = await stat(path);
    return size === this.seen ? { sha256: this.hash.digest('hex'), size } : undefined;
  }
}

export interface FileCheckError {
  readonly kind: 'changed' | 'missing' | 'unreadable';
  readonly message: string;
}

/**
 * Confirms the run's file still holds the bytes the run started from. `path` checks a copy
 * elsewhere (the file was moved) instead of `file.path`.
 */
export async function checkUnchanged(
  file: Pick<RunFileInfo, 'path' | 'sha256' | 'size'>,
  runId: string,
  options: { readonly path?: string } = {},
): Promise<E.Either<FileCheckError, FileDigest>> {
  const path = options.path ?? file.path;
  const refused = 'resume refused; start a new run';
  let digest: FileDigest;
  try {
    // A different size settles it without reading the whole file.
    const { size } = await stat(path);
    if (size !== file.size) {
      return E.left({
        kind: 'changed',
        message: `${path} changed since run ${runId} started (size differs: ${file.size} bytes then, ${size} now): ${refused}.`,
      });
    }
    digest = await hashFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      return E.left({
        kind: 'missing',
        message: `${path}, the file of run ${runId}, is missing: ${refused}, or point to where it is now.`,
      });
    return E.left({ kind: 'unreadable', message: `Cannot read ${path}, the file of run ${runId}: ${describeFsError(error)}.` });
  }
  if (digest.size !== file.size || digest.sha256 !== file.sha256) {
    const what =
      digest.size !== file.size
        ? `size differs: ${file.size} bytes then, ${digest.size} now`
        : 'same size, but sha256 differs: the content was edited';
    return E.left({ kind: 'changed', message: `${path} changed since run ${runId} started (${what}): ${refused}.` });
  }
  return E.right(digest);
}
