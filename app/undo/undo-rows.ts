// undo.json: what an undo run sends and why, written into its run folder before its journal's
// first entry. Its rows are not read from a file, so resuming it (and undoing it: re-applying)
// reads them from here: one write-back per lead, keyed by the lead's last row in the file of
// the run undone, with the rows of the run undone it was planned from (each write-back is
// planned again from them when its lead is read right before it: undo-reread.ts), and every
// field's verdict for the summary and the error report (as the latest reading of the lead found it).
import { join } from 'node:path';
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { LeadUpdate } from '../lead/lead-update.ts';
import { decodeErrorLines } from '../shared/decode-errors.ts';
import { FieldValue, RowOutcome } from '../run/journal-entry.ts';
import { NonNegativeInteger, RowNumber } from '../run/codec-util.ts';
import { RunId } from '../run/run-header.ts';
import { writeFileAtomic } from '../run/atomic-write.ts';
import { VALID, type RunRowIndex } from '../run/run-row-index.ts';
import { nodeRunFs, type RunFs } from '../run/run-fs.ts';
import { emptyCounts, type LeadUndo, type UndoPlan, type UndoRow } from './undo-plan.ts';

export const UNDO_FILE = 'undo.json';

const Verdict = t.keyof(
  { restore: null, forced: null, changed_since: null, not_applied: null, cannot_clear: null, cannot_restore: null },
  'undo verdict',
);

export const StoredFieldUndo = t.exact(
  t.intersection([
    t.type({ row: RowNumber, leadId: t.string, field: t.string, verdict: Verdict }),
    t.partial({ before: FieldValue, written: FieldValue, current: FieldValue, reason: t.string }),
  ]),
  'field undo',
);
export type StoredFieldUndo = t.TypeOf<typeof StoredFieldUndo>;

/** A row of the run undone as the plan took it (undo-plan.ts `UndoRow`, its lead the write-back's). */
export const StoredUndoRow = t.exact(
  t.intersection([
    t.type({
      row: RowNumber,
      outcome: RowOutcome,
      before: t.type({ values: t.record(t.string, FieldValue), unreadable: t.record(t.string, t.string) }),
      payload: LeadUpdate,
    }),
    t.partial({ appliedFields: t.array(t.string) }),
  ]),
  'undone row',
);
export type StoredUndoRow = t.TypeOf<typeof StoredUndoRow>;

export const UndoWrite = t.exact(
  t.intersection([
    t.type({
      /** The lead's last row in the run undone: the undo run's row number for this lead. */
      row: RowNumber,
      leadId: t.string,
      /** Every row of the lead it undoes, in the order undone. */
      rows: t.array(RowNumber),
      /** What the plan confirmed: the most the write-back sends. */
      payload: LeadUpdate,
    }),
    // Absent from undo runs started before write-backs read their lead again: they send the payload as planned.
    t.partial({ plannedFrom: t.array(StoredUndoRow) }),
  ]),
  'undo write',
);
export type UndoWrite = t.TypeOf<typeof UndoWrite>;

/** A record of the employees or floor plans read at the undo's start: what employee_id and floor_plan_id compare through. */
const StoredReference = t.exact(t.type({ id: t.string, x_id: t.string, integration_id: t.string, property_id: t.string }));

export const UndoFile = t.exact(
  t.intersection([
    t.type({
      undoOf: RunId,
      force: t.boolean,
      writes: t.array(UndoWrite),
      fields: t.array(StoredFieldUndo),
      skipped: t.array(t.exact(t.type({ row: RowNumber, leadId: t.string, reason: t.string }))),
      counts: t.record(t.string, NonNegativeInteger),
    }),
    t.partial({ references: t.exact(t.partial({ employees: t.array(StoredReference), 'floor-plans': t.array(StoredReference) })) }),
  ]),
  'undo file',
);
export type UndoFile = t.TypeOf<typeof UndoFile>;

export async function writeUndoFile(runDir: string, file: UndoFile, fs: RunFs = nodeRunFs): Promise<void> {
  await writeFileAtomic(fs, join(runDir, UNDO_FILE), JSON.stringify(UndoFile.encode(file)));
}

export async function readUndoFile(runDir: string, fs: RunFs = nodeRunFs): Promise<E.Either<string, UndoFile>> {
  const path = join(runDir, UNDO_FILE);
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(path));
  } catch (error) {
    return E.left(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return E.left(`${path} is not valid JSON`);
  }
  return pipe(
    UndoFile.decode(json),
    E.mapLeft((errors) => `${path}: ${decodeErrorLines(errors, { actual: 'json' }).join('; ')}`),
  );
}

/** The undo's rows as its run's row table: one valid row per write-back, in the order written back (live, and reopened from history). */
export function undoRowIndex(undo: UndoFile): RunRowIndex {
  const n = undo.writes.length;
  return {
    rowNumbers: Int32Array.from(undo.writes.map((w) => w.row)),
    status: new Uint8Array(n).fill(VALID),
    leadIds: undo.writes.map((w) => w.leadId),
    problems: new Map(),
    counts: { rows: n, valid: n, invalid: 0, skipped: 0 },
  };
}

/** The rows a write-back was planned from, stored. */
export const storedRowsOf = (rows: readonly UndoRow[]): StoredUndoRow[] =>
  rows.map((r) => ({
    row: r.row,
    outcome: r.outcome,
    before: { values: { ...(r.before?.values ?? {}) }, unreadable: { ...(r.before?.unreadable ?? {}) } },
    payload: r.payload,
    ...(r.appliedFields ? { appliedFields: [...r.appliedFields] } : {}),
  }));

/** The rows a write-back was planned from, as the plan takes them. */
export const undoRowsOfWrite = (write: UndoWrite): UndoRow[] =>
  (write.plannedFrom ?? []).map((r) => ({
    row: r.row,
    leadId: write.leadId,
    outcome: r.outcome,
    before: { row: r.row, leadId: write.leadId, values: r.before.values, unreadable: r.before.unreadable },
    payload: r.payload,
    ...(r.appliedFields ? { appliedFields: r.appliedFields } : {}),
  }));

/** Every field of a lead's plan, stored: its verdict, values and reason. */
export function storedFieldsOf(lead: LeadUndo): StoredFieldUndo[] {
  return lead.fields.map((f) => ({
    row: f.row,
    leadId: lead.leadId,
    field: f.field,
    verdict: f.verdict,
    ...(f.before !== undefined ? { before: f.before as StoredFieldUndo['before'] } : {}),
    ...(f.written !== undefined ? { written: f.written as StoredFieldUndo['written'] } : {}),
    ...(f.current.known ? { current: f.current.value as StoredFieldUndo['current'] } : {}),
    ...(f.reason !== undefined ? { reason: f.reason } : {}),
  }));
}

/** The counts by verdict of `fields`, and the leads to write back as planned. */
export function countsOf(fields: readonly StoredFieldUndo[], leadsToWrite: number): UndoPlan['counts'] {
  const counts = emptyCounts();
  for (const f of fields) counts[f.verdict]++;
  return { ...counts, leadsToWrite };
}

/**
 * The fields an undo left alone because its re-read found them changed (undo-reread.ts): fields
 * of a lead the confirmed plan wrote back (a write's `payload`), that the lead, read again right
 * before its write-back, showed changed since the import, so nothing of that field was sent.
 * One per lead and field (the latest row of the lead first, as undone). undo.json keeps the
 * verdicts as found, so this reads the same after the app or the CLI restarts.
 */
export function leftAloneAtReread(file: UndoFile): StoredFieldUndo[] {
  const planned = new Map(file.writes.map((w) => [w.leadId, w.payload as Readonly<Record<string, unknown>>]));
  const key = (f: StoredFieldUndo): string => `${f.leadId}\u0000${f.field}`;
  const sent = new Set(file.fields.filter((f) => f.verdict === 'restore' || f.verdict === 'forced').map(key));
  const found = new Map<string, StoredFieldUndo>();
  for (const f of file.fields) {
    const payload = planned.get(f.leadId);
    if (f.verdict !== 'changed_since' || payload === undefined || !(f.field in payload) || sent.has(key(f))) continue;
    if (!found.has(key(f))) found.set(key(f), f);
  }
  return [...found.values()];
}
