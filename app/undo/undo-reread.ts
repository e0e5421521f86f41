// Each write-back of an undo reads its lead again right before its PUT (#13). The plan shown
// before the undo read every lead when it started: for a big undo that is minutes before the
// last write-backs, and a change made meanwhile must not be overwritten. So the engine's
// `prepare` step (engine.ts) reads the lead (its own turn in the run's queue and budget,
// retried as reads are: current-values.ts), plans the write-back again from the rows it undoes
// (undo.json `plannedFrom`) with the same rule (undo-plan.ts `planUndo`), and sends what is
// still safe. The plan the person confirmed is the most it sends: a field it left alone is
// never written. undo.json takes the verdicts the reading found before the PUT leaves, so the
// summary and the error report say "changed since the import" for such a field, after a crash
// too; the journal's `before` entry (written by the engine with `sent`) holds the values read
// of exactly the fields sent, so undoing the undo writes them back.
import type { PreparedRow, PrepareRow } from '../run/engine.ts';
import type { RowBeforeValues } from '../preview/preview-run.ts';
import type { PropexoReadClient } from '../propexo/reads.ts';
import type { SendQueue } from '../schedule/send-queue.ts';
import type { Clock } from '../schedule/clock.ts';
import type { BackoffPolicy, RandomSource } from '../schedule/backoff.ts';
import { abortError } from '../schedule/abort.ts';
import type { LeadFieldValue, LeadUpdate } from '../lead/lead-update.ts';
import { readCurrentValues } from '../preview/current-values.ts';
import { labelOf } from '../lead/field-labels.ts';
import { planUndo, type LeadUndo, type UndoOptions as PlanOptions } from './undo-plan.ts';
import { countsOf, storedFieldsOf, undoRowsOfWrite, type StoredFieldUndo, type UndoFile, type UndoWrite } from './undo-rows.ts';

export interface RereadDeps {
  readonly reads: Pick<PropexoReadClient, 'getLead'>;
  readonly queue: Pick<SendQueue, 'run'>;
  readonly clock: Pick<Clock, 'sleep'>;
  /** Retries of a read after a 5xx or a dropped connection, as the run's updates retry. */
  readonly backoff?: BackoffPolicy;
  readonly random?: RandomSource;
  /** Stores undo.json as the readings found the leads (atomically: run-store's folder). */
  readonly save: (file: UndoFile) => Promise<void>;
}

export interface RereadWriteBacks {
  /** The engine's step before each write-back's PUT. */
  readonly prepare: PrepareRow;
  /** undo.json as the readings so far found the leads: the summary and the reports take it. */
  file(): UndoFile;
}

/** What a write-back sends once its lead is read again, and every field's verdict. */
interface Replanned {
  readonly payload: LeadUpdate;
  readonly before: RowBeforeValues;
  readonly fields: readonly StoredFieldUndo[];
}

const sends = (verdict: StoredFieldUndo['verdict']): boolean => verdict === 'restore' || verdict === 'forced';

/**
 * The lead's plan narrowed to what the confirmed plan writes back: a field restorable now but
 * left alone then keeps its verdict from then (it is not sent). The before-values: the lead
 * as read, of exactly the fields sent (the first verdict of a field in undo order is the lead now).
 */
function withinPlanned(write: UndoWrite, lead: LeadUndo, planned: readonly StoredFieldUndo[]): Replanned {
  const confirmed = write.payload as Readonly<Record<string, unknown>>;
  const payload: Record<string, LeadFieldValue> = {};
  for (const [field, value] of Object.entries(lead.payload as Readonly<Record<string, LeadFieldValue>>))
    if (field in confirmed) payload[field] = value;
  const values: Record<string, LeadFieldValue> = {};
  for (const f of lead.fields)
    if (f.field in payload && !(f.field in values) && sends(f.verdict) && f.current.known) values[f.field] = f.current.value;
  const fields = storedFieldsOf(lead).map((f) =>
    sends(f.verdict) && !(f.field in confirmed) ? (planned.find((p) => p.row === f.row && p.field === f.field) ?? f) : f,
  );
  return { payload: payload as LeadUpdate, before: { values: values as RowBeforeValues['values'], unreadable: {} }, fields };
}

/**
 * Why a write-back with nothing left to send leaves its lead as it is, in the row's words (the
 * app's row table, the results file): the confirmed fields someone changed since the import, and
 * those that cannot be written back now. None when the lead already shows the values from before
 * (the row's usual "already had these values" says that).
 */
export function leftAsItIs(write: UndoWrite, fields: readonly StoredFieldUndo[]): string | undefined {
  const confirmed = write.payload as Readonly<Record<string, unknown>>;
  const named = (verdicts: readonly StoredFieldUndo['verdict'][]): string[] => [
    ...new Set(fields.filter((f) => f.field in confirmed && verdicts.includes(f.verdict)).map((f) => labelOf(f.field))),
  ];
  const changed = named(['changed_since']);
  const notWritable = named(['cannot_clear', 'cannot_restore']).filter((label) => !changed.includes(label));
  const reasons = [
    ...(changed.length > 0 ? [`changed by someone else since the import: ${changed.join(', ')}`] : []),
    ...(notWritable.length > 0 ? [`cannot be written back now: ${notWritable.join(', ')}`] : []),
  ];
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** What a forced write-back's row says once written: the fields it writes over a change made since the import. */
function writtenOver(replanned: Replanned): string | undefined {
  const payload = replanned.payload as Readonly<Record<string, unknown>>;
  const forced = [...new Set(replanned.fields.filter((f) => f.verdict === 'forced' && f.field in payload).map((f) => labelOf(f.field)))];
  return forced.length > 0 ? `written over a change made since the import: ${forced.join(', ')}` : undefined;
}

const sameFields = (a: readonly StoredFieldUndo[], b: readonly StoredFieldUndo[]): boolean =>
  a.length === b.length && a.every((f, i) => JSON.stringify(f) === JSON.stringify(b[i]));

export function rereadWriteBacks(undo: UndoFile, options: PlanOptions, deps: RereadDeps): RereadWriteBacks {
  let file = undo;
  const writes = new Map(undo.writes.map((w) => [w.row, w]));
  // Each lead's verdicts, in the file's order of leads: a write-back looks up its own (not the
  // whole file's, once per lead: quadratic in a big undo).
  const fieldsByLead = new Map<string, readonly StoredFieldUndo[]>();
  for (const f of undo.fields) fieldsByLead.set(f.leadId, [...(fieldsByLead.get(f.leadId) ?? []), f]);
  // One save at a time, each of the file as it is when the save starts (it holds every reading before it).
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const next = saving.then(() => deps.save(file));
    saving = next.catch(() => undefined);
    return next;
  };

  /** undo.json with the lead's verdicts as read now, stored before its write-back leaves. */
  async function record(leadId: string, fields: readonly StoredFieldUndo[]): Promise<void> {
    if (sameFields(fieldsByLead.get(leadId) ?? [], fields)) return;
    // In place of the lead's verdicts from the start (a lead's verdicts are together, in undo order).
    fieldsByLead.set(leadId, fields);
    const all = [...fieldsByLead.values()].flat();
    file = { ...file, fields: all, counts: { ...countsOf(all, file.counts.leadsToWrite ?? file.writes.length) } };
    try {
      await save();
    } catch (error) {
      throw new Error(`Cannot store what reading lead ${leadId} found: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  async function prepare(row: { readonly rowNumber: number; readonly payload: LeadUpdate }, signal: AbortSignal): Promise<PreparedRow> {
    const write = writes.get(row.rowNumber);
    // An undo started before write-backs read their lead again: sent as planned.
    if (write?.plannedFrom === undefined) return { send: { payload: row.payload } };
    const readings = await readCurrentValues([write.leadId], { ...deps, signal });
    if (signal.aborted) throw abortError();
    const reading = readings.get(write.leadId);
    if (reading === undefined) throw new Error(`lead ${write.leadId} was not read`);
    if (!reading.ok) {
      if (reading.error.kind === 'auth') return { stop: reading.error };
      const status = 'status' in reading.error ? reading.error.status : undefined;
      return { end: { t: 'failed', reason: reading.message, ...(status !== undefined ? { httpStatus: status } : {}) } };
    }
    const plan = planUndo(undoRowsOfWrite(write), new Map([[write.leadId, reading.lead]]), options);
    const lead = plan.leads[0];
    if (lead === undefined) throw new Error(plan.skipped[0]?.reason ?? `lead ${write.leadId} has nothing to undo`);
    const replanned = withinPlanned(write, lead, fieldsByLead.get(write.leadId) ?? []);
    await record(write.leadId, replanned.fields);
    if (Object.keys(replanned.payload).length === 0) {
      const reason = leftAsItIs(write, replanned.fields);
      return { end: { t: 'unchanged', ...(reason !== undefined ? { reason } : {}) } };
    }
    const note = writtenOver(replanned);
    return { send: { payload: replanned.payload, before: replanned.before, ...(note !== undefined ? { note } : {}) } };
  }

  return { prepare, file: () => file };
}
