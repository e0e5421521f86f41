// Files the user opens with the app from outside it (command line, file association, a second
// instance): they can arrive before the page exists or listens, so they wait here until the
// UI says it is listening (the 'app:pendingFiles' request), then flow as 'file:opened' events.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isNetworkOrDevicePath } from './file-access.ts';

export interface OpenedFiles {
  add(path: string): void;
  /** The UI listens from now on: hands over what waited. */
  take(): readonly string[];
  /** The page is (re)loading: queue again until it asks. */
  detach(): void;
}

export function createOpenedFiles(deliver: (path: string) => boolean): OpenedFiles {
  let pending: string[] = [];
  let listening = false;
  return {
    add(path) {
      if (listening && deliver(path)) return;
      if (!pending.includes(path)) pending.push(path);
    },
    take() {
      listening = true;
      const out = pending;
      pending = [];
      return out;
    },
    detach() {
      listening = false;
    },
  };
}

/**
 * The files named on a command line: `argv` as Electron gives it (the executable first; under
 * `electron .` the app folder second). Flags, and arguments that are not existing files
 * (Chromium adds its own), are skipped. A network or device path is passed on without being
 * looked at (looking would contact the host): main refuses to read it (main/file-access.ts).
 */
export function filesFromArgv(
  argv: readonly string[],
  options: { readonly isDefaultApp: boolean; readonly workingDirectory: string; readonly isFile?: (path: string) => boolean },
): string[] {
  const isFile = options.isFile ?? isExistingFile;
  const args = argv.slice(options.isDefaultApp ? 2 : 1);
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '' || arg.startsWith('-')) continue;
    const path = isNetworkOrDevicePath(arg) ? arg : isAbsolute(arg) ? arg : resolve(options.workingDirectory, arg);
    if ((isNetworkOrDevicePath(path) || isFile(path)) && !files.includes(path)) files.push(path);
  }
  return files;
}

function isExistingFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
