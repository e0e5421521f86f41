// How source columns become lead fields. The codec for the saved mapping file lives in
// mapping-file.ts; these are the in-memory shapes both the matcher and the decoder use.
import type { LeadFieldName } from '../lead/fields.ts';
import type { LeadKeyKind } from '../lookup/lead-keys.ts';

export type MoneyUnit = 'dollars' | 'cents';
export type DateOrder = 'MDY' | 'DMY';
/** Which century a two-digit year ("3/7/25") is in; without it such years are refused. */
export type Century = '2000s' | '1900s';
/** How a single name column splits into first_name and last_name. */
export type NameSplit = 'last, first' | 'first last';
/** A value-table target: an enum field's value, or true/false for a yes/no field. */
export type TableValue = string | boolean;

export interface ColumnOptions {
  /** Money fields only; default dollars unless the header says cents. */
  readonly money?: MoneyUnit;
  /** Date fields only; default MDY. */
  readonly dateOrder?: DateOrder;
  /** List fields only; default: split on `;` or `|`. */
  readonly listSeparator?: string;
  /**
   * Enum and yes/no fields: the file's words → the field's values ("Contacted" → ACTIVE),
   * keyed by `valueKey` (case and surrounding spaces ignored). A cell not in it is read as usual.
   */
  readonly values?: Readonly<Record<string, TableValue>>;
  /** Date fields only: the century of two-digit years. */
  readonly twoDigitYears?: Century;
  /** Cells that mean "blank" in this column; default `defaultPlaceholders(field)`; `[]` for none. */
  readonly placeholders?: readonly string[];
  /** first_name or last_name: the column holds the whole name and fills both. */
  readonly split?: NameSplit;
  /** Phone fields: where a second number in the same cell goes (e.g. phone_2). */
  readonly secondPhoneTo?: LeadFieldName;
  /** status: the cell, as written, is also sent as status_raw (Propexo's raw status text). */
  readonly rawTo?: 'status_raw';
  /**
   * lead_id only: what the column names the lead by. 'lead_id' (the default): Propexo's own id;
   * 'x_id' (the PMS's guest card or prospect id), 'email_1' or 'phone_1': looked up in Propexo
   * within the mapping's scope (app/lookup) before anything is sent.
   */
  readonly match?: LeadKeyKind;
}

/** How a column came to be mapped (or not), shown to the user next to each match. */
export type MatchMethod =
  | 'exact' // header equals the field name
  | 'normalized' // equal after case/space/punctuation folding
  | 'synonym' // a word a property manager would write ("E-mail Address")
  | 'typo' // within a small edit distance of a name or synonym
  | 'mapping_file' // given by --mapping / a saved template
  | 'report_column' // import_row / import_stage / import_errors of our own error report
  | 'unmapped';

export interface ColumnMapping {
  /** Position in the header (0-based). */
  readonly index: number;
  /** The header text. */
  readonly column: string;
  readonly field: LeadFieldName | null;
  readonly method: MatchMethod;
  readonly options: ColumnOptions;
}

/** One entry per header column, in header order. No field appears twice. */
export interface Mapping {
  readonly columns: readonly ColumnMapping[];
}
