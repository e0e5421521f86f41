// One line about how a run went, from the outcome counts of the run list (the journal's
// words: write_failed is a job the property-management system refused, sent is a request
// that never got its answer, accepted a job not followed to its end).
import type { RunListItem, RunSummaryView } from '../../app/shared/views.ts';
import { count, plural } from '../format.ts';

const GROUPS: readonly { readonly words: string; readonly keys: readonly string[] }[] = [
  { words: 'succeeded', keys: ['succeeded'] },
  { words: 'already up to date', keys: ['unchanged'] },
  { words: 'partly applied', keys: ['partial'] },
  { words: 'failed', keys: ['failed', 'write_failed'] },
  { words: 'rejected', keys: ['rejected'] },
  { words: 'unknown', keys: ['unknown'] },
  { words: 'pending', keys: ['pending'] },
  { words: 'awaiting an answer', keys: ['accepted', 'retried'] },
  { words: 'sent, no answer yet', keys: ['sent', 'sending', 'retrying'] },
  { words: 'not sent', keys: ['not_sent', 'notSent', 'queued', 'requeued'] },
];

const IGNORED = new Set(['invalid', 'skipped']);

export function outcomeLine(run: Pick<RunListItem, 'outcomes'>): string {
  const parts: string[] = [];
  const known = new Set(GROUPS.flatMap((g) => g.keys));
  for (const group of GROUPS) {
    const n = group.keys.reduce((sum, key) => sum + (run.outcomes[key] ?? 0), 0);
    if (n > 0) parts.push(`${count(n)} ${group.words}`);
  }
  for (const [key, n] of Object.entries(run.outcomes))
    if (n > 0 && !known.has(key) && !IGNORED.has(key)) parts.push(`${count(n)} ${key.replace(/_/g, ' ')}`);
  return parts.length === 0 ? 'nothing sent yet' : parts.join(', ');
}

/** How far an interrupted run got: "21 of 240 rows handled". */
export function interruptedLine(run: Pick<RunListItem, 'outcomes' | 'rows'>): string {
  let handled = 0;
  for (const [key, n] of Object.entries(run.outcomes)) if (!IGNORED.has(key)) handled += n;
  return `${count(handled)} of ${plural(run.rows, 'row')} handled before it stopped`;
}

/** What a finished run is called in a notice: the file it sent; an undo, as the undo of that file's run. */
export interface FinishedRunName {
  /** null: a run this window knows nothing of (the history could not be read). */
  readonly fileName: string | null;
  readonly undo: boolean;
}

/**
 * The notice when a run ends out of sight: "Run of leads.csv finished: 3 rows succeeded." or
 * "Undo of the run of leads.csv finished: 2 leads written back." (an undo writes one row per lead).
 * Named by its file, never by its run id: the id says nothing to the person who started it.
 */
export function finishedLine(
  run: FinishedRunName,
  summary: Pick<RunSummaryView, 'succeeded' | 'failed' | 'rejected' | 'unknown' | 'notSent'>,
): string {
  const problems = summary.failed + summary.rejected + summary.unknown + summary.notSent;
  if (run.undo) {
    const what = run.fileName === null ? 'An undo' : `Undo of the run of ${run.fileName}`;
    return `${what} finished: ${plural(summary.succeeded, 'lead')} written back${problems > 0 ? `, ${plural(problems, 'lead')} not` : ''}.`;
  }
  const what = run.fileName === null ? 'A run' : `Run of ${run.fileName}`;
  return `${what} finished: ${plural(summary.succeeded, 'row')} succeeded${problems > 0 ? `, ${plural(problems, 'row')} did not` : ''}.`;
}
