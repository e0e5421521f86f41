// The records of a run's rows, compactly. A row still under way is a RowRecord object (the
// engine updates it in place and the UI's batcher reads it); once it has its outcome it is
// settled into typed arrays and two string columns: ~57 bytes a row besides its job id string
// (which the job tracker holds too), against ~156 as an object in a map (measured, 200,000
// rows; the lead id is the row table's). A row's slot is found through a typed array by row
// number: a map from row to slot was ~30 B more a row of heap. A run of 1,000,000 rows keeps its
// outcomes without a million objects. Reading a settled row makes a fresh RowRecord, so readers
// see the usual ReadonlyMap<row, RowRecord>.
import { ROW_STATES, type RowState } from '../shared/outcomes.ts';
import { ROW_STAGES, type RowRecord, type RowStage } from './row-record.ts';

/** Slot 0: no stage; the others from the one list of stages (a new stage is stored too). */
const STAGES: readonly (RowStage | undefined)[] = [undefined, ...ROW_STAGES];
const NO_STATUS = 0xffff;
const NO_ERRORS: readonly string[] = Object.freeze([]);
/** In `slotOf`: the row has no settled slot. In `rows`: the slot was given up (the row went under way again). */
const NONE = -1;

export class RowRecords implements ReadonlyMap<number, Readonly<RowRecord>> {
  private readonly open = new Map<number, RowRecord>();
  /** Row number → slot of a settled row (NONE: none); grown to the highest row number settled. */
  private slotOf = new Int32Array(1024).fill(NONE);
  /** Slots given out, live or given up. */
  private count = 0;
  private settledRows = 0;
  private rows = new Int32Array(1024);
  private outcomes = new Uint8Array(1024);
  private stages = new Uint8Array(1024);
  private attempts = new Uint16Array(1024);
  private statuses = new Uint16Array(1024);
  /** A settled row's lead id, unless `leadIdOf` gives the same (then null: the row table holds it). */
  private readonly leadIds: (string | null)[] = [];
  private readonly jobIds: (string | null)[] = [];
  /** Errors of the settled rows that have some (most rows have none). */
  private readonly errors = new Map<number, readonly string[]>();

  /** `leadIdOf`: the lead id the run's row table holds for a row, so settled rows need not keep it. */
  constructor(private readonly leadIdOf?: (row: number) => string | undefined) {}

  /** Keeps a row's record, under way (updated in place by its owner until `settle`). */
  set(row: number, record: RowRecord): this {
    this.dropSettled(row);
    this.open.set(row, record);
    return this;
  }

  /** The row has its outcome: its record is kept compactly from now on (the object is left to its holders). */
  settle(record: Readonly<RowRecord>): void {
    this.open.delete(record.row);
    let slot = this.slotAt(record.row);
    if (slot === NONE) {
      slot = this.count++;
      if (slot === this.rows.length) this.grow();
      this.claimSlot(record.row, slot);
      this.settledRows++;
    }
    this.rows[slot] = record.row;
    this.outcomes[slot] = ROW_STATES.indexOf(record.outcome);
    this.stages[slot] = STAGES.indexOf(record.stage);
    this.attempts[slot] = Math.min(record.attempts, 0xfffe);
    this.statuses[slot] = record.httpStatus === undefined ? NO_STATUS : record.httpStatus;
    this.leadIds[slot] = this.leadIdOf?.(record.row) === record.leadId ? null : record.leadId;
    this.jobIds[slot] = record.jobId ?? null;
    if (record.errors.length > 0) this.errors.set(slot, record.errors);
    else this.errors.delete(slot);
  }

  /** The records of rows under way, as their owner updates them (a copy of the list). */
  underWay(): RowRecord[] {
    return [...this.open.values()];
  }

  get size(): number {
    return this.open.size + this.settledRows;
  }

  has(row: number): boolean {
    return this.open.has(row) || this.slotAt(row) !== NONE;
  }

  get(row: number): Readonly<RowRecord> | undefined {
    const open = this.open.get(row);
    if (open !== undefined) return open;
    const slot = this.slotAt(row);
    return slot === NONE ? undefined : this.at(slot);
  }

  *entries(): MapIterator<[number, Readonly<RowRecord>]> {
    for (const record of this.values()) yield [record.row, record];
  }

  *keys(): MapIterator<number> {
    for (const record of this.values()) yield record.row;
  }

  /** Rows under way first, then settled rows in the order they settled. */
  *values(): MapIterator<Readonly<RowRecord>> {
    yield* [...this.open.values()];
    const settledSoFar = this.count;
    for (let slot = 0; slot < settledSoFar; slot++) if (this.rows[slot] !== NONE) yield this.at(slot);
  }

  [Symbol.iterator](): MapIterator<[number, Readonly<RowRecord>]> {
    return this.entries();
  }

  forEach(callback: (value: Readonly<RowRecord>, key: number, map: ReadonlyMap<number, Readonly<RowRecord>>) => void): void {
    for (const record of this.values()) callback(record, record.row, this);
  }

  private at(slot: number): RowRecord {
    const row = this.rows[slot];
    const record: RowRecord = {
      row,
      leadId: this.leadIds[slot] ?? this.leadIdOf?.(row) ?? '',
      outcome: ROW_STATES[this.outcomes[slot]] as RowState,
      errors: this.errors.get(slot) ?? NO_ERRORS,
      attempts: this.attempts[slot],
    };
    const jobId = this.jobIds[slot];
    if (jobId !== null) record.jobId = jobId;
    if (this.statuses[slot] !== NO_STATUS) record.httpStatus = this.statuses[slot];
    const stage = STAGES[this.stages[slot]];
    if (stage !== undefined) record.stage = stage;
    return record;
  }

  /** A settled row set under way again (a resumed row sent anew): its slot is left empty. */
  private dropSettled(row: number): void {
    const slot = this.slotAt(row);
    if (slot === NONE) return;
    this.slotOf[row] = NONE;
    this.rows[slot] = NONE;
    this.settledRows--;
    this.errors.delete(slot);
    this.leadIds[slot] = null;
    this.jobIds[slot] = null;
  }

  private slotAt(row: number): number {
    return row >= 0 && row < this.slotOf.length ? this.slotOf[row] : NONE;
  }

  private claimSlot(row: number, slot: number): void {
    if (row < 0) throw new RangeError(`RowRecords: row number ${row} is not a row of a file`);
    if (row >= this.slotOf.length) {
      const grown = new Int32Array(Math.max(row + 1, this.slotOf.length * 2)).fill(NONE);
      grown.set(this.slotOf);
      this.slotOf = grown;
    }
    this.slotOf[row] = slot;
  }

  private grow(): void {
    const size = this.rows.length * 2;
    const copy = <A extends Int32Array | Uint8Array | Uint16Array>(from: A, to: A): A => {
      to.set(from);
      return to;
    };
    this.rows = copy(this.rows, new Int32Array(size));
    this.outcomes = copy(this.outcomes, new Uint8Array(size));
    this.stages = copy(this.stages, new Uint8Array(size));
    this.attempts = copy(this.attempts, new Uint16Array(size));
    this.statuses = copy(this.statuses, new Uint16Array(size));
  }
}
