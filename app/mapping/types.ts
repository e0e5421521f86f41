// How source columns become lead fields. The codec for the saved mapping file lives in
// mapping-file.ts; these are the in-memory shapes both the matcher and the decoder use.
import type { LeadFieldName } from '../lead/fields.ts';

export type MoneyUnit = 'dollars' | 'cents';
export type DateOrder = 'MDY' | 'DMY';

export interface ColumnOptions {
  /** Money fields only; default dollars unless the header says cents. */
  readonly money?: MoneyUnit;
  /** Date fields only; default MDY. */
  readonly dateOrder?: DateOrder;
  /** List fields only; default: split on `;` or `|`. */
  readonly listSeparator?: string;
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
