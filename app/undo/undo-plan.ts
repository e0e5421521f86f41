// Planning the undo of a run, pure: from what the journal says of each row (its outcome, the
// before-values of exactly the fields it sent), the payloads the rows sent, and each lead as
// it is now, the PUT that writes the before-values back, one per lead. Rows are undone in
// reverse file order over the lead's values, so a lead two rows changed ends as it was before
// the first. A field is written back only where the run's value is still there: a field
// someone changed since is left alone ("changed since the import") unless forced; a field
// that shows its before-value already needs nothing. A blank before-value is written only
// where Propexo's update accepts null; elsewhere it "cannot be cleared through Propexo".
import * as E from 'fp-ts/Either';
import { jsonCodecFor, type LeadFieldValue, type LeadUpdate } from '../lead/lead-update.ts';
import { fieldSpecByName, isLeadFieldName } from '../lead/fields.ts';
import type { LeadOrReason } from '../preview/current-values.ts';
import { leadFieldNames, leadUpdateInputSchema, type LeadFieldName } from '../propexo/schema.ts';
import { sameValue } from '../preview/changes.ts';
import {
  currentValueOf,
  fieldCorrespondence,
  noReferenceIds,
  type CurrentValue,
  type ReferenceIds,
} from '../preview/field-correspondence.ts';
import { beforeValuesOf, foldRowStates, outcomeOf, type JournalEntry, type RowBefore, type RowOutcome } from '../run/journal-entry.ts';

const typesOf = (name: LeadFieldName): readonly string[] => {
  const type = leadUpdateInputSchema.properties[name].type;
  return type === undefined ? [] : typeof type === 'string' ? [type] : type;
};

/** The update fields whose schema accepts null (today only desired_min_rent_in_cents): the only blanks a PUT can write. */
export const nullableUpdateFields: readonly LeadFieldName[] = leadFieldNames.filter((name) => typesOf(name).includes('null'));

/** Journal outcomes whose request may have written something: undone after comparing with the lead. */
const MAY_HAVE_WRITTEN: ReadonlySet<RowOutcome> = new Set<RowOutcome>([
  'succeeded',
  'partial',
  'unknown', // sent, arrival unknowable
  'sent', // sent, no answer recorded (the run stopped)
  'failed', // the request failed for good: a connection dropped after Propexo applied it is possible
]);
/** Outcomes whose job may still write later: undoing now would race it. */
const STILL_RUNNING: ReadonlySet<RowOutcome> = new Set<RowOutcome>(['accepted', 'pending']);

/** One row of the run as the undo needs it. */
export interface UndoRow {
  readonly row: number;
  readonly leadId: string;
  readonly outcome: RowOutcome;
  /** The journal's before-values; undefined when the run recorded none (sent without a preview, or an old journal). */
  readonly before: RowBefore | undefined;
  /** The row's payload as sent (fields the preview dropped are not in `before` and are ignored). */
  readonly payload: LeadUpdate;
  /** For a partial job, the fields it applied when the write logs told them; otherwise the lead is compared. */
  readonly appliedFields?: readonly string[];
}

/** The rows of a run from its journal and the payloads of its rows (the prepared import). */
export function undoRowsOf(
  entries: readonly JournalEntry[],
  payloads: ReadonlyMap<number, LeadUpdate>,
  appliedFields: ReadonlyMap<number, readonly string[]> = new Map(),
): UndoRow[] {
  const befores = beforeValuesOf(entries);
  const rows: UndoRow[] = [];
  for (const state of foldRowStates(entries).values()) {
    // An undo's write-back reads its lead first: ended unsent after an earlier attempt was sent
    // (resumed), it may have written; failed before any request (the read failed), it wrote nothing.
    const sentBefore = state.attempts > 0 && (state.last.t === 'unchanged' || state.last.t === 'not_sent');
    if (state.last.t === 'unchanged' && !sentBefore) continue;
    if (state.last.t === 'failed' && state.attempts === 0) continue;
    const before = befores.get(state.row);
    const leadId = before?.leadId ?? leadIdOf(entries, state.row);
    const applied = appliedFields.get(state.row);
    rows.push({
      row: state.row,
      leadId,
      outcome: sentBefore ? 'sent' : outcomeOf(state.last),
      before,
      payload: payloads.get(state.row) ?? {},
      ...(applied ? { appliedFields: applied } : {}),
    });
  }
  return rows.sort((a, b) => a.row - b.row);
}

function leadIdOf(entries: readonly JournalEntry[], row: number): string {
  for (const entry of entries) if (entry.t === 'sent' && entry.row === row) return entry.leadId;
  return '';
}

export type FieldUndoVerdict =
  /** The run's value is still there: the before-value is written back. */
  | 'restore'
  /** Changed since the import, written back anyway because the undo was forced. */
  | 'forced'
  /** Changed since the import: left alone. */
  | 'changed_since'
  /** The lead already shows the before-value (the job did not apply it, or someone undid it). */
  | 'not_applied'
  /** The before-value is blank and Propexo's update cannot write a blank into this field. */
  | 'cannot_clear'
  /** The before-value or the current value is unknown, or not a value the update accepts. */
  | 'cannot_restore';

export interface FieldUndo {
  readonly row: number;
  readonly field: LeadFieldName;
  readonly before: LeadFieldValue | undefined;
  readonly written: LeadFieldValue | undefined;
  readonly current: CurrentValue;
  readonly verdict: FieldUndoVerdict;
  readonly reason?: string;
}

export interface LeadUndo {
  readonly leadId: string;
  /** The lead's rows, in the order they are undone (reverse file order). */
  readonly rows: readonly number[];
  /** What the undo sends (empty: nothing to write back). */
  readonly payload: LeadUpdate;
  readonly fields: readonly FieldUndo[];
}

export interface SkippedUndoRow {
  readonly row: number;
  readonly leadId: string;
  readonly reason: string;
}

export interface UndoPlan {
  /** One entry per lead with a row to undo, the lead of the last row first. */
  readonly leads: readonly LeadUndo[];
  /** Rows that are not undone at all, and why (never written, no before-values, job still running, lead unreadable). */
  readonly skipped: readonly SkippedUndoRow[];
  readonly counts: Readonly<Record<FieldUndoVerdict, number>> & { readonly leadsToWrite: number };
}

export interface UndoOptions {
  /** Write back fields changed since the import too (the summary warns). */
  readonly force?: boolean;
  readonly references?: ReferenceIds;
}

/** A lead as read now, or why it could not be read (current-values.ts `leadsOrReasons`). */
export type LeadNow = LeadOrReason;

function updateCodecOf(field: LeadFieldName): ReturnType<typeof jsonCodecFor> {
  const spec = fieldSpecByName.get(field);
  return spec === undefined ? null : jsonCodecFor(spec.type);
}

const isBlankValue = (v: LeadFieldValue): boolean => v === null || (typeof v === 'string' && v.trim() === '');

/** The value that writes `before` back through the update, or why there is none. */
function restorable(field: LeadFieldName, before: LeadFieldValue): E.Either<{ verdict: FieldUndoVerdict; reason: string }, LeadFieldValue> {
  if (isBlankValue(before)) {
    if (nullableUpdateFields.includes(field)) return E.right(null);
    return E.left({
      verdict: 'cannot_clear',
      reason: `${field} was blank before the import, and Propexo's update cannot clear it (it accepts null only for ${nullableUpdateFields.join(', ')})`,
    });
  }
  const codec = updateCodecOf(field);
  if (codec === null) return E.left({ verdict: 'cannot_restore', reason: `${field} cannot be written from here` });
  const decoded = codec.decode(before);
  if (E.isLeft(decoded))
    return E.left({
      verdict: 'cannot_restore',
      reason: `the value before the import, ${JSON.stringify(before)}, is not one ${field} accepts`,
    });
  return E.right(decoded.right);
}

export const emptyCounts = (): Record<FieldUndoVerdict, number> => ({
  restore: 0,
  forced: 0,
  changed_since: 0,
  not_applied: 0,
  cannot_clear: 0,
  cannot_restore: 0,
});

export function planUndo(rows: readonly UndoRow[], leadsNow: ReadonlyMap<string, LeadNow>, options: UndoOptions = {}): UndoPlan {
  const references = options.references ?? noReferenceIds;
  const skipped: SkippedUndoRow[] = [];
  const byLead = new Map<string, UndoRow[]>();
  for (const row of rows) {
    if (STILL_RUNNING.has(row.outcome))
      skipped.push({
        row: row.row,
        leadId: row.leadId,
        reason: 'its job has no final status yet: check its status (lead-import status) before undoing it',
      });
    else if (!MAY_HAVE_WRITTEN.has(row.outcome))
      continue; // never written: nothing to undo, nothing to say
    else if (row.before === undefined)
      skipped.push({
        row: row.row,
        leadId: row.leadId,
        reason: 'the run recorded no values from before it (sent without a preview): it cannot be undone',
      });
    else byLead.set(row.leadId, [...(byLead.get(row.leadId) ?? []), row]);
  }

  const counts = emptyCounts();
  const leads: LeadUndo[] = [];
  for (const [leadId, leadRows] of byLead) {
    const now = leadsNow.get(leadId);
    if (now === undefined || 'unreadable' in now) {
      const why = now === undefined ? 'the lead was not read' : now.unreadable;
      for (const row of leadRows) skipped.push({ row: row.row, leadId, reason: `cannot be undone now: ${why}` });
      continue;
    }
    // The lead's values as the undo goes, in the update's terms: each write-back becomes the current value of the row before it.
    const state = new Map<LeadFieldName, CurrentValue>();
    const currentOf = (field: LeadFieldName): CurrentValue => state.get(field) ?? currentValueOf(field, now, references);
    const payload: Record<string, LeadFieldValue> = {};
    const fields: FieldUndo[] = [];
    const ordered = [...leadRows].sort((a, b) => b.row - a.row);
    for (const row of ordered) {
      const before = row.before as RowBefore;
      for (const name of [...Object.keys(before.values), ...Object.keys(before.unreadable)]) {
        if (!isLeadFieldName(name)) continue;
        const field = name;
        const current = currentOf(field);
        const beforeValue = before.values[field] as LeadFieldValue | undefined;
        const written = row.payload[field] as LeadFieldValue | undefined;
        const add = (verdict: FieldUndoVerdict, reason?: string): void => {
          counts[verdict]++;
          fields.push({ row: row.row, field, before: beforeValue, written, current, verdict, ...(reason === undefined ? {} : { reason }) });
        };
        if (beforeValue === undefined) {
          add('cannot_restore', `its value before the import could not be read: ${before.unreadable[field] ?? 'unknown'}`);
          continue;
        }
        if (row.outcome === 'partial' && row.appliedFields !== undefined && !row.appliedFields.includes(field)) {
          add('not_applied', 'the job did not apply this field');
          continue;
        }
        const spec = fieldCorrespondence[field];
        if (!current.known || !spec.comparable) {
          add(
            'cannot_restore',
            `its current value cannot be read, so it cannot be checked: ${current.known ? 'not comparable' : current.reason}`,
          );
          continue;
        }
        if (written === undefined) {
          add('cannot_restore', 'the row no longer holds this field (the file changed since the run?)');
          continue;
        }
        let verdict: FieldUndoVerdict = 'restore';
        let note: string | undefined;
        if (!sameValue(spec.kind, current.value, written)) {
          if (sameValue(spec.kind, current.value, beforeValue)) {
            add('not_applied', 'the lead already shows the value from before the import');
            continue;
          }
          // Back as before an earlier row of the lead (an undo already applied): nothing of this row is left to undo.
          const earlier = leadRows.some(
            (other) =>
              other.row < row.row &&
              other.before?.values[field] !== undefined &&
              sameValue(spec.kind, current.value, other.before.values[field] as LeadFieldValue),
          );
          if (earlier) {
            add('not_applied', 'the lead already shows the value from before an earlier row of the import');
            continue;
          }
          if (options.force !== true) {
            add(
              'changed_since',
              `changed since the import: it is now ${JSON.stringify(current.value)}, the import wrote ${JSON.stringify(written)}`,
            );
            continue;
          }
          verdict = 'forced';
          note = `changed since the import (now ${JSON.stringify(current.value)}), written back because the undo was forced`;
        }
        const value = restorable(field, beforeValue);
        if (E.isLeft(value)) {
          add(value.left.verdict, value.left.reason);
          continue;
        }
        payload[field] = value.right;
        state.set(field, { known: true, value: value.right });
        add(verdict, note);
      }
    }
    leads.push({ leadId, rows: ordered.map((r) => r.row), payload: payload as LeadUpdate, fields });
  }
  // The lead whose last row came last in the file is undone first.
  leads.sort((a, b) => b.rows[0] - a.rows[0]);
  skipped.sort((a, b) => b.row - a.row);
  return { leads, skipped, counts: { ...counts, leadsToWrite: leads.filter((l) => Object.keys(l.payload).length > 0).length } };
}
