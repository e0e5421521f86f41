// STAND-INS for the requests main's Electron shell answers (main/handlers.ts): app info,
// pending files, open/save dialogs, credential storage, external links. They are NOT Electron:
// the test answers each dialog (a fixture path, a temp path, or null for "cancelled"), keys are
// held in memory (Electron keeps them through safeStorage), links are only recorded. The
// import, run and history requests are answered by the real desktop service.
import type { Handlers } from '../../../app/contract-kit.ts';
import type { CredentialEnvironment, CredentialsStatus, ExportKind, ImporterContract } from '../../../app/contract.ts';
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
  private readonly keys = new Map<CredentialEnvironment, string>();

  /** The key of an environment, for the service's getToken (main: the credential store's getKeyForRun). */
  async keyFor(environment: CredentialEnvironment): Promise<string | undefined> {
    return this.keys.get(environment);
  }

  /** Keys held, for scrubbing failure messages (as main's scrubber knows the stored keys). */
  secrets(): string[] {
    return [...this.keys.values()];
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
      'app:pendingFiles': () => this.pendingFiles.splice(0),
      'dialog:openFile': () => this.openAnswers.shift() ?? null,
      'dialog:openMapping': () => this.openAnswers.shift() ?? null,
      'dialog:saveFile': (request) => {
        this.saveRequests.push(request);
        return this.saveAnswers.shift() ?? null;
      },
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
