// How a file's rows came out of checking: the counts every view of a check shows (the CLI's
// summary, the review table, the app's review screen). Type-only, so the renderer can use it.

export interface RowCounts {
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly skipped: number;
  /** Rows with at least one warning. */
  readonly warnings: number;
  /** Rows that update a lead an earlier row already updates. */
  readonly duplicates: number;
}
