// An undo's plan (app/undo) as the History confirmation shows it: counts by verdict, and the
// fields the person should see before saying yes (changed since the import, forced, not restorable).
import { basename } from 'node:path';
import type { RunHeader } from '../run/run-header.ts';
import type { StoredFieldUndo } from '../undo/undo-rows.ts';
import type { UndoSummary } from '../undo/undo-run.ts';
import type { UndoFieldView, UndoPlanView } from '../shared/views.ts';

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
