// The typed bridge between the UI and the main process (see app/shared/contract-kit.ts and
// main/README.md for how to add a request or an event). Argument codecs are the single source
// of truth for what the renderer may send; result and payload types are what main promises.
import * as t from 'io-ts';
import { defineContract, exactObject, noArgs, payload, request, returns, type BridgeApi } from './contract-kit.ts';
import { RowState } from './row-states.ts';
import { MIN_SECRET_LENGTH } from './redact.ts';
import { concurrencyBounds, rateBounds } from './run-policy.ts';
import { SupportedEncodingCodec } from './encodings.ts';

// ---------------------------------------------------------------------------------------------
// Argument codecs

/** The environments that need an API key (practice runs against the local simulator). */
export const CredentialEnvironment = t.keyof({ sandbox: null, production: null });
export type CredentialEnvironment = t.TypeOf<typeof CredentialEnvironment>;
export const CREDENTIAL_ENVIRONMENTS: readonly CredentialEnvironment[] = Object.keys(CredentialEnvironment.keys) as CredentialEnvironment[];

export const API_KEY_MIN_LENGTH = MIN_SECRET_LENGTH;
export const API_KEY_MAX_LENGTH = 4096;

/**
 * A pasted API key: surrounding whitespace (a trailing newline from the clipboard) is dropped;
 * inner whitespace or control characters mean something else was pasted. Messages never echo
 * the value.
 */
export const ApiKeyText = new t.Type<string, string, unknown>(
  'API key',
  (u): u is string => typeof u === 'string' && isApiKey(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'expected the API key as text');
    const key = u.trim();
    if (key.length === 0) return t.failure(u, c, 'the API key is empty');
    if (key.length < API_KEY_MIN_LENGTH) return t.failure(u, c, `an API key has at least ${API_KEY_MIN_LENGTH} characters`);
    if (key.length > API_KEY_MAX_LENGTH) return t.failure(u, c, `an API key has at most ${API_KEY_MAX_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    if (/[\s\u0000-\u001f\u007f]/.test(key)) return t.failure(u, c, 'an API key has no spaces, line breaks or control characters');
    return t.success(key);
  },
  t.identity,
);

function isApiKey(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- see ApiKeyText
  return s.length >= API_KEY_MIN_LENGTH && s.length <= API_KEY_MAX_LENGTH && !/[\s\u0000-\u001f\u007f]/.test(s);
}

/** A file name for a save dialog's suggestion: a name, not a path. */
export const SuggestedFileName = new t.Type<string, string, unknown>(
  'file name',
  (u): u is string => typeof u === 'string' && isFileName(u),
  (u, c) =>
    typeof u === 'string' && isFileName(u)
      ? t.success(u)
      : t.failure(u, c, 'expected a file name without folders (at most 200 characters)'),
  t.identity,
);

function isFileName(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are not valid in file names
  return s.length > 0 && s.length <= 200 && s.trim() === s && s !== '.' && s !== '..' && !/[/\\:\u0000-\u001f]/.test(s);
}

/** What a save dialog saves: a CSV (results), JSON (a mapping), or an error report (CSV or Excel workbook). */
export const ExportKind = t.keyof({ csv: null, json: null, report: null });
export type ExportKind = t.TypeOf<typeof ExportKind>;

export const ExternalUrlText = new t.Type<string, string, unknown>(
  'URL',
  (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= 2048,
  (u, c) =>
    typeof u === 'string' && u.length > 0 && u.length <= 2048 ? t.success(u) : t.failure(u, c, 'expected a URL of at most 2048 characters'),
  t.identity,
);

export const MenuCommand = t.keyof({ open: null, exportErrors: null, exportResults: null });
export type MenuCommand = t.TypeOf<typeof MenuCommand>;

const boundedString = (name: string, max: number): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= max,
    (u, c) =>
      typeof u === 'string' && u.length > 0 && u.length <= max
        ? t.success(u)
        : t.failure(u, c, `expected ${name} (1 to ${max} characters)`),
    t.identity,
  );

// Not app/run/codec-util.ts's `integer`: app/shared may not load app/run, and this message names the bounds for the page.
const boundedInt = (name: string, min: number, max: number): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max
        ? t.success(u)
        : t.failure(u, c, `expected ${name}: a whole number from ${min} to ${max}`),
    t.identity,
  );

/**
 * A path chosen in a dialog, given from outside or dropped on the window. The codec only bounds
 * it: which paths main accepts is declared per request (`files`) and enforced by main/ipc.ts.
 */
export const FilePath = boundedString('a file path', 4096);
/** An open import (a file being mapped and reviewed). */
export const ImportId = boundedString('an import id', 64);
export const RunIdText = boundedString('a run id', 64);

export const SourceChoice = t.exact(
  t.partial({
    sheet: boundedString('a sheet name', 256),
    encoding: SupportedEncodingCodec,
    delimiter: t.keyof({ ',': null, ';': null, '\t': null, '|': null }),
    /** The header's row number, when the person chose another than the one found. */
    headerRow: boundedInt('a header row number', 1, 100_000_000),
  }),
  'file options',
);

/** An array of at most `max` items (a value table or a placeholder list is typed by a person, not pasted by the thousand). */
const boundedArray = <C extends t.Mixed>(item: C, name: string, max: number) =>
  t.refinement(t.array(item), (items) => items.length <= max, `${name} (at most ${max})`);

/** A value table's entries: the file's word → the field's value (an enum value, or true/false). */
export const MAX_VALUE_TABLE_ENTRIES = 1_000;
const ValueTableArg = t.refinement(
  t.record(boundedString('a value of the file', 1_000), t.union([boundedString('a field value', 200), t.boolean])),
  (table) => Object.keys(table).length <= MAX_VALUE_TABLE_ENTRIES,
  `a value table (at most ${MAX_VALUE_TABLE_ENTRIES} entries)`,
);

export const ColumnOptionsArg = t.exact(
  t.partial({
    money: t.keyof({ dollars: null, cents: null }),
    dateOrder: t.keyof({ MDY: null, DMY: null }),
    listSeparator: boundedString('a list separator', 3),
    /** Enum and yes/no columns: the file's words → the field's values. The service checks the targets against the field. */
    values: ValueTableArg,
    /** status: the cell as written also goes to status_raw. */
    rawTo: t.literal('status_raw'),
    /** Cells that mean blank; `[]` for none (absent: the field's defaults). */
    placeholders: boundedArray(boundedString('a placeholder', 100), 'placeholders', 100),
    twoDigitYears: t.keyof({ '2000s': null, '1900s': null }),
    split: t.keyof({ 'last, first': null, 'first last': null }),
    /** Phone columns: the field a second number in the same cell goes to (checked by the service). */
    secondPhoneTo: boundedString('a field name', 64),
    /** lead_id: what the column names the lead by (anything but Propexo's own id is looked up in Propexo). */
    match: t.keyof({ lead_id: null, x_id: null, email_1: null, phone_1: null }),
  }),
  'column options',
);

export const ColumnChoice = t.exact(
  t.type({
    index: boundedInt('a column index', 0, 100_000),
    field: t.union([boundedString('a field name', 64), t.null]),
    options: ColumnOptionsArg,
  }),
  'column mapping',
);

export const ReviewFilterArg = t.keyof({ all: null, errors: null, warnings: null, duplicates: null });
export const RunFilterArg = t.union([t.keyof({ all: null, problems: null }), RowState]);
export const EnvironmentArg = t.keyof({ practice: null, sandbox: null, production: null });

/** A Propexo id of an integration or a property. */
const ScopeId = boundedString('a Propexo id', 200);
export const ChangesFilterArg = t.keyof({ will_change: null, up_to_date: null, all: null });
const RowRange = { offset: boundedInt('an offset', 0, 10_000_000), limit: boundedInt('a page size', 1, 1_000) };

// ---------------------------------------------------------------------------------------------
// Result and payload types

export type * from './views.ts';
import type {
  ImportOverview,
  ColumnValuesView,
  FieldView,
  ReviewCounts,
  ReviewRowView,
  RowPage,
  RunRowView,
  RunProgressView,
  RunSummaryView,
  RunListItem,
  CredentialTestResult,
  OnlineCheckView,
  ScopeOptionView,
  ChangesCostView,
  ChangesPage,
  UndoPlanView,
} from './views.ts';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** Node's `process.platform`: 'darwin', 'win32', 'linux'. */
  readonly platform: string;
}

export interface CredentialState {
  /** A key is held for this environment (on disk if `encryption` is 'os', else for this session). */
  readonly stored: boolean;
  /** 'unavailable': the OS offers no key store, so keys are kept in memory until the app quits. */
  readonly encryption: 'os' | 'unavailable';
}

export type CredentialsStatus = { readonly [E in CredentialEnvironment]: CredentialState };

// ---------------------------------------------------------------------------------------------
// The contract

export const contract = defineContract({
  requests: {
    'app:info': request({ method: 'appInfo', args: noArgs, result: returns<AppInfo>() }),
    /**
     * Files opened before the UI listened (file association, command line, second instance).
     * The UI subscribes to 'file:opened' first, then calls this once: from then on every file
     * arrives as an event, so none is lost to the start-up race.
     */
    'app:pendingFiles': request({ method: 'takePendingFiles', args: noArgs, result: returns<readonly string[]>() }),
    'dialog:openFile': request({ method: 'openFileDialog', args: noArgs, result: returns<string | null>() }),
    /** The files opened lately, most recent first (main keeps the list). */
    'recentFiles:list': request({ method: 'recentFiles', args: noArgs, result: returns<readonly string[]>() }),
    /** Opens one of those files: it arrives as a 'file:opened' event, as a file from the File menu does. */
    'recentFiles:open': request({
      method: 'openRecentFile',
      args: exactObject({ path: FilePath }, 'recent file'),
      result: returns<void>(),
    }),
    /** Picks a mapping template (.json) to load on the Map screen. */
    'dialog:openMapping': request({ method: 'openMappingDialog', args: noArgs, result: returns<string | null>() }),
    /**
     * The preload's own (no method of window.importer): the path of a file dropped on the
     * window, read by the preload from the File (webUtils.getPathForFile). Main accepts it for
     * reading from then on and answers it back (`pathForDroppedFile`).
     */
    'file:dropped': request({
      method: 'grantDroppedFile',
      caller: 'preload',
      args: exactObject({ path: FilePath }, 'dropped file'),
      files: { path: 'dropped' },
      result: returns<string>(),
    }),
    'dialog:saveFile': request({
      method: 'saveFileDialog',
      args: exactObject({ defaultName: SuggestedFileName, kind: ExportKind }, 'save dialog options'),
      result: returns<string | null>(),
    }),
    'credentials:status': request({ method: 'credentialsStatus', args: noArgs, result: returns<CredentialsStatus>() }),
    'credentials:set': request({
      method: 'setCredentials',
      args: exactObject({ environment: CredentialEnvironment, apiKey: ApiKeyText }, 'credentials'),
      result: returns<CredentialsStatus>(),
    }),
    'credentials:clear': request({
      method: 'clearCredentials',
      args: exactObject({ environment: CredentialEnvironment }, 'environment'),
      result: returns<CredentialsStatus>(),
    }),
    'shell:openExternal': request({
      method: 'openExternal',
      args: exactObject({ url: ExternalUrlText }, 'link'),
      result: returns<void>(),
    }),
    /** Tries the stored key against the environment with one cheap request. */
    'credentials:test': request({
      method: 'testCredentials',
      args: exactObject({ environment: CredentialEnvironment }, 'environment'),
      result: returns<CredentialTestResult>(),
    }),

    // Import: open, map, review (nothing is sent).
    'fields:list': request({ method: 'listFields', args: noArgs, result: returns<readonly FieldView[]>() }),
    'import:open': request({
      method: 'openImport',
      args: exactObject({ path: FilePath, options: SourceChoice }, 'file to open'),
      files: { path: 'read' },
      result: returns<ImportOverview>(),
    }),
    /**
     * The open file read another way (another header row, sheet, encoding or separator): a new
     * import in place of this one, keeping the columns the person mapped where the new header
     * names them once.
     */
    'import:reopen': request({
      method: 'reopenImport',
      args: exactObject({ importId: ImportId, options: SourceChoice }, 'file to open again'),
      result: returns<ImportOverview>(),
    }),
    'import:close': request({ method: 'closeImport', args: exactObject({ importId: ImportId }, 'import'), result: returns<void>() }),
    'import:setMapping': request({
      method: 'setMapping',
      args: exactObject({ importId: ImportId, columns: t.array(ColumnChoice) }, 'mapping'),
      result: returns<ImportOverview>(),
    }),
    /**
     * The distinct values of a column mapped to an enum or yes/no field, with counts, what each
     * reads as without the column's value table, and suggestions (reads every row; null when
     * the column's field takes no value table).
     */
    'import:columnValues': request({
      method: 'columnValues',
      args: exactObject({ importId: ImportId, columnIndex: boundedInt('a column index', 0, 100_000) }, 'column'),
      result: returns<ColumnValuesView | null>(),
    }),
    'import:loadMapping': request({
      method: 'loadMapping',
      args: exactObject({ importId: ImportId, path: FilePath }, 'mapping file'),
      files: { path: 'read' },
      result: returns<ImportOverview>(),
    }),
    'import:saveMapping': request({
      method: 'saveMapping',
      args: exactObject({ importId: ImportId, path: FilePath }, 'mapping file'),
      files: { path: 'write' },
      result: returns<void>(),
    }),
    /** Decodes every row; progress arrives as 'import:progress' events. */
    'import:validate': request({
      method: 'validateImport',
      args: exactObject({ importId: ImportId }, 'import'),
      result: returns<ReviewCounts>(),
    }),
    'import:rows': request({
      method: 'reviewRows',
      args: exactObject({ importId: ImportId, filter: ReviewFilterArg, ...RowRange }, 'rows'),
      result: returns<RowPage<ReviewRowView>>(),
    }),
    /** Fixes one cell (the file is not changed; the edit goes with the run) and re-validates the row. */
    'import:editCell': request({
      method: 'editCell',
      args: exactObject(
        {
          importId: ImportId,
          rowNumber: boundedInt('a row number', 1, 100_000_000),
          columnIndex: boundedInt('a column index', 0, 100_000),
          value: t.string,
        },
        'cell edit',
      ),
      result: returns<{ readonly row: ReviewRowView; readonly counts: ReviewCounts }>(),
    }),
    /**
     * Checks the rows against Propexo in the chosen environment (reads only): each row's lead
     * found by the key its lead column names it by, and reference names resolved to ids. Kept
     * with the import until its mapping changes; after a cell fix a re-check reads only what
     * its cache lacks.
     */
    'import:checkOnline': request({
      method: 'checkOnline',
      args: exactObject(
        {
          importId: ImportId,
          environment: EnvironmentArg,
          integrationId: t.union([ScopeId, t.null]),
          propertyId: t.union([ScopeId, t.null]),
        },
        'check',
      ),
      result: returns<OnlineCheckView>(),
    }),
    /** The integrations the environment's key reaches (the check's scope). */
    'import:integrations': request({
      method: 'listIntegrations',
      args: exactObject({ environment: EnvironmentArg }, 'environment'),
      result: returns<readonly ScopeOptionView[]>(),
    }),
    /** The properties of one integration (an optional narrower scope). */
    'import:properties': request({
      method: 'listProperties',
      args: exactObject({ environment: EnvironmentArg, integrationId: ScopeId }, 'integration'),
      result: returns<readonly ScopeOptionView[]>(),
    }),
    /** What reading the matched leads' current values will cost: priced, nothing read. */
    'import:changesCost': request({
      method: 'changesCost',
      args: exactObject({ importId: ImportId, environment: EnvironmentArg }, 'import'),
      result: returns<ChangesCostView>(),
    }),
    /** Reads the matched leads' current values (once per check) and pages through what the rows would change. */
    'import:changes': request({
      method: 'importChanges',
      args: exactObject({ importId: ImportId, environment: EnvironmentArg, filter: ChangesFilterArg, ...RowRange }, 'changes'),
      result: returns<ChangesPage>(),
    }),
    'import:exportErrors': request({
      method: 'exportImportErrors',
      args: exactObject({ importId: ImportId, path: FilePath }, 'export'),
      files: { path: 'write' },
      result: returns<{ readonly path: string; readonly rows: number }>(),
    }),

    // Runs: send, watch, control, export, history. Before a run writes to Production (start,
    // resume, retry, undo), main asks the person in a native dialog: the page cannot confirm for them.
    'run:start': request({
      method: 'startRun',
      args: exactObject(
        {
          importId: ImportId,
          environment: EnvironmentArg,
          concurrency: boundedInt('a concurrency', concurrencyBounds.min, concurrencyBounds.max),
          rate: boundedInt('a rate', rateBounds.min, rateBounds.max),
        },
        'run settings',
        // Read each lead's current values first (default): only changed fields are sent, rows
        // already up to date are not, and the run can be undone. false skips it (a big run).
        { preview: t.boolean },
      ),
      result: returns<{ readonly runId: string }>(),
    }),
    'run:pause': request({ method: 'pauseRun', args: exactObject({ runId: RunIdText }, 'run'), result: returns<void>() }),
    'run:resume': request({ method: 'resumeRun', args: exactObject({ runId: RunIdText }, 'run'), result: returns<void>() }),
    'run:cancel': request({ method: 'cancelRun', args: exactObject({ runId: RunIdText }, 'run'), result: returns<void>() }),
    'run:progress': request({ method: 'runProgress', args: exactObject({ runId: RunIdText }, 'run'), result: returns<RunProgressView>() }),
    'run:rows': request({
      method: 'runRows',
      args: exactObject({ runId: RunIdText, filter: RunFilterArg, ...RowRange }, 'rows'),
      result: returns<RowPage<RunRowView>>(),
    }),
    'run:exportResults': request({
      method: 'exportResults',
      args: exactObject({ runId: RunIdText, path: FilePath }, 'export'),
      files: { path: 'write' },
      result: returns<{ readonly path: string }>(),
    }),
    'run:exportErrors': request({
      method: 'exportRunErrors',
      args: exactObject({ runId: RunIdText, path: FilePath }, 'export'),
      files: { path: 'write' },
      result: returns<{ readonly path: string }>(),
    }),
    /** Retries failed jobs (retry-write) and re-sends rejected/failed/not-sent rows. */
    'run:retry': request({
      method: 'retryRun',
      args: exactObject({ runId: RunIdText }, 'run'),
      result: returns<{ readonly runId: string }>(),
    }),
    /** What undoing an ended run would write back (reads the leads now; writes nothing). */
    'run:undoPlan': request({ method: 'undoPlan', args: exactObject({ runId: RunIdText }, 'run'), result: returns<UndoPlanView>() }),
    /**
     * Starts undoing an ended run: a new run (its id answered), followed by 'run:update' and
     * 'run:finished' like any. `force` writes over fields changed since the import too.
     */
    'run:undo': request({
      method: 'undoRun',
      args: exactObject({ runId: RunIdText, force: t.boolean }, 'undo'),
      result: returns<{ readonly runId: string }>(),
    }),
    'runs:list': request({ method: 'listRuns', args: noArgs, result: returns<readonly RunListItem[]>() }),
    /** Continues an interrupted run (a crash, or stopped credentials). */
    'runs:resume': request({
      method: 'resumeInterrupted',
      args: exactObject({ runId: RunIdText }, 'run'),
      result: returns<{ readonly runId: string }>(),
    }),
    /** Re-checks the jobs a run left pending. */
    'runs:recheck': request({
      method: 'recheckRun',
      args: exactObject({ runId: RunIdText }, 'run'),
      result: returns<{ readonly runId: string }>(),
    }),
    /** Opens a past run's results (read from its journal and file). */
    'runs:open': request({ method: 'openRun', args: exactObject({ runId: RunIdText }, 'run'), result: returns<RunSummaryView>() }),
  },
  events: {
    'menu:command': payload<{ readonly command: MenuCommand }>(),
    /** A file to open: dropped on the dock icon, given to a second instance, or on the command line. */
    'file:opened': payload<{ readonly path: string }>(),
    /** Validation progress (at most ~10 a second). */
    'import:progress': payload<{ readonly importId: string; readonly rowsRead: number }>(),
    /**
     * Row changes of a live run, batched: at most ~10 messages a second whatever the row rate,
     * each row once per batch with its latest state, with the progress at that moment; each
     * under 256 KB. `refresh`: more rows changed than messages could carry, and those are not
     * listed: read the rows on screen again (runRows).
     */
    'run:update': payload<{
      readonly runId: string;
      readonly rows: readonly RunRowView[];
      readonly progress: RunProgressView;
      readonly refresh?: true;
    }>(),
    'run:finished': payload<{ readonly runId: string; readonly summary: RunSummaryView }>(),
  },
});

export type ImporterContract = typeof contract;
/** The type of `window.importer` (renderer: `declare global { interface Window { importer: ImporterApi } }`). */
export type ImporterApi = BridgeApi<ImporterContract>;
