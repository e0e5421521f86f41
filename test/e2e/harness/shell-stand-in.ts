// STAND-INS for the requests main's Electron shell answers (main/handlers.ts): app info,
// pending files, open/save dialogs, credential storage, external links. They are NOT Electron:
// the test answers each dialog (a fixture path, a temp path, or null for "cancelled"), keys are
// held in memory (Electron keeps them through safeStorage), links are only recorded. The
// import, run and history requests are answered by the real desktop service.
// Which files the page may have read or written is main's own rule (main/file-access.ts), fed
// by these stand-ins as main's dialogs and open-file handling feed it.
import { BridgeError, type FileUse, type Handlers } from '../../../app/shared/contract-kit.ts';
import type { CredentialEnvironment, CredentialsStatus, ExportKind, ImporterContract } from '../../../app/shared/contract.ts';
import type { ProductionConfirmation } from '../../../app/shared/views.ts';
import { createFileAccess, type FileAccess } from '../../../main/file-access.ts';
import type { ShellChannel } from '../../../main/handlers.ts';

export interface SaveRequest {
  readonly defaultName: string;
  readonly kind: ExportKind;
}

export class ShellStandIn {
  /** Answers of the next open dialogs, in order (none left: the user cancelled). */
  readonly openAnswers: (string | null)[] = [];
  readonly saveAnswers: (string | null)[] = [];
  /** What the page asked the save dialog for (suggested name, kind). */
  readonly saveRequests: SaveRequest[] = [];
  /** Files "given on the command line" before the page listened ('app:pendingFiles'). */
  readonly pendingFiles: string[] = [];
  readonly externalLinks: string[] = [];
  /** What main's recent-files list holds (main/recent-files.ts); the test fills it. */
  readonly recentFiles: string[] = [];
  /** A recent file the page opened: the server sends it back as 'file:opened', as main does. */
  onOpenRecent: (path: string) => void = () => undefined;
  /** Answers of main's next Production confirmations (a native dialog in the app); none left: Cancel. */
  readonly confirmAnswers: boolean[] = [];
  /** What main asked before writing to Production. */
  readonly confirmRequests: ProductionConfirmation[] = [];
  /**
   * Files the test dropped on the window, as the OS would let the preload read them. In
   * Electron only the preload can send a dropped file's path (the page cannot reach
   * ipcRenderer); here the injected bridge lives in the page's own world, so the stand-in
   * accepts a dropped path only if the test really dropped that file.
   */
  readonly droppedFiles = new Set<string>();
  /** main's rule for the paths requests carry, fed by the dialogs and files from outside below. */
  readonly files: FileAccess = createFileAccess();
  private readonly keys = new Map<CredentialEnvironment, string>();

  /** What main/ipc.ts is given as `files`: main's check, plus "was it really dropped" (see droppedFiles). */
  readonly fileGate = {
    check: async (use: FileUse, path: string): Promise<void> => {
      if (use === 'dropped' && !this.droppedFiles.has(path))
        throw new BridgeError('forbidden', 'harness: no such file was dropped on the window');
      await this.files.check(use, path);
    },
  };

  /** main's Production confirmation (dialogs.confirmProduction), answered from `confirmAnswers`. */
  async confirmProduction(request: ProductionConfirmation): Promise<boolean> {
    this.confirmRequests.push(request);
    return this.confirmAnswers.shift() ?? false;
  }

  /** A file given from outside (command line, second instance, open-file): main accepts it for reading. */
  openedFromOutside(path: string): void {
    this.files.allowReading(path, 'outside');
  }

  /** The key of an environment, for the service's getToken (main: the credential store's getKeyForRun). */
  async keyFor(environment: CredentialEnvironment): Promise<string | undefined> {
    return this.keys.get(environment);
  }

  /** Keys held, for scrubbing failure messages (as main's scrubber knows the stored keys). */
  secrets(): string[] {
    return [...this.keys.values()];
  }

  private chosenToOpen(): string | null {
    const path = this.openAnswers.shift() ?? null;
    if (path !== null) this.files.allowReading(path, 'dialog');
    return path;
  }

  private status(): CredentialsStatus {
    return {
      sandbox: { stored: this.keys.has('sandbox'), encryption: 'os' },
      production: { stored: this.keys.has('production'), encryption: 'os' },
    };
  }

  handlers(): Pick<Handlers<ImporterContract>, ShellChannel> {
    return {
      'app:info': () => ({ name: 'Lead Importer', version: '0.0.0-e2e', platform: process.platform }),
      'app:pendingFiles': () => {
        const taken = this.pendingFiles.splice(0);
        for (const path of taken) this.openedFromOutside(path);
        return taken;
      },
      'dialog:openFile': () => this.chosenToOpen(),
      'recentFiles:list': () => [...this.recentFiles],
      'recentFiles:open': ({ path }) => {
        if (!this.recentFiles.includes(path)) throw new BridgeError('forbidden', `${path} is not one of the recent files.`);
        this.onOpenRecent(path);
      },
      'dialog:openMapping': () => this.chosenToOpen(),
      'dialog:saveFile': (request) => {
        this.saveRequests.push(request);
        const path = this.saveAnswers.shift() ?? null;
        if (path !== null) this.files.allowWriting(path);
        return path;
      },
      'file:dropped': ({ path }) => path,
      'credentials:status': () => this.status(),
      'credentials:set': ({ environment, apiKey }) => {
        this.keys.set(environment, apiKey);
        return this.status();
      },
      'credentials:clear': ({ environment }) => {
        this.keys.delete(environment);
        return this.status();
      },
      'shell:openExternal': ({ url }) => {
        this.externalLinks.push(url);
      },
    };
  }
}
