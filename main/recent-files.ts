// The files opened lately, most recent first: on the Start screen, in File › Open Recent and in
// the OS's own list (app.addRecentDocument: the Dock and Jump Lists). Kept in userData as a
// small JSON file written atomically; a file that cannot be read back is no list, not an error.
import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { writePrivateFileAtomically } from '../app/run/atomic-write.ts';

export const RECENT_FILES_FILE = 'recent-files.json';
export const MAX_RECENT_FILES = 8;

const Stored = t.type({ version: t.literal(1), paths: t.array(t.string) });

export interface RecentFiles {
  /** Reads the saved list (once, at start-up). */
  load(): Promise<void>;
  list(): readonly string[];
  has(path: string): boolean;
  /** Puts `path` first (once) and saves; the OS hears of it too. */
  add(path: string): void;
  /** Settles when every change so far is on disk. */
  saved(): Promise<void>;
}

export interface RecentFilesDeps {
  /** userData/recent-files.json */
  readonly file: string;
  /** app.addRecentDocument */
  readonly addRecentDocument: (path: string) => void;
  /** The list changed (the menu is rebuilt). */
  readonly onChange: (paths: readonly string[]) => void;
  readonly onError?: (e: unknown) => void;
}

export function createRecentFiles(deps: RecentFilesDeps): RecentFiles {
  let paths: readonly string[] = [];
  let chain: Promise<void> = Promise.resolve();
  return {
    async load() {
      try {
        const decoded = Stored.decode(JSON.parse(await readFile(deps.file, 'utf8')));
        if (E.isRight(decoded)) paths = decoded.right.paths.slice(0, MAX_RECENT_FILES);
      } catch {
        paths = [];
      }
    },
    list: () => paths,
    has: (path) => paths.includes(path),
    add(path) {
      paths = [path, ...paths.filter((p) => p !== path)].slice(0, MAX_RECENT_FILES);
      deps.addRecentDocument(path);
      deps.onChange(paths);
      const content = `${JSON.stringify({ version: 1, paths })}\n`;
      chain = chain.then(() => writePrivateFileAtomically(deps.file, content)).catch(deps.onError ?? (() => undefined));
    },
    saved: () => chain,
  };
}
