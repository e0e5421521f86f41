// Open imports, the requests: open (samples, automatic mapping), reopen another way, mapping
// (set, load, save), a column's distinct values, check, review pages, cell fixes, error report.
// Nothing here sends anything. The imports themselves and what a run takes from one
// (`forRun`) are import-sessions.ts; checking is import-check.ts; where a page's rows come from
// is review-pages.ts; the first rows' samples are sample-columns.ts.
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import * as E from 'fp-ts/Either';
import { BridgeError } from '../shared/contract-kit.ts';
import { cellText } from '../lead/cell-text.ts';
import type { LeadFieldName } from '../lead/fields.ts';
import { autoMap, repeatedMatches } from '../mapping/auto-map.ts';
import { valueTally, type ColumnValues } from '../mapping/column-values.ts';
import { editMapping, type ColumnChoice } from '../mapping/edit-mapping.ts';
import { applyMappingFile, formatMappingFile, parseMappingFile, toMappingFile } from '../mapping/mapping-file.ts';
import { isWholeNameHeader, suggestNameSplit } from '../mapping/name-columns.ts';
import type { ColumnOptions } from '../mapping/types.ts';
import { writeFileAtomic } from '../run/atomic-write.ts';
import { describeFsError, nodeRunFs } from '../run/run-fs.ts';
import { openSource, pinnedOptions } from '../source/open-source.ts';
import type { SourceOptions, SourceRow } from '../source/types.ts';
import { applyEdits } from '../validate/decoded-rows.ts';
import { validatePrepared } from '../validate/validate-file.ts';
import { failed, messageOf } from './desktop-errors.ts';
import { checkImport, prepareSession, type CheckDeps } from './import-check.ts';
import { createImportSessions, currentReview, overview, remap, reviewCounts, type ImportSession } from './import-sessions.ts';
import { reviewRowView, sourceRows } from './review-pages.ts';
import { sampleColumns, type Sampled } from './sample-columns.ts';
import type { ColumnValuesView, ImportOverview, ReviewCounts, ReviewFilter, ReviewRowView, RowPage } from '../shared/views.ts';

const MAX_MAPPING_FILE_BYTES = 1 << 20;

export type ImportDeps = CheckDeps;

const badArgument = (message: string): BridgeError => new BridgeError('bad_argument', message);

export function createImports(deps: ImportDeps) {
  const sessions = createImportSessions();
  const { session } = sessions;

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
    const id = sessions.newId();
    const s: ImportSession = {
      id,
      path,
      fileName: basename(path),
      source,
      sourceOptions: pinnedOptions(source),
      samples: sampled.samples,
      openNotices,
      splitSuggestions: source.header.map((name, index) =>
        isWholeNameHeader(name) ? suggestNameSplit(sampled.rows.map((row) => row[index] ?? '')) : undefined,
      ),
      columnIndex: new Map(source.header.map((name, index) => [name, index])),
      columnValues: new Map(),
      mapping,
      manual: new Set(),
      // Repeated names the automatic mapping would use are left for the person to choose.
      mappingProblems: repeatedMatches(source.header).map((repeat) => repeat.message),
      scope: { integrationId: null, propertyId: null },
      version: 0,
      edits: new Map(),
      review: null,
      validating: null,
      closed: false,
    };
    sessions.add(s);
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
    const readsAnew = (['sheet', 'encoding', 'delimiter'] as const).some(
      (key) => arg.options[key] !== undefined && arg.options[key] !== s.sourceOptions[key],
    );
    const next = await open({ path: s.path, options: { ...reading, ...(readsAnew ? {} : { headerRow }), ...arg.options } });
    const n = session(next.importId);
    const header = n.source.header;
    const once = (name: string): boolean => header.indexOf(name) >= 0 && header.indexOf(name) === header.lastIndexOf(name);
    const carried = s.mapping.columns
      .filter((c) => c.field !== null && (s.manual.has(c.index) || c.method === 'mapping_file') && once(c.column))
      .map((c): ColumnChoice => ({ index: header.indexOf(c.column), field: c.field, options: c.options }));
    // A carried field the automatic mapping gave another column leaves that column.
    const carriedFields = new Set(carried.map((c) => c.field));
    const carriedIndexes = new Set(carried.map((c) => c.index));
    const freed = n.mapping.columns
      .filter((c) => c.field !== null && carriedFields.has(c.field) && !carriedIndexes.has(c.index))
      .map((c): ColumnChoice => ({ index: c.index, field: null, options: {} }));
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
    sessions.close(arg.importId);
  }

  function setMapping(arg: { readonly importId: string; readonly columns: readonly ColumnChoice[] }): ImportOverview {
    const s = session(arg.importId);
    const edited = editMapping(s.source.header, s.fileName, s.mapping, s.manual, arg.columns);
    if (E.isLeft(edited)) throw badArgument(edited.left);
    const { mapping, manual, misfits, changed } = edited.right;
    if (changed) remap(s, mapping, manual, misfits);
    else if (misfits.length > 0) s.mappingProblems = misfits;
    return overview(s);
  }

  async function columnValues(arg: { readonly importId: string; readonly columnIndex: number }): Promise<ColumnValuesView | null> {
    const s = session(arg.importId);
    const column = s.mapping.columns[arg.columnIndex];
    if (column === undefined)
      throw badArgument(`${s.fileName} has ${s.mapping.columns.length} columns: there is no column ${arg.columnIndex + 1}.`);
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
        ? [
            `its header is on row ${headerRow}, and this file was opened with the header on row ${s.source.headerRowNumber}: choose row ${headerRow} as the header first`,
          ]
        : [];
    remap(
      s,
      mapping,
      new Set(),
      [...elsewhere, ...ambiguous, ...problems].map((p) => `${name}: ${p}`),
    );
    if (parsed.right.integration !== undefined)
      s.scope = { integrationId: parsed.right.integration, propertyId: parsed.right.property ?? null };
    return overview(s);
  }

  async function saveMapping(arg: { readonly importId: string; readonly path: string }): Promise<void> {
    const s = session(arg.importId);
    const path = resolve(arg.path);
    try {
      const file = toMappingFile(s.mapping, s.source.headerRowNumber === 1 ? undefined : s.source.headerRowNumber);
      const { integrationId, propertyId } = s.scope;
      const scope = integrationId === null ? {} : { integration: integrationId, ...(propertyId === null ? {} : { property: propertyId }) };
      await writeFileAtomic(nodeRunFs, path, formatMappingFile({ ...file, ...scope }));
    } catch (error) {
      throw failed(`Cannot save the mapping to ${path}: ${describeFsError(error)}.`);
    }
  }

  function validate(arg: { readonly importId: string }): Promise<ReviewCounts> {
    return checkImport(deps, session(arg.importId));
  }

  async function rows(arg: {
    readonly importId: string;
    readonly filter: ReviewFilter;
    readonly offset: number;
    readonly limit: number;
  }): Promise<RowPage<ReviewRowView>> {
    const s = session(arg.importId);
    const review = currentReview(s, 'review its rows');
    const matching = review.table.filterIndexes(arg.filter);
    const total = matching === null ? review.table.size : matching.length;
    const indexes: number[] = [];
    for (let k = arg.offset; k < Math.min(total, arg.offset + arg.limit); k++) indexes.push(matching === null ? k : matching[k]);
    const source = await sourceRows(s, review, indexes);
    return { total, offset: arg.offset, rows: indexes.map((index) => reviewRowView(s, review, index, source.get(index) as SourceRow)) };
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
    if (arg.columnIndex >= header.length)
      throw badArgument(`${s.fileName} has ${header.length} columns: there is no column ${arg.columnIndex + 1}.`);
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

    const edited = applyEdits(row, rowEdits);
    const decoded = review.prepared.decoder.decode(edited);
    review.table.update(index, decoded);
    review.runRows?.update(index, edited, decoded);
    review.table.keep(index, row);
    return { row: reviewRowView(s, review, index, row), counts: reviewCounts(s, review) };
  }

  async function exportErrors(arg: {
    readonly importId: string;
    readonly path: string;
  }): Promise<{ readonly path: string; readonly rows: number }> {
    const s = session(arg.importId);
    const path = resolve(arg.path);
    const review = s.review !== null && s.review.version === s.version ? s.review : null;
    const prepared = review?.prepared ?? (await prepareSession(s));
    try {
      const summary = await validatePrepared(prepared, { path: s.path, errorsPath: path, edits: s.edits, keepProblems: 0 });
      return { path, rows: summary.invalid + summary.skipped };
    } catch (error) {
      throw failed(messageOf(error));
    }
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
    /** What a run takes from a checked import: import-sessions.ts. */
    forRun: sessions.forRun,
    /** An open import, or a clear refusal (the check against Propexo keeps its findings with it). */
    session,
    closeAll(): void {
      for (const id of sessions.ids()) close({ importId: id });
    },
  };
}

export type Imports = ReturnType<typeof createImports>;
