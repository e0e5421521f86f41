// Which files main reads and writes for the page. The page names files by path, but a path is
// only honoured when the user designated it: for reading, one an open dialog returned, one given
// from outside (command line, a second instance, macOS open-file) or one the preload read from a
// real drop; for writing, one a save dialog returned. The contract declares which requests carry
// such a path (`files` in app/shared/contract.ts); main/ipc.ts calls `check` before their handler runs.
// A compromised page can then read back nothing but what the user opened, and learns nothing
// about other paths: they are refused before anything touches the disk (no existence oracle).
// Why paths and not opaque handles: the page already shows the paths of the files the user
// works on (ImportOverview, reports, History), and the service, the CLI and the journals all
// speak paths; a permission keyed by the exact path main handed out grants the same files a
// handle would, without a second naming scheme to keep in step.
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import { BridgeError, type FileUse } from '../app/shared/contract-kit.ts';

/** Where a path to read came from. Only a dialog's choice may be a network or device path. */
export type ReadSource = 'dialog' | 'outside' | 'drop';

export interface FileAccess {
  /** The user designated `path` for reading. Outside a dialog, network and device paths are not recorded. */
  allowReading(path: string, source: ReadSource): void;
  /** The user chose `path` in a save dialog. */
  allowWriting(path: string): void;
  /** main/ipc.ts, before a handler sees a path the contract marks: throws a BridgeError to refuse. */
  check(use: FileUse, path: string): Promise<void>;
}

/**
 * `\\server\share\…`, `\\?\…`, `\\.\…` and their `//` spellings: opening one makes Windows
 * contact a host (SMB, sending the user's credentials) or a device. Only the user's own choice in
 * a dialog may name one.
 */
export function isNetworkOrDevicePath(path: string): boolean {
  return /^[\\/]{2}/.test(path);
}

const NOT_CHOSEN_FOR_READING =
  'Lead Importer reads only the files you choose: open it with Open…, drop it on the window, or open it with Lead Importer.';
const NETWORK_NOT_CHOSEN = 'Lead Importer opens files on a network share or device paths only from the Open dialog: choose it there.';
const NOT_CHOSEN_FOR_WRITING = 'Lead Importer saves files only where you choose: pick the place in the save dialog first.';

function kindOf(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export interface FileAccessOptions {
  /** Injected for tests; node's `fs.promises.stat` (follows links: a link to a file is that file). */
  readonly stat?: (path: string) => Promise<Stats>;
}

export function createFileAccess(options: FileAccessOptions = {}): FileAccess {
  const statOf = options.stat ?? ((path: string) => stat(path));
  const readable = new Set<string>();
  const writable = new Set<string>();

  /**
   * Opening a folder fails, but opening a FIFO or a device blocks a thread of main's pool (or
   * reads forever): refuse anything but a regular file, by name. A path that does not exist
   * (any more) is left to the handler, which says so: it was the user's own choice.
   */
  async function mustBeRegularFile(path: string): Promise<void> {
    let info: Stats;
    try {
      info = await statOf(path);
    } catch {
      return;
    }
    const kind = kindOf(info);
    if (kind !== null) throw new BridgeError('bad_argument', `${path} is ${kind}, not a file.`);
  }

  function grantReading(path: string, source: ReadSource): boolean {
    if (source !== 'dialog' && isNetworkOrDevicePath(path)) return false;
    readable.add(path);
    // The service reads resolve(path) and shows the page that form (to open the file again with
    // other options): the same file, so the same permission.
    readable.add(resolve(path));
    return true;
  }

  return {
    allowReading(path, source) {
      grantReading(path, source);
    },
    allowWriting(path) {
      writable.add(path);
    },
    async check(use, path) {
      switch (use) {
        case 'write':
          if (!writable.has(path)) throw new BridgeError('forbidden', NOT_CHOSEN_FOR_WRITING);
          return;
        case 'read':
          // Exact strings: the page sends back what it was given; nothing else is looked at.
          if (!readable.has(path))
            throw new BridgeError('forbidden', isNetworkOrDevicePath(path) ? NETWORK_NOT_CHOSEN : NOT_CHOSEN_FOR_READING);
          await mustBeRegularFile(path);
          return;
        case 'dropped':
          if (isNetworkOrDevicePath(path)) throw new BridgeError('forbidden', NETWORK_NOT_CHOSEN);
          await mustBeRegularFile(path);
          grantReading(path, 'drop');
          return;
      }
    },
  };
}
