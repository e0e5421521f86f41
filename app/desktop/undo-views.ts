// An undo's plan (app/undo) as the History confirmation shows it: counts by verdict, and the
// fields the person should see before saying yes (changed since the import, forced, not restorable);
// and, once an undo run has ended, what its write-backs found (fields changed while it ran).
import { basename, join } from 'node:path';
import * as E from 'fp-ts/Either';
import type { RunHeader } from '../run/run-header.ts';
import { createRunStore } from '../run/run-store.ts';
import { leftAloneAtReread, readUndoFile, type StoredFieldUndo, type UndoFile } from '../undo/undo-rows.ts';
import type { UndoSummary } from '../undo/undo-run.ts';
import type { RunSummaryView, UndoFieldView, UndoFoundView, UndoPlanView } from '../shared/views.ts';

/** The confirmation lists this many fields at most (a run of 100,000 rows could list them all). */
export const UNDO_FIELDS_SHOWN = 200;

/** A value as text: blank is '', unknown (not recorded or not read) is null. */
const shown = (value: StoredFieldUndo['before']): string | null =>
  value === undefined ? null : value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value);

function fieldView(field: StoredFieldUndo): UndoFieldView | null {
  if (field.verdict === 'restore' || field.verdict === 'not_applied') return null;
  return {
    row: field.row,
    leadId: field.leadId,
    field: field.field,
    verdict: field.verdict,
    before: shown(field.before),
    written: shown(field.written),
    current: shown(field.current),
    reason: field.reason ?? null,
  };
}

export function undoPlanView(header: RunHeader, summary: UndoSummary, nothingToDo: string | null): UndoPlanView {
  const count = (verdict: keyof UndoSummary['counts']): number => summary.counts[verdict] ?? 0;
  const fields: UndoFieldView[] = [];
  for (const field of summary.fields) {
    if (fields.length >= UNDO_FIELDS_SHOWN) break;
    const view = fieldView(field);
    if (view !== null) fields.push(view);
  }
  return {
    runId: summary.undoOf,
    fileName: basename(header.file.path),
    environment: header.environment.name,
    force: summary.force,
    leadsToWrite: nothingToDo === null ? count('leadsToWrite') : 0,
    restore: count('restore'),
    forced: count('forced'),
    changedSince: count('changed_since'),
    notApplied: count('not_applied'),
    cannotClear: count('cannot_clear'),
    cannotRestore: count('cannot_restore'),
    skippedRows: summary.skipped.length,
    fields,
    nothingToDo,
  };
}

/** The fields an undo run left alone because its re-read found them changed (undo-rows.ts `leftAloneAtReread`). */
export function undoFoundView(file: UndoFile): UndoFoundView {
  const leftAlone = leftAloneAtReread(file);
  const fields: UndoFieldView[] = [];
  for (const field of leftAlone.slice(0, UNDO_FIELDS_SHOWN)) {
    const view = fieldView(field);
    if (view !== null) fields.push(view);
  }
  return { undoOf: file.undoOf, leftAlone: leftAlone.length, fields };
}

/**
 * What an ended undo run found, from its undo.json as read (`readUndoFile`); when the file
 * cannot be read, a notice naming it and why, so the summary does not silently leave it out.
 */
export function undoFoundOf(undoOf: string, file: E.Either<string, UndoFile>): UndoFoundView {
  if (E.isRight(file)) return undoFoundView(file.right);
  return { undoOf, leftAlone: 0, fields: [], problem: `What this undo found as it wrote back cannot be shown: ${file.left}` };
}

/**
 * An ended run's summary, with what its write-backs found when it is an undo: read from its
 * undo.json (each write-back stores its verdicts there before its PUT leaves), so a live undo
 * and one reopened after a restart say the same. Unchanged for other runs. `file`: undo.json
 * already read (past-runs.ts reads it for the run's rows too).
 */
export async function withUndoFound(
  dataDir: string,
  summary: RunSummaryView,
  header?: Pick<RunHeader, 'undoOf'>,
  file?: E.Either<string, UndoFile>,
): Promise<RunSummaryView> {
  const store = createRunStore(dataDir);
  let undoOf = header?.undoOf;
  if (header === undefined) {
    const read = await store.header(summary.runId);
    if (E.isRight(read)) undoOf = read.right.undoOf;
  }
  if (undoOf === undefined) return summary;
  return { ...summary, undo: undoFoundOf(undoOf, file ?? (await readUndoFile(join(store.runsDir, summary.runId)))) };
}
