// What the UI sees of imports and runs: plain data that crosses the bridge. Kept free of Node
// and of runtime imports, so the renderer can import these types (type-only) under DOM typings.
import type { FieldKind } from '../lead/fields.ts';
import type { RowState } from './row-states.ts';
import type { RunCounts } from '../run/run-counts.ts';
import type { RowCounts } from '../validate/row-counts.ts';

/** The kinds of app/lead/fields.ts, by name (derived, so a new kind is never missed here). */
export type FieldKindName = FieldKind['kind'];

/** A Propexo lead field, for the mapping picker. */
export interface FieldView {
  /** The API name: the field's identity, shown second (small, copyable). */
  readonly name: string;
  /** What people call it ("Move-in date"), shown first. */
  readonly label: string;
  /** One line on what the field holds, in the user's words. */
  readonly explanation: string;
  /** The schema's own description. */
  readonly description: string;
  /** Column headers that map to this field: the picker finds the field by them too. */
  readonly synonyms: readonly string[];
  readonly kind: FieldKindName;
  /** Allowed values of an enum field. */
  readonly values?: readonly string[];
  readonly deprecated: boolean;
  readonly replacedBy?: string;
}

export type MatchMethodName = 'exact' | 'normalized' | 'synonym' | 'typo' | 'mapping_file' | 'report_column' | 'unmapped' | 'manual';

/** A value table's target: an enum field's value, or true/false for a yes/no field. */
export type TableValueView = string | boolean;

/** A column's reading options (app/mapping/types.ts ColumnOptions says what each means). */
export interface ColumnOptionsView {
  readonly money?: 'dollars' | 'cents';
  readonly dateOrder?: 'MDY' | 'DMY';
  readonly listSeparator?: string;
  readonly values?: Readonly<Record<string, TableValueView>>;
  readonly rawTo?: 'status_raw';
  readonly placeholders?: readonly string[];
  readonly twoDigitYears?: '2000s' | '1900s';
  readonly split?: 'last, first' | 'first last';
  readonly secondPhoneTo?: string;
  /** lead_id: what the column names the lead by (Propexo's id when absent; anything else is looked up in Propexo). */
  readonly match?: 'lead_id' | 'x_id' | 'email_1' | 'phone_1';
}

/** A distinct value of a column (case and surrounding spaces folded), for its value table. */
export interface ColumnValueView {
  /** As first written in the file, trimmed. */
  readonly text: string;
  readonly count: number;
  /** What the field reads it as without the column's value table, or null when refused. */
  readonly reads: TableValueView | null;
  /** For a refused value, a target we suggest (the person decides), or null. */
  readonly suggestion: TableValueView | null;
}

export interface ColumnValuesView {
  readonly columnIndex: number;
  readonly field: string;
  /** What a value can be translated to: the field's values, or true and false. */
  readonly targets: readonly TableValueView[];
  /** Most frequent first, at most 200. */
  readonly values: readonly ColumnValueView[];
  /** Distinct values in the column, listed or not (exact unless `distinctIsExact` is false: then at least). */
  readonly distinct: number;
  readonly distinctIsExact: boolean;
  /** Where the text as written can also go, and what that field means (status → status_raw). */
  readonly raw: { readonly field: 'status_raw'; readonly meaning: string } | null;
}

export interface ColumnMappingView {
  readonly index: number;
  readonly column: string;
  readonly field: string | null;
  readonly method: MatchMethodName;
  readonly options: ColumnOptionsView;
  /** A few non-blank values from the first rows, as text. */
  readonly samples: readonly string[];
  /** The placeholders the column's field has by default (shown when `options.placeholders` is absent); [] when unmapped. */
  readonly defaultPlaceholders: readonly string[];
  /** How the first rows' values split into first and last name when they have one shape ("Martinez, Sofia"), else null. */
  readonly splitSuggestion: 'last, first' | 'first last' | null;
}

export interface HeaderCandidateView {
  readonly rowNumber: number;
  readonly cells: readonly string[];
  readonly isHeader: boolean;
}

export interface ImportOverview {
  readonly importId: string;
  readonly path: string;
  readonly fileName: string;
  readonly format: 'csv' | 'xlsx';
  readonly encoding: string | null;
  readonly delimiter: string | null;
  readonly sheet: string | null;
  readonly sheets: readonly string[];
  /** Each sheet's row count, in the order of `sheets`, for the sheet picker (null: a chart sheet, or not known). */
  readonly sheetRowCounts: readonly (number | null)[];
  /** The header's row number (a line of a CSV, a sheet row): rows above it are not data. */
  readonly headerRow: number;
  /**
   * The file's first non-blank rows, for a picker that lets the person choose another header
   * row (open again with `options.headerRow`); the one in use has `isHeader`.
   */
  readonly headerCandidates: readonly HeaderCandidateView[];
  readonly columns: readonly ColumnMappingView[];
  /** Mapping notes (a mapping file naming a column the file lacks…). */
  readonly mappingProblems: readonly string[];
  /** How the file was read, when that is worth a look (app/source/notices.ts): the sheet chosen, the encoding found. */
  readonly notices: readonly string[];
  /** True when a column is mapped to lead_id (required before review). */
  readonly hasLeadId: boolean;
  /** Where a check against Propexo looks: from the mapping file loaded, or as last chosen in the check. */
  readonly scope: CheckScopeView;
}

export interface ReviewCounts extends RowCounts {
  /** Cells fixed in the app so far. */
  readonly edits: number;
  /** How the file was read, when that is worth a look (app/source/notices.ts). */
  readonly notices: readonly string[];
}

export type ReviewFilter = 'all' | 'errors' | 'warnings' | 'duplicates';

export interface CellIssueView {
  /** Column index in the file, or null for the row as a whole. */
  readonly columnIndex: number | null;
  readonly column: string | null;
  readonly field: string | null;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ReviewRowView {
  readonly rowNumber: number;
  readonly status: 'valid' | 'invalid' | 'skipped';
  readonly leadId: string | null;
  /** Cell text in column order (edits applied). */
  readonly cells: readonly string[];
  /** Column indexes edited in the app. */
  readonly edited: readonly number[];
  readonly duplicate: boolean;
  readonly issues: readonly CellIssueView[];
}

export interface RowPage<R> {
  /** Rows matching the filter. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly R[];
}

export type EnvironmentChoice = 'practice' | 'sandbox' | 'production';

/** The scope a check against Propexo looks leads up in (an integration, and a property when chosen). */
export interface CheckScopeView {
  readonly integrationId: string | null;
  readonly propertyId: string | null;
}

/** A lead a row could mean. */
export interface LeadCandidateView {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly propertyId: string;
}

/** A name of a reference column that was not resolved to one id. */
export interface UnresolvedNameView {
  readonly field: string;
  readonly value: string;
  readonly outcome: 'not_found' | 'ambiguous';
  /** Ambiguous: the items so named; not found: the most similar. */
  readonly candidates: readonly { readonly id: string; readonly label: string; readonly propertyId: string }[];
}

/** A row the check could not match to exactly one lead (or whose names did not resolve). */
export interface UnmatchedRowView {
  readonly rowNumber: number;
  readonly outcome: 'not_found' | 'ambiguous';
  readonly message: string;
  /** What the lead cell was looked up by (x_id, email_1, phone_1, lead_id) and its key; null: the cell is empty. */
  readonly matchedBy: string;
  readonly key: string | null;
  /** Where a Propexo id is typed to fix the row. */
  readonly leadColumnIndex: number | null;
  readonly candidates: readonly LeadCandidateView[];
  readonly names: readonly UnresolvedNameView[];
}

/** A name resolved to an id: "Zillow → ls_123", with the rows that name it. */
export interface ResolvedNameView {
  readonly field: string;
  readonly value: string;
  readonly id: string;
  readonly rows: number;
}

export interface OnlineCheckView {
  readonly environment: EnvironmentChoice;
  readonly scope: CheckScopeView;
  readonly matchedBy: string;
  readonly matched: number;
  readonly notFound: number;
  readonly ambiguous: number;
  /** Which lookup was chosen and what it cost. */
  readonly strategy: string;
  /** Requests this check made (a re-check after a fix reads only what the cache lacks). */
  readonly requests: number;
  readonly scopeChanged: boolean;
  /** The first unmatched rows, in file order (`unmatchedTotal` says how many there are). */
  readonly unmatched: readonly UnmatchedRowView[];
  readonly unmatchedTotal: number;
  readonly resolved: readonly ResolvedNameView[];
}

/** An integration or property offered as the check's scope. */
export interface ScopeOptionView {
  readonly id: string;
  readonly name: string;
  readonly detail: string;
}

/** What reading the matched leads' current values costs, said before it is spent. */
export interface ChangesCostView {
  readonly leads: number;
  readonly requests: number;
  readonly leastMs: number;
  readonly text: string;
  /** Already read for this check: showing changes costs nothing more. */
  readonly read: boolean;
}

export type ChangesFilter = 'will_change' | 'up_to_date' | 'all';

export interface FieldChangeView {
  readonly field: string;
  /** The lead's value now as text; null when it cannot be known (`unknownReason`). */
  readonly current: string | null;
  readonly unknownReason: string | null;
  readonly next: string;
  readonly verdict: 'changes' | 'same' | 'unknown';
}

export interface ChangeRowView {
  readonly rowNumber: number;
  readonly leadId: string;
  readonly unchanged: boolean;
  readonly fields: readonly FieldChangeView[];
}

/** The confirmation's figures: "N leads, M fields will change; K rows are already up to date". */
export interface ChangeCountsView {
  readonly rowsToSend: number;
  readonly leads: number;
  readonly fields: number;
  readonly unknownFields: number;
  readonly unchangedRows: number;
}

export interface ChangesPage extends RowPage<ChangeRowView> {
  readonly counts: ChangeCountsView;
}

/** What main asks the person before a run writes to Production (a native dialog, not the page). */
export interface ProductionConfirmation {
  /** `undo`: a new run writing back what run `runId` changed. */
  readonly action: 'start' | 'resume' | 'retry' | 'undo';
  /** The run continued; null for a new run. */
  readonly runId: string | null;
  readonly fileName: string;
  /** The rows a new run sends (null when continuing: the run knows which are left). */
  readonly rows: number | null;
  /** Rows the check against Propexo could not match (null: not checked against this environment). */
  readonly unmatched?: number | null;
  /** What the preview found will change (null: current values not read). */
  readonly changes?: ChangeCountsView | null;
}

/** Every state a row of a run can show (the run's own codec). */
export type RowStateName = RowState;

export interface RunRowView {
  readonly rowNumber: number;
  readonly leadId: string;
  readonly outcome: RowStateName;
  readonly jobId: string | null;
  readonly httpStatus: number | null;
  readonly errors: readonly string[];
  readonly attempts: number;
}

export type RunFilter = 'all' | 'problems' | RowStateName;

export interface RunProgressView {
  readonly runId: string;
  readonly state: 'running' | 'paused' | 'finished' | 'cancelled' | 'stopped';
  readonly toSend: number;
  readonly done: number;
  readonly counts: Readonly<Record<RowStateName, number>>;
  readonly requests: {
    readonly update: number;
    readonly status: number;
    readonly logs: number;
    readonly retries: number;
    readonly throttled: number;
  };
  readonly requestsPerMinute: number;
  readonly etaMs: number | null;
  /** Why the run stopped early (credentials refused, disk full…). */
  readonly stoppedReason: string | null;
  /** Set while a new run prepares (its rows checked, then its file hashed): nothing is sent yet. */
  readonly preparing?: 'checking' | 'hashing';
}

export interface RunSummaryView extends RunCounts {
  readonly stoppedReason: string | null;
  /** An undo run that has ended (or stopped): what its write-backs found as they went. Absent for other runs. */
  readonly undo?: UndoFoundView;
}

/**
 * What an undo run found while it ran: each write-back reads its lead again right before its
 * PUT, and a field someone changed after the undo's plan was confirmed is left as it is. Read
 * from the undo run's undo.json (the same after the app restarts).
 */
export interface UndoFoundView {
  /** The run it undoes. */
  readonly undoOf: string;
  /** Fields the confirmed plan wrote back, left alone because they had changed meanwhile (one per lead and field). */
  readonly leftAlone: number;
  /** The first of them (at most 200), verdict `changed_since`: what the lead showed, and what the import wrote. */
  readonly fields: readonly UndoFieldView[];
  /** Set when the run's undo.json cannot be read: the file and why (then nothing above is known). */
  readonly problem?: string;
}

export interface RunListItem {
  readonly runId: string;
  readonly createdAt: string;
  readonly fileName: string;
  readonly filePath: string;
  readonly environment: string;
  readonly state: 'running' | 'interrupted' | 'finished' | 'cancelled' | 'stopped';
  readonly rows: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** This run undid that run. */
  readonly undoOf: string | null;
  /** The runs that undid this one. */
  readonly undoneBy: readonly string[];
}

/** A field the undo leaves alone, writes over anyway (forced), or cannot write back. */
export interface UndoFieldView {
  readonly row: number;
  readonly leadId: string;
  readonly field: string;
  readonly verdict: 'forced' | 'changed_since' | 'cannot_clear' | 'cannot_restore';
  /** The values as display text (blank: ''; unknown: null). */
  readonly before: string | null;
  readonly written: string | null;
  readonly current: string | null;
  readonly reason: string | null;
}

/** What undoing a run would do (nothing written yet), for the confirmation in History. */
export interface UndoPlanView {
  readonly runId: string;
  readonly fileName: string;
  readonly environment: string;
  readonly force: boolean;
  /** Leads the undo would write to (0: nothing to undo, `nothingToDo` says why). */
  readonly leadsToWrite: number;
  readonly restore: number;
  readonly forced: number;
  readonly changedSince: number;
  readonly notApplied: number;
  readonly cannotClear: number;
  readonly cannotRestore: number;
  readonly skippedRows: number;
  /** The first fields changed since, forced or not restorable (at most 200). */
  readonly fields: readonly UndoFieldView[];
  /** Why nothing would be written, or null. */
  readonly nothingToDo: string | null;
}

export interface CredentialTestResult {
  readonly ok: boolean;
  readonly message: string;
}
