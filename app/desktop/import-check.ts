// Checking an open import ('import:validate'): every row decoded once into a ReviewTable and
// the run's row index (a run started from the review takes it: app/run/run-row-index.ts), with
// progress events at most every PROGRESS_INTERVAL_MS; a big delimited file on two threads as the
// CLI does (two-thread-check.ts). Two clicks make one check; a mapping
// change or a close while it runs makes it fail rather than keep a stale review.
import * as E from 'fp-ts/Either';
import { BridgeError } from '../shared/contract-kit.ts';
import { describeFsError } from '../run/run-fs.ts';
import { nextTurn } from '../schedule/next-turn.ts';
import type { DecodedRow } from '../lead/decoded-row.ts';
import { CheckedRows, RunRowIndexBuilder, type RunRowsPart } from '../run/run-row-index.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import { canIndex, LineOffsets } from '../source/record-offsets.ts';
import type { SourceRow } from '../source/types.ts';
import { applyEdits } from '../validate/decoded-rows.ts';
import { prepareImport, type PreparedImport, type PrepareOptions } from '../validate/prepare-import.ts';
import { planSegments, type SegmentOptions, type SegmentOutcome } from '../validate/segments.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { DesktopEventSender } from './events.ts';
import { hasLeadId, reviewCounts, type ImportSession } from './import-sessions.ts';
import { stampOf, type FileStamp, type Review } from './review-pages.ts';
import { ReviewTable } from './review-table.ts';
import { checkInTwo, type CheckReader } from './two-thread-check.ts';
import type { ReviewCounts } from '../shared/views.ts';

const PROGRESS_INTERVAL_MS = 100;
/** Rows appended between two turns of the event loop (~10–20 ms of decoding and the table's work). */
const TURN_ROWS = 2_000;
/**
 * Where the two-thread check cuts the file: the middle, as the CLI's validate does. It was 0.45
 * while this thread appended the worker's part row by row (~0.3 s at 1,000,000 rows); the
 * worker now sends it ready to copy in (~0.1 s), doing a little more a row itself, and at 0.45
 * it finished its part 0.2–0.8 s after this thread (1M rows, a loaded machine), ~0.05 s at 0.5.
 */
const FIRST_PART_SHARE = 0.5;

export interface CheckDeps {
  readonly now: () => number;
  readonly emit: DesktopEventSender;
  /** Files with more rows keep only rows with issues in memory (review-pages.ts). */
  readonly memoryRows: number;
  /** Told what review pages read of the file (tests count its bytes). */
  readonly readWatch?: ReadWatch;
  /**
   * A big delimited file is checked on two threads, as the CLI's validate does above its
   * threshold (app/validate/segments.ts; these options change it, false keeps one thread).
   */
  readonly segments?: SegmentOptions | false;
  /** How a two-thread check went, when the file was cut (for tests and diagnostics). */
  readonly onSegments?: (outcome: SegmentOutcome) => void;
  /** How the check opens the file (tests count its reads). */
  readonly openSource?: PrepareOptions['openSource'];
}

/** The import's file prepared with its current mapping, or why not (no lead id, a file error). */
export async function prepareSession(s: ImportSession, openSource?: PrepareOptions['openSource']): Promise<PreparedImport> {
  if (!hasLeadId(s.mapping)) {
    throw failed(`Map a column of ${s.fileName} to lead_id first: without the lead id no row can be matched to a lead.`);
  }
  // The session's mapping, as a mapping file: the same path the CLI and runs take.
  const prepared = await prepareImport({
    path: s.path,
    source: s.sourceOptions,
    mapping: s.mapping,
    mappingFileName: 'the mapping',
    openSource,
  });
  if (E.isLeft(prepared)) throw failed(prepared.left.message);
  return prepared.right;
}

/** The check of the import's current mapping: the one under way, or a new one. */
export function checkImport(deps: CheckDeps, s: ImportSession): Promise<ReviewCounts> {
  // Two clicks, one check.
  if (s.validating !== null && s.validating.version === s.version) return s.validating.promise;
  const version = s.version;
  const promise = check(deps, s, version).finally(() => {
    if (s.validating?.promise === promise) s.validating = null;
  });
  s.validating = { version, promise };
  return promise;
}

async function check(deps: CheckDeps, s: ImportSession, version: number): Promise<ReviewCounts> {
  const prepared = await prepareSession(s, deps.openSource);
  let stamp: FileStamp;
  try {
    stamp = await stampOf(s.path);
  } catch (error) {
    throw failed(`Cannot read ${s.path}: ${describeFsError(error)}.`);
  }
  let rowsRead = 0;
  let lastProgress = deps.now();
  deps.emit('import:progress', { importId: s.id, rowsRead });
  /** A reader of rows into a fresh table (a two-thread check whose cut was inside quotes starts again with another). */
  const reader = (): Omit<CheckReader, 'offsets'> & {
    readonly offsets: LineOffsets | undefined;
    readonly runRows: NonNullable<CheckReader['runRows']> & { finish(): ReturnType<RunRowIndexBuilder['finish']> | undefined };
  } => {
    const table = new ReviewTable(deps.memoryRows);
    const builder = new RunRowIndexBuilder(prepared.decoder.plan.leadIdIndex);
    let complete = true;
    const runRows = {
      add: (row: SourceRow, checked: DecodedRow): void => builder.add(row, checked),
      addPart: (part: RunRowsPart): boolean => builder.appendPart(part),
      incomplete: (): void => void (complete = false),
      finish: () => (complete ? builder.finish() : undefined),
    };
    // Delimited text: where its lines start is noted from the bytes reading sees, so review pages seek.
    const offsets = canIndex(prepared.source.textLayout) ? new LineOffsets() : undefined;
    return {
      prepared,
      edits: s.edits,
      table,
      runRows,
      offsets,
      appendRows: async (rows, otherRows) => {
        let sinceTurn = 0;
        for await (const batch of rows) {
          if (s.closed) throw failed(`${s.fileName} was closed while it was being checked.`);
          if (s.version !== version) throw failed(`The mapping of ${s.fileName} changed while it was being checked: check it again.`);
          for (const raw of batch) appendRow(prepared, s.edits, prepared.restoreRow(raw), table, runRows);
          // Batches already read come as microtasks, one after another: the loop would not turn for
          // hundreds of ms (1,000,000 rows). It turns every TURN_ROWS rows.
          sinceTurn += batch.length;
          if (sinceTurn >= TURN_ROWS) {
            sinceTurn = 0;
            await nextTurn();
          }
          rowsRead = table.size + otherRows();
          if (deps.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = deps.now();
            deps.emit('import:progress', { importId: s.id, rowsRead });
          }
        }
      },
    };
  };
  let read = reader();
  try {
    const split = deps.segments === false ? undefined : await planSegments(prepared, deps.segments ?? { share: FIRST_PART_SHARE });
    const { offsets } = read;
    let done = false;
    if (split !== undefined && offsets !== undefined) {
      const outcome = await checkInTwo({ ...read, offsets }, split, deps.memoryRows);
      deps.onSegments?.(outcome);
      done = outcome !== 'restart';
      if (!done) read = reader();
    }
    if (!done) {
      // The whole-file reader, told the bytes it reads so the line offsets are noted on the way.
      const bytes = read.offsets?.feed;
      await read.appendRows(prepared.source.rows(bytes === undefined ? undefined : { bytes }), () => 0);
    }
  } catch (error) {
    if (error instanceof BridgeError) throw error;
    throw failed(messageOf(error));
  }
  const { table, offsets } = read;
  table.finish();
  const runRows = read.runRows.finish();
  rowsRead = table.size;
  deps.emit('import:progress', { importId: s.id, rowsRead });
  if (s.closed || s.version !== version) throw failed(`The mapping of ${s.fileName} changed while it was being checked: check it again.`);
  const review: Review = {
    version,
    prepared,
    table,
    stamp,
    cache: new Map(),
    ...(offsets !== undefined ? { offsets } : {}),
    ...(deps.readWatch !== undefined ? { readWatch: deps.readWatch } : {}),
    ...(runRows !== undefined ? { runRows: new CheckedRows(runRows, prepared.decoder.plan.leadIdIndex) } : {}),
  };
  s.review = review;
  return reviewCounts(s, review);
}

/**
 * One row of the check, decoded once with its fixes: into the review table, and into the run's
 * row index, so a run started from this review does not read the file again to check it.
 */
function appendRow(
  prepared: PreparedImport,
  edits: ImportSession['edits'],
  row: SourceRow,
  table: ReviewTable,
  runRows: Pick<RunRowIndexBuilder, 'add'>,
): void {
  const edited = applyEdits(row, edits.get(row.rowNumber));
  const decoded = prepared.decoder.decode(edited);
  table.append(row, decoded);
  runRows.add(edited, decoded);
}
