// run.json: what a run is (which file, mapping, environment, options, counts, edits), written
// once when the run is created. Exact codecs: a field not declared here (an API token, say)
// is stripped on write and cannot be read back.
import * as t from 'io-ts';
import { SupportedEncodingCodec } from '../shared/encodings.ts';
import type { SourceOptions } from '../source/types.ts';
import { JsonValue } from '../shared/json-value.ts';
import { IsoTimestamp, NonNegativeInteger, PositiveInteger, PositiveNumber, RowNumber } from './codec-util.ts';

export const HEADER_FILE = 'run.json';

/** `20261127-134501-3f9a`: UTC creation time to the second, then a random suffix. Sorts by time. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-z]{4,12}$/;

export const RunId = new t.Type<string, string, unknown>(
  'run id (YYYYMMDD-HHMMSS-xxxx)',
  (u): u is string => typeof u === 'string' && RUN_ID_PATTERN.test(u),
  (u, c) => (typeof u === 'string' && RUN_ID_PATTERN.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const Sha256 = new t.Type<string, string, unknown>(
  'sha256 (64 lowercase hex digits)',
  (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u),
  (u, c) => (typeof u === 'string' && /^[0-9a-f]{64}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

function isPlainHttpUrl(u: unknown): u is string {
  if (typeof u !== 'string') return false;
  try {
    const url = new URL(u);
    // No user:password@ part: credentials never travel in the URL we store.
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** An http(s) URL without credentials in it. */
export const BaseUrl = new t.Type<string, string, unknown>(
  'http(s) URL without credentials',
  isPlainHttpUrl,
  (u, c) => (isPlainHttpUrl(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const EnvironmentName = t.keyof({ practice: null, sandbox: null, production: null, custom: null }, 'environment name');
export type EnvironmentName = t.TypeOf<typeof EnvironmentName>;

export const RunEnvironment = t.exact(t.type({ name: EnvironmentName, baseUrl: BaseUrl }), 'environment');
export type RunEnvironment = t.TypeOf<typeof RunEnvironment>;

export const RunFileInfo = t.exact(
  t.intersection([
    t.type({
      /** Absolute path of the file as opened. */
      path: t.string,
      /** The file's name, for display. */
      name: t.string,
      sha256: Sha256,
      size: NonNegativeInteger,
      format: t.keyof({ csv: null, xlsx: null }, 'file format'),
    }),
    t.partial({
      sheet: t.string,
      encoding: SupportedEncodingCodec,
      delimiter: t.string,
      /** The workbook limit the run was started with (--max-workbook-mb), so resume and retry read the file too. */
      maxWorkbookMb: PositiveNumber,
      /** The header's row number as read when the run started (runs before it: the first row). */
      headerRow: PositiveInteger,
    }),
  ]),
  'file',
);
export type RunFileInfo = t.TypeOf<typeof RunFileInfo>;

/** How a run's file is read again (resume, retry, results): exactly as when the run started. */
export function sourceOptionsOfRun(file: RunFileInfo): SourceOptions {
  return {
    ...(file.encoding !== undefined ? { encoding: file.encoding } : {}),
    ...(file.delimiter !== undefined ? { delimiter: file.delimiter } : {}),
    ...(file.sheet !== undefined ? { sheet: file.sheet } : {}),
    ...(file.headerRow !== undefined ? { headerRow: file.headerRow } : {}),
    ...(file.maxWorkbookMb !== undefined ? { maxWorkbookMb: file.maxWorkbookMb } : {}),
  };
}

export const RunOptions = t.exact(
  t.type({
    concurrency: PositiveInteger,
    /** Requests per minute. */
    rate: PositiveNumber,
    maxAttempts: PositiveInteger,
    pendingTimeoutMs: NonNegativeInteger,
    ignoreUnknownFields: t.boolean,
  }),
  'options',
);
export type RunOptions = t.TypeOf<typeof RunOptions>;

export const HeaderCounts = t.exact(
  t.type({ rows: NonNegativeInteger, valid: NonNegativeInteger, invalid: NonNegativeInteger, skipped: NonNegativeInteger }),
  'counts',
);
export type HeaderCounts = t.TypeOf<typeof HeaderCounts>;

/** A cell the user corrected in the app before sending. */
export const CellEdit = t.exact(t.type({ row: RowNumber, column: t.string, value: t.string }), 'edit');
export type CellEdit = t.TypeOf<typeof CellEdit>;

/** Where the check against Propexo looks leads and names up (--integration / --property, or the mapping file's). */
export const LookupScope = t.exact(t.partial({ integrationId: t.string, propertyId: t.string }), 'lookup scope');
export type LookupScope = t.TypeOf<typeof LookupScope>;

export const RunHeader = t.exact(
  t.intersection([
    t.type({
      version: t.literal(1),
      runId: RunId,
      createdAt: IsoTimestamp,
      file: RunFileInfo,
      /** The column mapping, opaque here (the mapping-file codec will tighten it). */
      mapping: JsonValue,
      environment: RunEnvironment,
      options: RunOptions,
      counts: HeaderCounts,
      edits: t.array(CellEdit),
    }),
    t.partial({
      /** An undo run: the run it writes the before-values of back (its rows are in the run folder, app/undo/undo-run.ts). */
      undoOf: RunId,
      /** Set when the run matches leads by x_id/e-mail/phone or resolves names: resume and retry look up in the same scope. */
      lookup: LookupScope,
      /** Whether the run reads current values and sends only what changes (runs before it: no). */
      preview: t.boolean,
    }),
  ]),
  'run header',
);
export type RunHeader = t.TypeOf<typeof RunHeader>;

/** What the engine gives to `RunStore.create`: the store adds version, runId and createdAt. */
export type RunHeaderInput = Omit<RunHeader, 'version' | 'runId' | 'createdAt'>;
