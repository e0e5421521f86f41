// The main process's own answers to the contract's requests. Each is a line or two: the work
// lives in the module named for it (dialogs, credentials, external links, opened files).
import { BridgeError, type Handlers } from '../app/shared/contract-kit.ts';
import type { AppInfo, ImporterContract } from '../app/shared/contract.ts';
import type { CredentialStore } from './credentials.ts';
import type { Dialogs } from './dialogs.ts';
import { EXTERNAL_HOSTS } from './external-links.ts';
import type { OpenedFiles } from './opened-files.ts';
import type { RecentFiles } from './recent-files.ts';

export interface ShellHandlerDeps {
  readonly appInfo: AppInfo;
  readonly dialogs: Dialogs;
  readonly credentials: CredentialStore;
  readonly openedFiles: OpenedFiles;
  readonly recentFiles: RecentFiles;
  /** Accepts a file for reading and hands it to the page, as a file given from outside. */
  readonly openFile: (path: string) => void;
  /** main/external-links.ts safelyOpenExternal, bound to electron's shell. */
  readonly openExternal: (url: string) => Promise<boolean>;
}

/** The requests main answers by itself; the import and run requests get their handlers beside these. */
export type ShellChannel =
  | 'app:info'
  | 'app:pendingFiles'
  | 'dialog:openFile'
  | 'recentFiles:list'
  | 'recentFiles:open'
  | 'dialog:openMapping'
  | 'dialog:saveFile'
  | 'file:dropped'
  | 'credentials:status'
  | 'credentials:set'
  | 'credentials:clear'
  | 'shell:openExternal';

export function shellHandlers(deps: ShellHandlerDeps): Pick<Handlers<ImporterContract>, ShellChannel> {
  return {
    'app:info': () => deps.appInfo,
    'app:pendingFiles': () => deps.openedFiles.take(),
    'dialog:openFile': () => deps.dialogs.openSpreadsheet(),
    'recentFiles:list': () => deps.recentFiles.list(),
    // Only a path main put on the list: the page cannot name other files this way.
    'recentFiles:open': ({ path }) => {
      if (!deps.recentFiles.has(path)) throw new BridgeError('forbidden', `${path} is not one of the recent files.`);
      deps.openFile(path);
    },
    'dialog:openMapping': () => deps.dialogs.openMapping(),
    'dialog:saveFile': (request) => deps.dialogs.saveExport(request),
    // main/ipc.ts has checked the path (a local regular file) and accepts it for reading from now on.
    'file:dropped': ({ path }) => {
      deps.dialogs.noteOpenedFile(path);
      return path;
    },
    'credentials:status': () => deps.credentials.status(),
    // The key goes in; only the status comes back.
    'credentials:set': ({ environment, apiKey }) => deps.credentials.set(environment, apiKey),
    'credentials:clear': ({ environment }) => deps.credentials.clear(environment),
    'shell:openExternal': async ({ url }) => {
      if (!(await deps.openExternal(url))) {
        throw new BridgeError('forbidden', `Only https links to ${EXTERNAL_HOSTS.join(', ')} can be opened from Lead Importer.`);
      }
    },
  };
}
