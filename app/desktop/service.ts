// The desktop service: the answers to every request of the contract that main's shell does not
// own (fields, credentials test, imports, runs, history), and the events they produce. It is
// plain Node: main registers its handlers beside the shell's and forwards its events to the
// window; the e2e harness binds the very same handlers to the page in Chromium. How to bind
// it: app/desktop/README.md, "Binding it".
import { BridgeError, type Handlers, type RequestChannel } from '../shared/contract-kit.ts';
import type { CredentialEnvironment, ImporterContract } from '../shared/contract.ts';
import type { ConnectionOptions } from '../run/run-context.ts';
import { testCredentials } from './connection-check.ts';
import type { DesktopEventSender } from './events.ts';
import type { ProductionConfirmation } from '../shared/views.ts';
import { fieldViews } from './field-views.ts';
import { createImports } from './imports.ts';
import { createPropexoChecks } from './propexo-check.ts';
import { DEFAULT_MEMORY_ROWS } from './review-pages.ts';
import { createRuns } from './runs.ts';
import type { RunFiles } from '../run/send-run.ts';

export type { DesktopEvent, DesktopEventSender } from './events.ts';

/**
 * The requests the service answers: every one but the shell's (app, dialogs, credentials storage, links).
 * Two are named by hand, the rest by prefix: a request in neither this list nor main's `ShellChannel`
 * fails to compile where main/lifecycle.ts joins both tables into one `Handlers<ImporterContract>`.
 */
export type DesktopChannel = Extract<
  RequestChannel<ImporterContract>,
  'fields:list' | 'credentials:test' | `import:${string}` | `run:${string}` | `runs:${string}`
>;

export type DesktopHandlers = Pick<Handlers<ImporterContract>, DesktopChannel>;

export interface DesktopServiceDeps {
  /** Where runs live (`<dataDir>/runs/<runId>/`): main uses `<userData>/runs-data` or LEAD_IMPORTER_HOME. */
  readonly dataDir: string;
  /** The stored API key of an environment (main: the credential store's getKeyForRun). Never sent to the UI. */
  getToken(environment: CredentialEnvironment): Promise<string | undefined>;
  /**
   * Overrides for every run's connection: tests and the e2e harness give practice a fast
   * simulator (`simulator`, `windowMs`, `tracking`), or a `fetch`.
   */
  readonly connection?: Partial<ConnectionOptions>;
  /** How runs read their file (tests count the passes). */
  readonly files?: RunFiles;
  /**
   * Sandbox/Production requests go here instead of Propexo's servers (tests and the e2e
   * harness point them at a local simulator; runs are then recorded as 'custom').
   */
  readonly servers?: Partial<Record<CredentialEnvironment, string>>;
  /** The shortest time between two 'run:update' messages of a run (default 100 ms: ≤ 10 a second). */
  readonly batchIntervalMs?: number;
  /**
   * Asks the person before any run writes to Production (start, resume, retry): main shows a
   * native modal dialog. Without it, Production is refused.
   */
  readonly confirmProduction?: (request: ProductionConfirmation) => Promise<boolean>;
  /** Files with more rows keep only rows with issues in memory during review (default 300,000). */
  readonly reviewMemoryRows?: number;
  now?(): number;
}

export interface DesktopService {
  readonly handlers: DesktopHandlers;
  /** Receives every event the service sends; returns the unsubscribe function. */
  subscribe(send: DesktopEventSender): () => void;
  /** Cancels live runs (they stay resumable) and closes every import; later requests are refused. */
  close(): Promise<void>;
}

export function createDesktopService(deps: DesktopServiceDeps): DesktopService {
  const listeners = new Set<DesktopEventSender>();
  const emit: DesktopEventSender = (event, payload) => {
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch {
        // A listener that fails (a closed window) must not stop a run or the other listeners.
      }
    }
  };
  const now = deps.now ?? Date.now;
  const imports = createImports({ now, emit, memoryRows: deps.reviewMemoryRows ?? DEFAULT_MEMORY_ROWS });
  const checks = createPropexoChecks({
    getToken: deps.getToken,
    connection: deps.connection ?? {},
    servers: deps.servers ?? {},
    session: imports.session,
    // One practice world per service: what a practice run changed, a later check sees.
    practice: () => runs.practiceSimulator(),
  });
  const runs = createRuns({
    dataDir: deps.dataDir,
    getToken: deps.getToken,
    connection: deps.connection ?? {},
    files: deps.files,
    servers: deps.servers ?? {},
    batchIntervalMs: deps.batchIntervalMs ?? 100,
    emit,
    imports,
    confirmProduction: deps.confirmProduction ?? (async () => false),
    findings: checks.findings,
  });

  let closing: Promise<void> | null = null;
  const open = (): void => {
    if (closing !== null) throw new BridgeError('unavailable', 'Lead Importer is closing.');
  };
  /** Every handler refuses once the service is closing. */
  const guarded =
    <A, R>(handler: (arg: A) => R) =>
    (arg: A): R => {
      open();
      return handler(arg);
    };

  const handlers: DesktopHandlers = {
    'fields:list': guarded(() => fieldViews),
    'credentials:test': guarded(({ environment }) =>
      testCredentials(environment, {
        getToken: deps.getToken,
        baseUrl: deps.servers?.[environment] ?? environment,
        fetch: deps.connection?.fetch,
        timeoutMs: deps.connection?.timeoutMs,
      }),
    ),
    'import:open': guarded(imports.open),
    'import:reopen': guarded(imports.reopen),
    'import:close': guarded(imports.close),
    'import:setMapping': guarded(imports.setMapping),
    'import:columnValues': guarded(imports.columnValues),
    'import:loadMapping': guarded(imports.loadMapping),
    'import:saveMapping': guarded(imports.saveMapping),
    'import:validate': guarded(imports.validate),
    'import:rows': guarded(imports.rows),
    'import:editCell': guarded(imports.editCell),
    'import:exportErrors': guarded(imports.exportErrors),
    'import:checkOnline': guarded(checks.checkOnline),
    'import:integrations': guarded(checks.integrations),
    'import:properties': guarded(checks.properties),
    'import:changesCost': guarded(checks.changesCost),
    'import:changes': guarded(checks.changes),
    'run:start': guarded(runs.start),
    'run:pause': guarded(runs.pause),
    'run:resume': guarded(runs.resume),
    'run:cancel': guarded(runs.cancel),
    'run:progress': guarded(runs.progress),
    'run:rows': guarded(runs.rows),
    'run:exportResults': guarded(runs.exportResults),
    'run:exportErrors': guarded(runs.exportErrors),
    'run:retry': guarded(runs.retry),
    'run:undoPlan': guarded(runs.undoPlan),
    'run:undo': guarded(runs.undo),
    'runs:list': guarded(runs.list),
    'runs:resume': guarded(runs.resumeInterrupted),
    'runs:recheck': guarded(runs.recheck),
    'runs:open': guarded(runs.open),
  };

  return {
    handlers,
    subscribe(send) {
      listeners.add(send);
      return () => {
        listeners.delete(send);
      };
    },
    close() {
      closing ??= (async () => {
        imports.closeAll();
        // Their last events ('run:finished') still reach the listeners.
        await runs.closeAll();
        await checks.closeAll();
        listeners.clear();
      })();
      return closing;
    },
  };
}
