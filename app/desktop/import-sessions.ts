// Open imports by id, in memory: a file being mapped and reviewed, and what a run takes from a
// checked one (`forRun`). Each mapping change bumps the import's version, so a check of an
// older version is stale. Nothing here reads the file (see imports.ts for the requests).
import { randomBytes } from 'node:crypto';
import { defaultPlaceholders } from '../lead/placeholders.ts';
import { LEAD_ID_FIELD } from '../lead/fields.ts';
import type { ColumnValues } from '../mapping/column-values.ts';
import type { Mapping, NameSplit } from '../mapping/types.ts';
import { sourceNotices } from '../source/notices.ts';
import type { InputCheck, RunInput } from '../run/run-input.ts';
import type { LookupScope } from '../run/run-header.ts';
import type { SourceFile, SourceOptions } from '../source/types.ts';
import type { CellEdits } from '../validate/decoded-rows.ts';
import { validationSummary } from '../validate/validate-file.ts';
import { failed } from './desktop-errors.ts';
import type { Review } from './review-pages.ts';
import type { CheckScopeView, ColumnMappingView, ImportOverview, MatchMethodName, ReviewCounts } from '../shared/views.ts';

export interface ImportSession {
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
  /** The lookup scope (a mapping file's "integration" and "property"; the check against Propexo sets it): saved with the mapping. */
  scope: CheckScopeView;
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
  /** Where the run looks leads and names up (the import's scope), when one is chosen. */
  readonly lookup?: LookupScope;
}

export function createImportSessions() {
  const sessions = new Map<string, ImportSession>();
  let counter = 0;

  /** An open import, or a clear refusal. */
  const session = (importId: string): ImportSession => {
    const found = sessions.get(importId);
    if (found === undefined || found.closed) throw failed(`This file is no longer open (import ${importId}); open it again.`);
    return found;
  };

  /** What a run needs: refuses an import that is not checked, or has nothing valid to send. */
  function forRun(importId: string): RunMaterial {
    const s = session(importId);
    const review = currentReview(s, 'send it');
    const counts = reviewCounts(s, review);
    if (counts.valid === 0) {
      throw failed(
        `Nothing to send: none of the ${counts.rows} rows of ${s.fileName} is valid ` +
          `(${counts.invalid} with errors, ${counts.skipped} with nothing to change). Fix the errors in Review first.`,
      );
    }
    const edits = new Map<number, ReadonlyMap<number, string>>();
    for (const [row, columns] of s.edits) edits.set(row, new Map(columns));
    const checked = checkOfReview(s, review, edits);
    return {
      importId,
      fileName: s.fileName,
      input: {
        prepared: review.prepared,
        edits,
        sourceFile: { path: s.path, size: review.stamp.size, mtimeMs: review.stamp.mtimeMs },
        ...(checked !== undefined ? { checked } : {}),
      },
      counts,
      ...(s.scope.integrationId === null
        ? {}
        : { lookup: { integrationId: s.scope.integrationId, ...(s.scope.propertyId === null ? {} : { propertyId: s.scope.propertyId }) } }),
    };
  }

  return {
    newId: (): string => `imp-${++counter}-${randomBytes(4).toString('hex')}`,
    add(s: ImportSession): void {
      sessions.set(s.id, s);
    },
    session,
    /** A check or a value tally under way stops at its next batch. */
    close(importId: string): void {
      const s = sessions.get(importId);
      if (s === undefined) return;
      s.closed = true;
      s.review = null;
      sessions.delete(importId);
    },
    ids: (): string[] => [...sessions.keys()],
    forRun,
  };
}

export type ImportSessions = ReturnType<typeof createImportSessions>;

/**
 * The review's check as a run takes it (none when the check kept no run index), named for
 * `edits`, the copy of the import's fixes handed to the run: the review is of the current
 * mapping version (`currentReview`), and its index took every fix as it was made.
 */
function checkOfReview(s: ImportSession, review: Review, edits: CellEdits): InputCheck | undefined {
  if (review.runRows === undefined) return undefined;
  return {
    prepared: review.prepared,
    edits,
    rows: review.runRows.snapshot(),
    // The review shows every row's problems itself: the first ones are not kept for a run.
    validation: validationSummary(review.prepared, s.path, review.table.counts(), { errorsFile: null, firstProblems: [] }),
  };
}

export const hasLeadId = (mapping: Mapping): boolean => mapping.columns.some((c) => c.field === LEAD_ID_FIELD);

/** The check of the current mapping, or a clear refusal. */
export function currentReview(s: ImportSession, action: string): Review {
  if (s.review !== null && s.review.version === s.version) return s.review;
  if (s.validating !== null && s.validating.version === s.version)
    throw failed(`${s.fileName} is still being checked: ${action} when the check has finished.`);
  throw failed(`Check ${s.fileName} with its current mapping before you ${action}.`);
}

/** A new mapping: any check of the old one is stale. */
export function remap(s: ImportSession, mapping: Mapping, manual: Set<number>, problems: readonly string[]): void {
  s.mapping = mapping;
  s.manual = manual;
  s.mappingProblems = problems;
  s.version++;
  s.review = null;
}

/** The import as the Map and Review screens show it. */
export function overview(s: ImportSession): ImportOverview {
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
    sheetRowCounts: [...(s.source.sheetRowCounts ?? [])],
    headerRow: s.source.headerRowNumber,
    headerCandidates: s.source.headerCandidates.map((c) => ({ rowNumber: c.rowNumber, cells: [...c.cells], isHeader: c.isHeader })),
    columns: s.mapping.columns.map((c): ColumnMappingView => ({
      index: c.index,
      column: c.column,
      field: c.field,
      method: (s.manual.has(c.index) ? 'manual' : c.method) satisfies MatchMethodName,
      options: { ...c.options },
      samples: s.samples[c.index] ?? [],
      defaultPlaceholders: c.field === null ? [] : [...defaultPlaceholders(c.field)],
      splitSuggestion: s.splitSuggestions[c.index] ?? null,
    })),
    mappingProblems: [...s.mappingProblems],
    notices: noticesOf(s),
    hasLeadId: hasLeadId(s.mapping),
    scope: { ...s.scope },
  };
}

/**
 * How the file was read: the sheet chosen when it was opened (later reads name that sheet), and
 * what the latest full read found about the encoding.
 */
export function noticesOf(s: ImportSession): string[] {
  const { path, sheet, sheetsPassedOver, encodingDoubt } = s.source;
  return [
    ...s.openNotices,
    ...sourceNotices({
      path,
      sheet,
      sheetsPassedOver,
      encodingDoubt,
      encodingFallback: (s.review?.prepared.source ?? s.source).encodingFallback,
    }),
  ];
}

/** A check's counts, with the fixes made since and how the file was read. */
export function reviewCounts(s: ImportSession, review: Review): ReviewCounts {
  let edits = 0;
  for (const row of s.edits.values()) edits += row.size;
  return { ...review.table.counts(), edits, notices: noticesOf(s) };
}
