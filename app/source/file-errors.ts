import type { FileError, FileErrorCode } from './types.ts';

// Every message starts from the file's name so the CLI and the UI can show it as is.

export function fileError(code: FileErrorCode, path: string, problem: string): FileError {
  return { code, message: `"${path}" ${problem}` };
}

/** Why a file could not be opened or read, in words (Windows reports a file Excel holds open as EBUSY). */
export function unreadable(path: string, cause: unknown): FileError {
  const code = errorCode(cause);
  switch (code) {
    case 'ENOENT':
      return fileError('unreadable', path, 'cannot be read: there is no such file.');
    case 'EISDIR':
      return fileError('unreadable', path, 'cannot be read: it is a folder, not a file.');
    case 'EACCES':
    case 'EPERM':
      return fileError('unreadable', path, 'cannot be read: permission denied.');
    case 'EBUSY':
      return fileError('unreadable', path, 'cannot be read: another program holds it open (is it open in Excel?). Close it and try again.');
    default: {
      const detail = cause instanceof Error ? cause.message : String(cause);
      return fileError('unreadable', path, `cannot be read: ${detail}`);
    }
  }
}

/**
 * Thrown by `rows()` when the file fails while its rows are being streamed (deleted, locked,
 * damaged after it was opened): iteration cannot return an Either, so the FileError rides along.
 */
export class SourceReadError extends Error {
  readonly fileError: FileError;

  constructor(fileError: FileError, options?: { cause?: unknown }) {
    super(fileError.message, options);
    this.name = 'SourceReadError';
    this.fileError = fileError;
  }
}

function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null || !('code' in cause)) return undefined;
  return typeof cause.code === 'string' ? cause.code : undefined;
}
