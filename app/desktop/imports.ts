// Open imports: a file being mapped and reviewed, by id, in memory. Nothing here sends
// anything; a run takes what it needs from a checked import through `forRun`.
//
// Opening reads the header and a few rows (samples) and maps the columns automatically; a file
// without a recognisable lead id column still opens, so the person can map one. Checking
// ('import:validate') decodes every row once into a ReviewTable (review-table.ts). Review pages
// decode their rows again from the cells the table keeps: up to `memoryRows` rows (default
// 300,000) every row's cells stay in memory; in bigger files only rows with errors or warnings
// do, and a page of other rows is read again by streaming the file up to it (with a read-ahead
// window and a small cache), after checking that the file has not changed since.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import * as E from 'fp-ts/Either';
import { BridgeError } from '../contract-kit.ts';
import { cellText } from '../lead/cell-text.ts';
import { sourceNotices } from '../source/notices.ts';
import { openSource, pinnedOptions } from '../source/open-source.ts';
import type { Cell, SourceFile, SourceOptions, SourceRow } from '../source/types.ts';
import { restoreNeutralized } from '../report/csv-safety.ts';
import { autoMap, bestFieldMatch, isMappableField, repeatedMatches } from '../mapping/auto-map.ts';
import { fitOptions, inferColumnOptions } from '../mapping/column-options.ts';
import { valueTally, type ColumnValues } from '../mapping/column-values.ts';
import { isWholeNameHeader, suggestNameSplit } from '../mapping/name-columns.ts';
import { SAMPLE_ROWS } from '../mapping/suggest-mapping.ts';
import { applyMappingFile, formatMappingFile, parseMappingFile, toMappingFile } from '../mapping/mapping-file.ts';
import { isReportColumn } from '../mapping/report-columns.ts';
import type { ColumnMapping, ColumnOptions, Mapping, NameSplit } from '../mapping/types.ts';
import { fieldSpecByName, isLeadFieldName, LEAD_ID_FIELD, type LeadFieldName } from '../lead/fields.ts';
import { isPhoneField } from '../lead/cell-warnings.ts';
import { defaultPlaceholders } from '../lead/placeholders.ts';
import { extraFieldsOf, ownFieldOf } from '../lead/row-plan.ts';
import { takesValueTable, valueTargetProblem } from '../lead/value-table.ts';
import type { RowIssue } from '../lead/decoded-row.ts';
import { prepareImport, type PreparedImport } from '../validate/prepare-import.ts';
import { validatePrepared, withDuplicateWarning } from '../validate/validate-file.ts';
import { applyEdits } from '../validate/decoded-rows.ts';
import { writeFileAtomic } from '../run/atomic-write.ts';
import { describeFsError, nodeRunFs } from '../run/run-fs.ts';
import type { DesktopEventSender } from './events.ts';
import { failed, messageOf } from './desktop-errors.ts';
import { ReviewTable } from './review-table.ts';
import type { RunInput } from '../run/run-input.ts';
import type {
  CellIssueView,
  ColumnMappingView,
  ColumnOptionsView,
  ColumnValuesView,
  ImportOverview,
  MatchMethodName,
  ReviewCounts,
  ReviewFilter,
  ReviewRowView,
  RowPage,
} from './views.ts';

export const DEFAULT_MEMORY_ROWS = 300_000;
const SAMPLES_PER_COLUMN = 5;
/** Rows looked at for samples: enough for sparse columns, bounded for wide files. */
const SAMPLE_SCAN_ROWS = 1_000;
const PROGRESS_INTERVAL_MS = 100;
/** Rows read past a requested page when a big file is read again (the next pages while scrolling). */
const READ_AHEAD_ROWS = 1_000;
/** Rows read again that are kept (most recent first out). */
const REREAD_CACHE_ROWS = 5_000;
const MAX_MAPPING_FILE_BYTES = 1 << 20;

export interface ImportDeps {
  readonly now: () => number;
  readonly emit: DesktopEventSender;
  /** Files with more rows keep only rows with issues in memory (see the top of this file). */
  readonly memoryRows: number;
}

interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

interface Review {
  readonly version: number;
  readonly prepared: PreparedImport;
  readonly table: ReviewTable;
  readonly stamp: FileStamp;
  /** Rows read again from the file (stream mode), by row number. */
  readonly cache: Map<number, SourceRow>;
}

interface ImportSession {
  readonly id: string;
  readonly path: string;
  readonly fileName: string;
  readonly source: SourceFile;
  /** The detected (or chosen) encoding, delimiter and sheet, pinned for every later read. */
  readonly sourceOptions: SourceOptions;
  readonly samples: readonly (readonly string[])[];
  /** What opening had to decide for the person (a file read as Windows-1252 though it mixes encodings). */
  readonly openNotices: readonly string[];
  /** Per column: how its first rows split into first and last name, when they have one shape. */
  readonly splitSuggestions: readonly (NameSplit | undefined)[];
  readonly columnIndex: ReadonlyMap<string, number>;
  /**
   * Distinct values of value-table columns, by column, field and placeholders (what decides
   * them; the column's own table does not: the screen shows it beside them). Reading every
   * row once per such column, not once per choice.
   */
  readonly columnValues: Map<string, Promise<ColumnValues | null>>;
  mapping: Mapping;
  /** Columns whose mapping the person chose in the app. */
  manual: Set<number>;
  mappingProblems: readonly string[];
  /** Bumped by every mapping change: a check of an older version is stale. */
  version: number;
  /** Cell fixes: row number → column index → text. The file is never changed. */
  readonly edits: Map<number, Map<number, string>>;
  review: Review | null;
  validating: { readonly version: number; readonly promise: Promise<ReviewCounts> } | null;
  closed: boolean;
}

/** What a run takes from a checked import. */
export interface RunMaterial {
  readonly importId: string;
  readonly fileName: string;
  /** The checked import as a run reads it; its edits are a copy (later fixes do not change a run already started). */
  readonly input: RunInput;
  readonly counts: ReviewCounts;
}

export interface ColumnChoiceArg {
  readonly index: number;
  readonly field: string | null;
  readonly options: ColumnOptionsView;
}

/** The mapped column of this name: issues name columns, and a header may repeat a name (one of them mapped by letter). */
const mappedIndex = (mapping: Mapping, column: string): number | undefined =>
  mapping.columns.find((c) => c.field !== null && c.column === column)?.index;

const badArgument = (message: string): BridgeError => new BridgeError('bad_argument', message);

export function createImports(deps: ImportDeps) {
  const sessions = new Map<string, ImportSession>();
  let counter = 0;

  const session = (importId: string): ImportSession => {
    const found = sessions.get(importId);
    if (found === undefined || found.closed) throw failed(`This file is no longer open (import ${importId}); open it again.`);
    return found;
  };

  /** The check of the current mapping, or a clear refusal. */
  const currentReview = (s: ImportSession, action: string): Review => {
    if (s.review !== null && s.review.version === s.version) return s.review;
    if (s.validating !== null && s.validating.version === s.version) throw failed(`${s.fileName} is still being checked: ${action} when the check has finished.`);
    throw failed(`Check ${s.fileName} with its current mapping before you ${action}.`);
  };

  const hasLeadId = (mapping: Mapping): boolean => mapping.columns.some((c) => c.field === LEAD_ID_FIELD);

  function overview(s: ImportSession): ImportOverview {
    return {
      importId: s.id,
      path: s.path,
      fileName: s.fileName,
      format: s.source.format,
      // What the latest full read found (a UTF-8 guess may have turned out Windows-1252).
      encoding: (s.review?.prepared.source ?? s.source).encoding ?? null,
      delimiter: s.source.delimiter ?? null,
      sheet: s.source.sheet ?? null,
      sheets: [...(s.source.sheets ?? [])],
      headerRow: s.source.headerRowNumber,
      headerCandidates: s.source.headerCandidates.map((c) => ({ rowNumber: c.rowNumber, cells: [...c.cells], isHeader: c.isHeader })),
      columns: s.mapping.columns.map(
        (c): ColumnMappingView => ({
          index: c.index,
          column: c.column,
          field: c.field,
          method: (s.manual.has(c.index) ? 'manual' : c.method) satisfies MatchMethodName,
          options: { ...c.options },
          samples: s.samples[c.index] ?? [],
          defaultPlaceholders: c.field === null ? [] : [...defaultPlaceholders(c.field)],
          splitSuggestion: s.splitSuggestions[c.index] ?? null,
        }),
      ),
      mappingProblems: [...s.mappingProblems],
      notices: noticesOf(s),
      hasLeadId: hasLeadId(s.mapping),
    };
  }

  /**
   * How the file was read: the sheet chosen when it was opened (later reads name that sheet), and
   * what the latest full read found about the encoding.
   */
  function noticesOf(s: ImportSession): string[] {
    const { sheet, sheetsPassedOver } = s.source;
    return [...s.openNotices, ...sourceNotices({ sheet, sheetsPassedOver, encodingFallback: (s.review?.prepared.source ?? s.source).encodingFallback })];
  }

  function counts(s: ImportSession, review: Review): ReviewCounts {
    let edits = 0;
    for (const row of s.edits.values()) edits += row.size;
    return { ...review.table.counts(), edits, notices: noticesOf(s) };
  }

  /** A new mapping: any check of the old one is stale. */
  function remap(s: ImportSession, mapping: Mapping, manual: Set<number>, problems: readonly string[]): void {
    s.mapping = mapping;
    s.manual = manual;
    s.mappingProblems = problems;
    s.version++;
    s.review = null;
  }

  async function prepare(s: ImportSession): Promise<PreparedImport> {
    if (!hasLeadId(s.mapping)) {
      throw failed(`Map a column of ${s.fileName} to lead_id first: without the lead id no row can be matched to a lead.`);
    }
    // The session's mapping, as a mapping file: the same path the CLI and runs take.
    const prepared = await prepareImport({ path: s.path, source: s.sourceOptions, mapping: s.mapping, mappingFileName: 'the mapping' });
    if (E.isLeft(prepared)) throw failed(prepared.left.message);
    return prepared.right;
  }

  // ---- reading rows ---------------------------------------------------------------------------

  async function stampOf(path: string): Promise<FileStamp> {
    const info = await stat(path);
    return { size: info.size, mtimeMs: info.mtimeMs };
  }

  /** The rows at these indexes, as read (no edits): kept, cached, or read again from the file. */
  async function sourceRows(s: ImportSession, review: Review, indexes: readonly number[]): Promise<Map<number, SourceRow>> {
    const { table, cache } = review;
    const out = new Map<number, SourceRow>();
    const missing: number[] = [];
    for (const index of indexes) {
      const row = table.storedRow(index) ?? cache.get(table.rowNumberAt(index));
      if (row !== undefined) out.set(index, row);
      else missing.push(index);
    }
    if (missing.length === 0) return out;

    let now: FileStamp;
    try {
      now = await stampOf(s.path);
    } catch (error) {
      throw failed(`Cannot read ${s.path} again to show its rows: ${describeFsError(error)}.`);
    }
    if (now.size !== review.stamp.size || now.mtimeMs !== review.stamp.mtimeMs) {
      throw failed(`${s.fileName} changed on disk since it was checked: check it again to see its rows.`);
    }
    const wanted = new Set(missing.map((index) => table.rowNumberAt(index)));
    const last = Math.max(...wanted);
    let ahead = 0;
    try {
      reading: for await (const batch of review.prepared.source.rows()) {
        for (const raw of batch) {
          if (raw.rowNumber > last && ahead++ >= READ_AHEAD_ROWS) break reading;
          if (raw.rowNumber > last || wanted.has(raw.rowNumber)) {
            cache.delete(raw.rowNumber);
            cache.set(raw.rowNumber, review.prepared.restoreRow(raw));
          }
        }
      }
    } catch (error) {
      throw failed(messageOf(error));
    }
    for (const index of missing) {
      const row = cache.get(table.rowNumberAt(index));
      if (row === undefined) throw failed(`${s.fileName} no longer has row ${table.rowNumberAt(index)}: check it again.`);
      out.set(index, row);
    }
    // Oldest first out; the rows just read stay.
    for (const key of cache.keys()) {
      if (cache.size <= Math.max(REREAD_CACHE_ROWS, missing.length + READ_AHEAD_ROWS)) break;
      cache.delete(key);
    }
    return out;
  }

  function rowView(s: ImportSession, review: Review, index: number, row: SourceRow): ReviewRowView {
    const rowEdits = s.edits.get(row.rowNumber);
    const edited = applyEdits(row, rowEdits);
    let decoded = review.prepared.decoder.decode(edited);
    if (review.table.isDuplicate(index) && decoded.leadId !== null && decoded.status !== 'invalid') {
      decoded = withDuplicateWarning(decoded, review.table.earlierRows(index));
    }
    const issue =
      (severity: CellIssueView['severity']) =>
      (i: RowIssue): CellIssueView => ({
        columnIndex: i.column === null ? null : (mappedIndex(review.prepared.mapping, i.column) ?? s.columnIndex.get(i.column) ?? null),
        column: i.column,
        field: i.field,
        severity,
        message: i.message,
      });
    return {
      rowNumber: row.rowNumber,
      status: decoded.status,
      leadId: decoded.leadId,
      cells: edited.cells.map(cellText),
      edited: rowEdits === undefined ? [] : [...rowEdits.keys()].sort((a, b) => a - b),
      duplicate: review.table.isDuplicate(index),
      issues: [...decoded.errors.map(issue('error')), ...decoded.warnings.map(issue('warning'))],
    };
  }

  // ---- the requests -----------------------------------------------------------------------------

  async function open(arg: { readonly path: string; readonly options: SourceOptions }): Promise<ImportOverview> {
    const path = resolve(arg.path);
    let opened = await openSource(path, arg.options);
    const openNotices: string[] = [];
    if (E.isLeft(opened) && opened.left.code === 'encoding' && arg.options.encoding === undefined) {
      // No single reading is right (UTF-8 characters, then bytes that are not UTF-8): shown as
      // Windows-1252, saying so, the person can look at it and choose on the Map screen, as the
      // command line's message asks them to choose with --encoding.
      const why = opened.left.message;
      opened = await openSource(path, { ...arg.options, encoding: 'windows-1252' });
      if (E.isRight(opened)) openNotices.push(`${why} It is shown as Windows-1252: check its text, or choose another encoding.`);
    }
    if (E.isLeft(opened)) throw failed(opened.left.message);
    const source = opened.right;
    let sampled: Sampled;
    try {
      sampled = await sampleColumns(source);
    } catch (error) {
      throw failed(messageOf(error));
    }
    // The first rows show a whole-name column's split (suggest-mapping.ts reads as many); the
    // value tables' distinct values are read on demand (import:columnValues), not at every open.
    const mapping = autoMap(source.header, sampled.rows);
    const id = `imp-${++counter}-${randomBytes(4).toString('hex')}`;
    const s: ImportSession = {
      id,
      path,
      fileName: basename(path),
      source,
      sourceOptions: pinnedOptions(source),
      samples: sampled.samples,
      openNotices,
      splitSuggestions: source.header.map((name, index) => (isWholeNameHeader(name) ? suggestNameSplit(sampled.rows.map((row) => row[index] ?? '')) : undefined)),
      columnIndex: new Map(source.header.map((name, index) => [name, index])),
      columnValues: new Map(),
      mapping,
      manual: new Set(),
      // Repeated names the automatic mapping would use are left for the person to choose.
      mappingProblems: repeatedMatches(source.header).map((repeat) => repeat.message),
      version: 0,
      edits: new Map(),
      review: null,
      validating: null,
      closed: false,
    };
    sessions.set(id, s);
    return overview(s);
  }

  /**
   * The same file read another way (another header row, sheet, encoding or separator): a new
   * import in place of this one, which is closed. What is not changed stays as it was read; a
   * new sheet, encoding or separator finds its header again. Columns the person mapped (here or
   * from a template) keep their field and options where the new header has one column of that
   * name; other columns are mapped automatically, and a choice that no longer fits is noted.
   */
  async function reopen(arg: { readonly importId: string; readonly options: SourceOptions }): Promise<ImportOverview> {
    const s = session(arg.importId);
    const { headerRow, ...reading } = s.sourceOptions;
    const readsAnew = (['sheet', 'encoding', 'delimiter'] as const).some((key) => arg.options[key] !== undefined && arg.options[key] !== s.sourceOptions[key]);
    const next = await open({ path: s.path, options: { ...reading, ...(readsAnew ? {} : { headerRow }), ...arg.options } });
    const n = session(next.importId);
    const header = n.source.header;
    const once = (name: string): boolean => header.indexOf(name) >= 0 && header.indexOf(name) === header.lastIndexOf(name);
    const carried = s.mapping.columns
      .filter((c) => c.field !== null && (s.manual.has(c.index) || c.method === 'mapping_file') && once(c.column))
      .map((c): ColumnChoiceArg => ({ index: header.indexOf(c.column), field: c.field, options: c.options }));
    // A carried field the automatic mapping gave another column leaves that column.
    const carriedFields = new Set(carried.map((c) => c.field));
    const carriedIndexes = new Set(carried.map((c) => c.index));
    const freed = n.mapping.columns
      .filter((c) => c.field !== null && carriedFields.has(c.field) && !carriedIndexes.has(c.index))
      .map((c): ColumnChoiceArg => ({ index: c.index, field: null, options: {} }));
    close({ importId: s.id });
    if (carried.length === 0) return next;
    try {
      return setMapping({ importId: n.id, columns: [...freed, ...carried] });
    } catch (error) {
      n.mappingProblems = [...n.mappingProblems, `Your column choices were not kept: ${messageOf(error)}`];
      return overview(n);
    }
  }

  function close(arg: { readonly importId: string }): void {
    const s = sessions.get(arg.importId);
    if (s === undefined) return;
    s.closed = true;
    s.review = null;
    sessions.delete(arg.importId);
  }

  function setMapping(arg: { readonly importId: string; readonly columns: readonly ColumnChoiceArg[] }): ImportOverview {
    const s = session(arg.importId);
    const header = s.source.header;
    const columns: ColumnMapping[] = [...s.mapping.columns];
    const manual = new Set(s.manual);
    const problems: string[] = [];
    const given = new Set<number>();
    for (const choice of arg.columns) {
      if (choice.index >= header.length) throw badArgument(`${s.fileName} has ${header.length} columns: there is no column ${choice.index + 1}.`);
      const column = header[choice.index];
      if (given.has(choice.index)) throw badArgument(`Column "${column}" is given twice in the mapping.`);
      given.add(choice.index);
      const current = columns[choice.index];
      if (choice.field === null) {
        if (current.field !== null) {
          manual.delete(choice.index);
          columns[choice.index] = { index: choice.index, column, field: null, method: isReportColumn(column) ? 'report_column' : 'unmapped', options: {} };
        }
        continue;
      }
      const field = choice.field;
      if (!isLeadFieldName(field)) {
        const guess = bestFieldMatch(field);
        throw badArgument(`Column "${column}": "${field}" is not a Propexo lead field${guess === undefined ? '' : `; did you mean ${guess.field}?`}`);
      }
      if (!isMappableField(field)) throw badArgument(`Column "${column}": ${field} cannot be filled from a spreadsheet column.`);
      const fitted = fitOptions(field, checkedOptions(column, field, choice.options));
      problems.push(...fitted.misfits.map((misfit) => `column "${column}": ${misfit}`));
      // What the person chose wins; what the header says ("Rent (cents)") fills in the rest.
      const options = { ...inferColumnOptions(column, field), ...fitted.options };
      if (current.field !== field || !sameOptions(current.options, options)) {
        manual.add(choice.index);
        columns[choice.index] = { index: choice.index, column, field, method: current.method, options };
      }
    }
    // A column fills its field and what its options add (a split's last name, a second phone, status_raw).
    const columnOfField = new Map<string, { readonly column: string; readonly own: boolean }>();
    for (const c of columns) {
      if (c.field === null) continue;
      const own = ownFieldOf(c.field, c.options);
      for (const filled of [own, ...extraFieldsOf(c.field, c.options)]) {
        const earlier = columnOfField.get(filled);
        if (earlier !== undefined) {
          const how = earlier.own && filled === own ? 'mapped to' : 'filled from';
          throw badArgument(`${filled} is ${how} both "${earlier.column}" and "${c.column}": a field can come from one column only. Choose one.`);
        }
        columnOfField.set(filled, { column: c.column, own: filled === own });
      }
    }
    const changed = columns.some((c, i) => c !== s.mapping.columns[i]);
    if (changed) remap(s, { columns }, manual, problems);
    else if (problems.length > 0) s.mappingProblems = problems;
    return overview(s);
  }

  async function columnValues(arg: { readonly importId: string; readonly columnIndex: number }): Promise<ColumnValuesView | null> {
    const s = session(arg.importId);
    const column = s.mapping.columns[arg.columnIndex];
    if (column === undefined) throw badArgument(`${s.fileName} has ${s.mapping.columns.length} columns: there is no column ${arg.columnIndex + 1}.`);
    if (column.field === null) return null;
    const { field } = column;
    const placeholders = column.options.placeholders;
    const key = JSON.stringify([arg.columnIndex, field, placeholders ?? null]);
    let pending = s.columnValues.get(key);
    if (pending === undefined) {
      pending = tallyColumn(s, arg.columnIndex, field, placeholders === undefined ? {} : { placeholders });
      s.columnValues.set(key, pending);
      // A failed read is not remembered: the next request reads again.
      pending.catch(() => s.columnValues.delete(key));
    }
    const values = await pending;
    return values === null ? null : { columnIndex: arg.columnIndex, ...values, targets: [...values.targets], values: [...values.values] };
  }

  /** Every row's cell of one column into a value tally (see column-values.ts). */
  async function tallyColumn(s: ImportSession, index: number, field: LeadFieldName, options: ColumnOptions): Promise<ColumnValues | null> {
    const tally = valueTally(field, options);
    if (tally === null) return null;
    try {
      for await (const batch of s.source.rows()) {
        if (s.closed) throw failed(`${s.fileName} was closed while its values were being read.`);
        for (const row of batch) tally.add(row.cells[index] ?? '');
      }
    } catch (error) {
      if (error instanceof BridgeError) throw error;
      throw failed(messageOf(error));
    }
    return tally.result();
  }

  async function loadMapping(arg: { readonly importId: string; readonly path: string }): Promise<ImportOverview> {
    const s = session(arg.importId);
    const path = resolve(arg.path);
    const name = basename(path);
    let text: string;
    try {
      const info = await stat(path);
      if (info.size > MAX_MAPPING_FILE_BYTES) throw failed(`${name} is not a mapping file: it is over 1 MB.`);
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof BridgeError) throw error;
      throw failed(`Cannot read the mapping file ${path}: ${describeFsError(error)}.`);
    }
    const parsed = parseMappingFile(text, name);
    if (E.isLeft(parsed)) throw failed(parsed.left.join('\n'));
    const { mapping, problems, ambiguous } = applyMappingFile(s.source.header, parsed.right);
    const { headerRow } = parsed.right;
    const elsewhere =
      headerRow !== undefined && headerRow !== s.source.headerRowNumber
        ? [`its header is on row ${headerRow}, and this file was opened with the header on row ${s.source.headerRowNumber}: choose row ${headerRow} as the header first`]
        : [];
    remap(s, mapping, new Set(), [...elsewhere, ...ambiguous, ...problems].map((p) => `${name}: ${p}`));
    return overview(s);
  }

  async function saveMapping(arg: { readonly importId: string; readonly path: string }): Promise<void> {
    const s = session(arg.importId);
    const path = resolve(arg.path);
    try {
      await writeFileAtomic(nodeRunFs, path, formatMappingFile(toMappingFile(s.mapping, s.source.headerRowNumber === 1 ? undefined : s.source.headerRowNumber)));
    } catch (error) {
      throw failed(`Cannot save the mapping to ${path}: ${describeFsError(error)}.`);
    }
  }

  async function check(s: ImportSession, version: number): Promise<ReviewCounts> {
    const prepared = await prepare(s);
    let stamp: FileStamp;
    try {
      stamp = await stampOf(s.path);
    } catch (error) {
      throw failed(`Cannot read ${s.path}: ${describeFsError(error)}.`);
    }
    const table = new ReviewTable(deps.memoryRows);
    let rowsRead = 0;
    let lastProgress = deps.now();
    deps.emit('import:progress', { importId: s.id, rowsRead });
    try {
      for await (const batch of prepared.source.rows()) {
        if (s.closed) throw failed(`${s.fileName} was closed while it was being checked.`);
        if (s.version !== version) throw failed(`The mapping of ${s.fileName} changed while it was being checked: check it again.`);
        for (const raw of batch) {
          const row = prepared.restoreRow(raw);
          table.append(row, prepared.decoder.decode(applyEdits(row, s.edits.get(row.rowNumber))));
        }
        rowsRead += batch.length;
        if (deps.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = deps.now();
          deps.emit('import:progress', { importId: s.id, rowsRead });
        }
      }
    } catch (error) {
      if (error instanceof BridgeError) throw error;
      throw failed(messageOf(error));
    }
    table.finish();
    deps.emit('import:progress', { importId: s.id, rowsRead });
    if (s.closed || s.version !== version) throw failed(`The mapping of ${s.fileName} changed while it was being checked: check it again.`);
    const review: Review = { version, prepared, table, stamp, cache: new Map() };
    s.review = review;
    return counts(s, review);
  }

  function validate(arg: { readonly importId: string }): Promise<ReviewCounts> {
    const s = session(arg.importId);
    // Two clicks, one check.
    if (s.validating !== null && s.validating.version === s.version) return s.validating.promise;
    const version = s.version;
    const promise = check(s, version).finally(() => {
      if (s.validating?.promise === promise) s.validating = null;
    });
    s.validating = { version, promise };
    return promise;
  }

  async function rows(arg: { readonly importId: string; readonly filter: ReviewFilter; readonly offset: number; readonly limit: number }): Promise<RowPage<ReviewRowView>> {
    const s = session(arg.importId);
    const review = currentReview(s, 'review its rows');
    const matching = review.table.filterIndexes(arg.filter);
    const total = matching === null ? review.table.size : matching.length;
    const indexes: number[] = [];
    for (let k = arg.offset; k < Math.min(total, arg.offset + arg.limit); k++) indexes.push(matching === null ? k : matching[k]);
    const source = await sourceRows(s, review, indexes);
    return { total, offset: arg.offset, rows: indexes.map((index) => rowView(s, review, index, source.get(index) as SourceRow)) };
  }

  async function editCell(arg: {
    readonly importId: string;
    readonly rowNumber: number;
    readonly columnIndex: number;
    readonly value: string;
  }): Promise<{ readonly row: ReviewRowView; readonly counts: ReviewCounts }> {
    const s = session(arg.importId);
    // A check under way reads the fixes as it goes: one made meanwhile could miss it.
    if (s.validating !== null) throw failed(`${s.fileName} is being checked: fix cells when the check has finished.`);
    const review = currentReview(s, 'fix cells');
    const header = s.source.header;
    if (arg.columnIndex >= header.length) throw badArgument(`${s.fileName} has ${header.length} columns: there is no column ${arg.columnIndex + 1}.`);
    const index = review.table.indexOf(arg.rowNumber);
    if (index < 0) throw badArgument(`${s.fileName} has no data row ${arg.rowNumber}.`);
    const row = (await sourceRows(s, review, [index])).get(index) as SourceRow;
    // The edit may have been made while the file was read again.
    if (s.review !== review) throw failed(`The mapping of ${s.fileName} changed: check it again before fixing cells.`);

    const rowEdits = new Map(s.edits.get(arg.rowNumber) ?? []);
    // Typing the original text back removes the fix.
    if (arg.value === cellText(row.cells[arg.columnIndex] ?? '')) rowEdits.delete(arg.columnIndex);
    else rowEdits.set(arg.columnIndex, arg.value);
    if (rowEdits.size > 0) s.edits.set(arg.rowNumber, rowEdits);
    else s.edits.delete(arg.rowNumber);

    review.table.update(index, review.prepared.decoder.decode(applyEdits(row, rowEdits)));
    review.table.keep(index, row);
    return { row: rowView(s, review, index, row), counts: counts(s, review) };
  }

  async function exportErrors(arg: { readonly importId: string; readonly path: string }): Promise<{ readonly path: string; readonly rows: number }> {
    const s = session(arg.importId);
    const path = resolve(arg.path);
    const review = s.review !== null && s.review.version === s.version ? s.review : null;
    const prepared = review?.prepared ?? (await prepare(s));
    try {
      const summary = await validatePrepared(prepared, { path: s.path, errorsPath: path, edits: s.edits, keepProblems: 0 });
      return { path, rows: summary.invalid + summary.skipped };
    } catch (error) {
      throw failed(messageOf(error));
    }
  }

  /** What a run needs: refuses an import that is not checked, or has nothing valid to send. */
  function forRun(importId: string): RunMaterial {
    const s = session(importId);
    const review = currentReview(s, 'send it');
    const reviewCounts = counts(s, review);
    if (reviewCounts.valid === 0) {
      throw failed(
        `Nothing to send: none of the ${reviewCounts.rows} rows of ${s.fileName} is valid ` +
          `(${reviewCounts.invalid} with errors, ${reviewCounts.skipped} with nothing to change). Fix the errors in Review first.`,
      );
    }
    const edits = new Map<number, ReadonlyMap<number, string>>();
    for (const [row, columns] of s.edits) edits.set(row, new Map(columns));
    return {
      importId,
      fileName: s.fileName,
      input: { prepared: review.prepared, edits, sourceFile: { path: s.path, size: review.stamp.size, mtimeMs: review.stamp.mtimeMs } },
      counts: reviewCounts,
    };
  }

  return {
    open,
    reopen,
    close,
    setMapping,
    loadMapping,
    saveMapping,
    columnValues,
    validate,
    rows,
    editCell,
    exportErrors,
    forRun,
    closeAll(): void {
      for (const id of [...sessions.keys()]) close({ importId: id });
    },
  };
}

export type Imports = ReturnType<typeof createImports>;

/** Every option compared, value tables and placeholder lists by content: a change to any of them is a new mapping. */
export function sameOptions(a: ColumnOptions, b: ColumnOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof ColumnOptions)[]);
  for (const key of keys) if (!sameValue(a[key], b[key])) return false;
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const aKeys = Object.keys(a);
    return aKeys.length === Object.keys(b).length && aKeys.every((key) => Object.hasOwn(b, key) && Reflect.get(a, key) === Reflect.get(b, key));
  }
  return false;
}

/**
 * A person's options for a column of `field`, checked where the codec cannot know the field:
 * value-table targets, the second phone's field. Empty value tables are dropped. Options that
 * do not fit the field at all are left for `fitOptions` to note.
 */
function checkedOptions(column: string, field: LeadFieldName, options: ColumnOptionsView): ColumnOptions {
  const { values, secondPhoneTo, ...rest } = options;
  const checked: { -readonly [K in keyof ColumnOptions]: ColumnOptions[K] } = { ...rest };
  const kind = fieldSpecByName.get(field)?.type;
  if (values !== undefined && Object.keys(values).length > 0) {
    if (kind !== undefined && takesValueTable(kind)) {
      for (const [word, target] of Object.entries(values)) {
        const problem = valueTargetProblem(kind, target);
        if (problem !== null) throw badArgument(`Column "${column}": the value "${word}" cannot become ${field} ${JSON.stringify(target)}: ${problem}.`);
      }
    }
    checked.values = values;
  }
  if (secondPhoneTo !== undefined) {
    if (isPhoneField(field) && (!isLeadFieldName(secondPhoneTo) || !isPhoneField(secondPhoneTo) || secondPhoneTo === field)) {
      throw badArgument(`Column "${column}": a second number cannot go to "${secondPhoneTo}": choose another phone field, such as ${field === 'phone_2' ? 'phone_1' : 'phone_2'}.`);
    }
    if (isLeadFieldName(secondPhoneTo)) checked.secondPhoneTo = secondPhoneTo;
    else throw badArgument(`Column "${column}": "${secondPhoneTo}" is not a Propexo lead field.`);
  }
  return checked;
}

interface Sampled {
  /** Per column: up to five distinct non-blank values from the first rows. */
  readonly samples: string[][];
  /** The first rows' cells (up to SAMPLE_ROWS), for what their shape suggests (a name split). */
  readonly rows: (readonly Cell[])[];
}

/** Up to five distinct non-blank values per column, and the first rows, from the start of the file. */
async function sampleColumns(source: SourceFile): Promise<Sampled> {
  const width = source.header.length;
  const samples: string[][] = Array.from({ length: width }, () => []);
  const rows: (readonly Cell[])[] = [];
  // Our own reports keep formulas neutralized ('=…): show them as the person wrote them.
  const isReport = source.header.some(isReportColumn);
  const text = (cell: Cell): string => {
    const shown = cellText(cell).trim();
    return isReport && shown.length > 1 && shown[0] === "'" ? restoreNeutralized(shown) : shown;
  };
  let full = 0;
  let scanned = 0;
  reading: for await (const batch of source.rows()) {
    for (const row of batch) {
      if (rows.length < SAMPLE_ROWS) rows.push(row.cells);
      for (let i = 0; i < width; i++) {
        const list = samples[i];
        if (list.length >= SAMPLES_PER_COLUMN) continue;
        const value = text(row.cells[i] ?? '');
        if (value === '' || list.includes(value)) continue;
        list.push(value);
        if (list.length === SAMPLES_PER_COLUMN) full++;
      }
      if ((full === width && rows.length >= SAMPLE_ROWS) || ++scanned >= SAMPLE_SCAN_ROWS) break reading;
    }
  }
  return { samples, rows };
}
