// How a run's rows ended, counted: the part of a run's summary every view of it shows (the
// CLI's --json object, the app's summary). Type-only for the renderer; `runCounts` copies it.

export interface RunCounts {
  readonly runId: string;
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly skipped: number;
  /** Rows for which at least one update request was sent. */
  readonly sent: number;
  readonly succeeded: number;
  /** Rows the preview found already up to date: not sent. */
  readonly unchanged: number;
  readonly partial: number;
  readonly failed: number;
  readonly rejected: number;
  /** Rows the check against Propexo found no lead for (or no id for a name they hold): not sent. */
  readonly notFound: number;
  /** Rows whose key (or a name) matched several: not sent. */
  readonly ambiguous: number;
  readonly unknown: number;
  readonly pending: number;
  readonly notSent: number;
}

/** Just the counts of a larger summary, in their documented order. */
export const runCounts = (s: RunCounts): RunCounts => ({
  runId: s.runId,
  rows: s.rows,
  valid: s.valid,
  invalid: s.invalid,
  skipped: s.skipped,
  sent: s.sent,
  succeeded: s.succeeded,
  unchanged: s.unchanged,
  partial: s.partial,
  failed: s.failed,
  rejected: s.rejected,
  notFound: s.notFound,
  ambiguous: s.ambiguous,
  unknown: s.unknown,
  pending: s.pending,
  notSent: s.notSent,
});
