// Where Lead Importer keeps its runs: --data-dir, else LEAD_IMPORTER_HOME, else the
// platform's per-user application-data folder.
import * as E from 'fp-ts/Either';
import { homedir } from 'node:os';
import { dirname, join, posix, win32 } from 'node:path';
import { describeFsError, errorCode, nodeRunFs, type RunFs } from './run-fs.ts';

export const DATA_DIR_ENV = 'LEAD_IMPORTER_HOME';

export type DataDirSource = 'flag' | 'env' | 'default';

export interface DataDirChoice {
  readonly dir: string;
  /** Where the choice came from, for messages ("set by LEAD_IMPORTER_HOME"). */
  readonly source: DataDirSource;
}

export interface ResolveDataDirInput {
  /** The value of --data-dir. */
  readonly flag?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
  /** Relative --data-dir / LEAD_IMPORTER_HOME values are resolved against it. */
  readonly cwd?: string;
}

const nonEmpty = (value: string | undefined): string | undefined => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);

export function resolveDataDir(input: ResolveDataDirInput = {}): DataDirChoice {
  const env = input.env ?? process.env;
  const platform = input.platform ?? process.platform;
  const path = platform === 'win32' ? win32 : posix;
  const home = input.home ?? homedir();
  const cwd = input.cwd ?? process.cwd();

  // A value from a config file or a quoted shell word keeps its `~`: expand it like a shell.
  const expand = (value: string) => {
    const tilde = /^~(?=$|[\\/])/;
    return path.resolve(cwd, tilde.test(value) ? home + value.slice(1) : value);
  };

  const flag = nonEmpty(input.flag);
  if (flag !== undefined) return { dir: expand(flag), source: 'flag' };
  const fromEnv = nonEmpty(env[DATA_DIR_ENV]);
  if (fromEnv !== undefined) return { dir: expand(fromEnv), source: 'env' };

  switch (platform) {
    case 'win32': {
      const appData = nonEmpty(env.APPDATA);
      return { dir: path.join(appData ?? path.join(home, 'AppData', 'Roaming'), 'Lead Importer'), source: 'default' };
    }
    case 'darwin':
      return { dir: path.join(home, 'Library', 'Application Support', 'Lead Importer'), source: 'default' };
    default: {
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const xdg = nonEmpty(env.XDG_DATA_HOME);
      const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
      return { dir: path.join(base, 'lead-importer'), source: 'default' };
    }
  }
}

export interface DataDirError {
  readonly dir: string;
  readonly message: string;
  readonly cause: unknown;
}

const hint = `Choose another folder with --data-dir or ${DATA_DIR_ENV}.`;

/**
 * A recursive mkdir reports ENOENT for a folder it could not create on a read-only disk (or
 * without permission): making the first missing folder alone tells the real reason.
 */
async function realMkdirError(fs: RunFs, dir: string, error: unknown): Promise<unknown> {
  if (errorCode(error) !== 'ENOENT') return error;
  let missing = dir;
  for (let parent = dirname(missing); parent !== missing; missing = parent, parent = dirname(parent)) {
    const exists = await fs.stat(parent).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    return fs.mkdir(missing).then(
      () => error,
      (real: unknown) => real,
    );
  }
  return error;
}

/** Creates `dir` if needed and proves a file can be written in it. */
export async function ensureWritable(dir: string, options: { readonly fs?: RunFs } = {}): Promise<E.Either<DataDirError, string>> {
  const fs = options.fs ?? nodeRunFs;
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (recursiveError) {
    const error = await realMkdirError(fs, dir, recursiveError);
    const code = errorCode(error);
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way (it is not a folder)' : describeFsError(error);
    return E.left({ dir, cause: error, message: `Cannot create the data folder ${dir}: ${why}. ${hint}` });
  }
  const probePath = join(dir, `.write-test-${process.pid}-${Date.now().toString(36)}`);
  try {
    const handle = await fs.open(probePath, 'wx');
    try {
      await handle.write(new TextEncoder().encode('ok\n'));
    } finally {
      await handle.close();
    }
    await fs.unlink(probePath);
  } catch (error) {
    await fs.unlink(probePath).catch(() => undefined);
    return E.left({ dir, cause: error, message: `Cannot write in the data folder ${dir}: ${describeFsError(error)}. ${hint}` });
  }
  return E.right(dir);
}
