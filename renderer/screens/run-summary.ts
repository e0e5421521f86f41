// One line about how a run went, from the outcome counts of the run list (the journal's
// words: write_failed is a job the property-management system refused, sent is a request
// that never got its answer, accepted a job not followed to its end).
import type { RunListItem, RunSummaryView, UndoFieldView, UndoFoundView } from '../../app/shared/views.ts';
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

/** An undo's rows not written back were left as they are (format.ts, outcomeLabelIn). */
const UNDO_WORDS: Readonly<Record<string, string>> = { 'already up to date': 'left alone' };

export function outcomeLine(run: Pick<RunListItem, 'outcomes' | 'undoOf'>): string {
  const parts: string[] = [];
  const known = new Set(GROUPS.flatMap((g) => g.keys));
  for (const group of GROUPS) {
    const n = group.keys.reduce((sum, key) => sum + (run.outcomes[key] ?? 0), 0);
    if (n > 0) parts.push(`${count(n)} ${(run.undoOf !== null ? UNDO_WORDS[group.words] : undefined) ?? group.words}`);
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
  summary: Pick<RunSummaryView, 'succeeded' | 'failed' | 'rejected' | 'unknown' | 'notSent' | 'undo'>,
): string {
  const problems = summary.failed + summary.rejected + summary.unknown + summary.notSent;
  if (run.undo) {
    const what = run.fileName === null ? 'An undo' : `Undo of the run of ${run.fileName}`;
    const leftAlone = summary.undo?.leftAlone ?? 0;
    const meanwhile =
      leftAlone > 0 ? `; ${plural(leftAlone, 'field')} changed meanwhile left as ${leftAlone === 1 ? 'it is' : 'they are'}` : '';
    return `${what} finished: ${plural(summary.succeeded, 'lead')} written back${problems > 0 ? `, ${plural(problems, 'lead')} not` : ''}${meanwhile}.`;
  }
  const what = run.fileName === null ? 'A run' : `Run of ${run.fileName}`;
  return `${what} finished: ${plural(summary.succeeded, 'row')} succeeded${problems > 0 ? `, ${plural(problems, 'row')} did not` : ''}.`;
}

/**
 * Over the fields an undo found changed as it ran (each lead is read again right before its
 * write-back, and a field changed after the undo was confirmed is not written over):
 * "2 fields were changed by someone else while the undo ran and were left as they are:". null: none.
 */
export function undoFoundLine(found: Pick<UndoFoundView, 'leftAlone'>): string | null {
  const n = found.leftAlone;
  if (n === 0) return null;
  return `${plural(n, 'field was', 'fields were')} changed by someone else while the undo ran and ${n === 1 ? 'was' : 'were'} left as ${n === 1 ? 'it is' : 'they are'}:`;
}

/** A value as the undo screens show it: quoted; blank and unknown said in words. */
const quoted = (value: string | null): string => (value === null ? 'unknown' : value === '' ? '(blank)' : `“${value}”`);

/**
 * One field it left alone, by the lead (its id and row, as the undo confirmation names it) and
 * the field's label: "Lead L-7 (row 2) — First name: now “Sam” (the import wrote “Ann”; before it, “Anne”)".
 */
export function undoFoundItem(field: UndoFieldView, label: (name: string) => string): string {
  return `Lead ${field.leadId} (row ${count(field.row)}) — ${label(field.field)}: now ${quoted(field.current)} (the import wrote ${quoted(field.written)}; before it, ${quoted(field.before)})`;
}

/** Below the list when it holds the first fields only (the desktop sends at most 200). */
export function undoFoundMore(found: Pick<UndoFoundView, 'leftAlone' | 'fields'>): string | null {
  const more = found.leftAlone - found.fields.length;
  return more > 0 ? `… and ${plural(more, 'more field')} left as ${more === 1 ? 'it is' : 'they are'}.` : null;
}
