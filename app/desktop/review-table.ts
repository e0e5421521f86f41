// What the review screen needs of every row of a checked file, kept compactly so a
// 1,000,000-row file fits: a row number, a status byte and a lead-id hash per row in typed
// arrays, duplicate groups only for leads that repeat, and the cells of the rows the review
// memory policy keeps (app/desktop/README.md, "Review memory", describes it once). Issues are
// not stored: a shown row is decoded again from its cells (review-pages.ts).
import type { DecodedRow } from '../lead/decoded-row.ts';
import type { SourceRow } from '../source/types.ts';
import type { ReviewFilter } from '../shared/views.ts';
import type { RowCounts } from '../validate/row-counts.ts';
import { INVALID, VALID } from '../run/run-row-index.ts';
// The same classification as validate's tally and the run's row index (status; why a row is not
// sent is `notSentIssues`), but only as bits in a byte per row (review-row.ts, which the check's
// worker uses too): the problems' text of 1,000,000 rows would not fit, so review-pages.ts
// decodes a shown row again for it. Cells are kept packed as review-row.ts packs them.
import {
  doubled,
  DUPLICATE,
  flagsOf,
  hasIssues,
  OWN_WARNINGS,
  packRow as pack,
  PARTICIPATES,
  rowLeadHash,
  STATUS_MASK,
  unpackRow as unpack,
  type PackedRow as StoredRow,
} from '../validate/review-row.ts';
import type { ReviewTablePart } from '../validate/segment-protocol.ts';

/** Slots of the table of each lead's first row moved by a call of `makeRoom` (a few ms). */
const MAKE_ROOM_SLOTS = 65_536;

/** Scratch for `rowLeadHash`: the table hashes one lead id at a time. */
const hash = new Int32Array(2);

export type TableCounts = RowCounts;

export class ReviewTable {
  private rowNumbers = new Int32Array(1024);
  private flags = new Uint8Array(1024);
  private hashHi = new Int32Array(1024);
  private hashLo = new Int32Array(1024);
  private length = 0;
  /** Every row's cells (memory mode), or null once the file is past `memoryRows` rows. */
  private all: StoredRow[] | null = [];
  /** Rows with issues, and rows read again and edited (stream mode). */
  private readonly kept = new Map<number, StoredRow>();
  /** Duplicate groups ("hi,lo" → row indexes in file order), only for leads with 2+ rows. */
  private readonly groups = new Map<string, number[]>();
  /**
   * During the check only: the first row of each lead seen so far. Rows arrive in file order,
   * so a row whose lead is there is a duplicate at once: finish() has no sort to do, which
   * blocked the event loop for ~300 ms at 1,000,000 rows. Dropped at finish (edits go
   * through `groups`).
   */
  private firstRows: FirstRows | null = new FirstRows();
  private readonly filterCache = new Map<ReviewFilter, Int32Array>();
  private finished = false;
  private readonly c = { valid: 0, invalid: 0, skipped: 0, warnings: 0, duplicates: 0 };

  constructor(private readonly memoryRows: number) {}

  /**
   * Keeps only the rows with issues from the first row on, as past `memoryRows`: for a check
   * that can tell the file has far more rows than that, so the cells of its first rows are not
   * packed only to be dropped at the limit.
   */
  streamFromStart(): void {
    if (this.length > 0) throw new Error('ReviewTable: streamFromStart after rows were appended');
    this.all = null;
  }

  /** 'memory': every row's cells are here; 'stream': only rows with issues (others are read again). */
  get mode(): 'memory' | 'stream' {
    return this.all === null ? 'stream' : 'memory';
  }

  get size(): number {
    return this.length;
  }

  /** Adds the next row in file order: `row` as read (no edits), `decoded` with the edits applied. */
  append(row: SourceRow, decoded: DecodedRow): void {
    if (this.finished) throw new Error('ReviewTable: append after finish');
    const i = this.length;
    if (i === this.rowNumbers.length) this.grow();
    this.rowNumbers[i] = row.rowNumber;
    this.setHash(i, decoded);
    this.flags[i] = flagsOf(decoded);
    if ((this.flags[i] & PARTICIPATES) !== 0) this.seeLead(i);
    this.length++;
    if (this.keeps(i)) this.store(i, pack(row));
  }

  /**
   * Adds rows `from` to `to` (exclusive) of a part checked by another thread (the desktop's
   * segment worker), in file order as `append` would: its flags, hashes and packed cells are
   * copied in, only duplicates are looked for here. Called in slices, from 0, to turn the loop.
   */
  appendPart(part: ReviewTablePart, from: number, to: number): void {
    if (this.finished) throw new Error('ReviewTable: append after finish');
    const at = this.length;
    while (at + to - from > this.rowNumbers.length) this.grow();
    this.rowNumbers.set(part.rowNumbers.subarray(from, to), at);
    this.flags.set(part.flags.subarray(from, to), at);
    this.hashHi.set(part.hashHi.subarray(from, to), at);
    this.hashLo.set(part.hashLo.subarray(from, to), at);
    let k = firstAtOrAfter(part.keptAt, from);
    for (let j = from; j < to; j++) {
      const i = this.length++;
      if ((this.flags[i] & PARTICIPATES) !== 0) this.seeLead(i);
      const sent = k < part.keptAt.length && part.keptAt[k] === j;
      if (this.keeps(i)) {
        if (!sent) throw new Error(`ReviewTable: the cells of row ${this.rowNumbers[i]} were not sent with its part`);
        this.store(i, part.keptRows[k]);
      }
      if (sent) k++;
    }
  }

  /**
   * Makes room, a slice at a time, for the leads of `rows` rows in all (the table of each lead's
   * first row grows now, not when they come): for the wait between the two parts of a check,
   * when this thread has nothing else to do. False once there is nothing left to do.
   */
  makeRoom(rows: number): boolean {
    return this.firstRows !== null && this.firstRows.makeRoom(rows, MAKE_ROOM_SLOTS, this.hashHi, this.hashLo);
  }

  /** Whether the memory policy keeps the cells of the row just appended at `i` (past the limit, only rows with issues). */
  private keeps(i: number): boolean {
    if (this.all !== null) {
      if (this.all.length < this.memoryRows) return true;
      // Past the limit: keep only the rows that have something to show.
      for (let k = 0; k < this.all.length; k++) if (hasIssues(this.flags[k])) this.kept.set(k, this.all[k]);
      this.all = null;
    }
    return hasIssues(this.flags[i]);
  }

  /** Keeps the cells of the row just appended at `i`, which `keeps` said to keep. */
  private store(i: number, cells: StoredRow): void {
    if (this.all !== null) this.all.push(cells);
    else this.kept.set(i, cells);
  }

  /** Ends the check: counts (the duplicate groups were found as rows came). */
  finish(): void {
    this.finished = true;
    this.firstRows = null;
    for (let i = 0; i < this.length; i++) this.count(i, 1);
  }

  counts(): TableCounts {
    return { rows: this.length, ...this.c };
  }

  rowNumberAt(index: number): number {
    return this.rowNumbers[index];
  }

  /** The index of a row number, or -1 (row numbers grow in file order). */
  indexOf(rowNumber: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.rowNumbers[mid];
      if (at === rowNumber) return mid;
      if (at < rowNumber) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  isDuplicate(index: number): boolean {
    return (this.flags[index] & DUPLICATE) !== 0;
  }

  /** Row numbers of the earlier rows that update the same lead as this duplicate row. */
  earlierRows(index: number): number[] {
    if (!this.isDuplicate(index)) return [];
    const group = this.groups.get(this.keyOf(index)) ?? [];
    return group.filter((member) => member < index).map((member) => this.rowNumbers[member]);
  }

  /** The row's cells as read, when they are kept here. */
  storedRow(index: number): SourceRow | undefined {
    const stored = this.all !== null ? this.all[index] : this.kept.get(index);
    return stored === undefined ? undefined : unpack(stored, this.rowNumbers[index]);
  }

  /** Keeps a row read again from the file (an edited row stays at hand). */
  keep(index: number, row: SourceRow): void {
    if (this.all === null) this.kept.set(index, pack(row));
  }

  /** Row indexes matching a filter, in file order; null for 'all' (every index). */
  filterIndexes(filter: ReviewFilter): Int32Array | null {
    if (filter === 'all') return null;
    const cached = this.filterCache.get(filter);
    if (cached !== undefined) return cached;
    const test =
      filter === 'errors'
        ? (f: number) => (f & STATUS_MASK) === INVALID
        : filter === 'warnings'
          ? (f: number) => (f & (OWN_WARNINGS | DUPLICATE)) !== 0
          : (f: number) => (f & DUPLICATE) !== 0;
    let n = 0;
    for (let i = 0; i < this.length; i++) if (test(this.flags[i])) n++;
    const out = new Int32Array(n);
    n = 0;
    for (let i = 0; i < this.length; i++) if (test(this.flags[i])) out[n++] = i;
    this.filterCache.set(filter, out);
    return out;
  }

  /**
   * A row decoded again after an edit: its status, and the duplicate flags of the rows sharing
   * its old and its new lead (the first row of a lead is never the duplicate).
   */
  update(index: number, decoded: DecodedRow): void {
    this.filterCache.clear();
    const wasIn = (this.flags[index] & PARTICIPATES) !== 0;
    const oldKey = this.keyOf(index);
    this.setFlags(index, flagsOf(decoded));
    this.setHash(index, decoded);
    if (wasIn) this.leaveGroup(oldKey, index);
    if ((this.flags[index] & PARTICIPATES) !== 0) this.joinGroup(index);
  }

  // ---- duplicate groups -------------------------------------------------------------------

  /** A row that takes part, in file order during the check: the first of its lead, or a duplicate joining the lead's group. */
  private seeLead(index: number): void {
    if (this.firstRows === null) throw new Error('ReviewTable: leads are seen only during the check');
    const first = this.firstRows.see(index, this.hashHi, this.hashLo);
    if (first < 0) return;
    const key = this.keyOf(first);
    const group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, [first, index]);
    else group.push(index);
    this.flags[index] |= DUPLICATE;
  }

  private leaveGroup(key: string, index: number): void {
    const group = this.groups.get(key);
    if (group === undefined) return;
    const at = group.indexOf(index);
    if (at >= 0) group.splice(at, 1);
    if (group.length <= 1) {
      this.groups.delete(key);
      for (const member of group) this.setFlags(member, this.flags[member] & ~DUPLICATE);
    } else this.markGroup(group);
  }

  private joinGroup(index: number): void {
    const key = this.keyOf(index);
    let group = this.groups.get(key);
    if (group === undefined) {
      // No group yet: at most one other row has this lead. One pass finds it (edits are rare).
      const hi = this.hashHi[index];
      const lo = this.hashLo[index];
      let other = -1;
      for (let i = 0; i < this.length; i++) {
        if (i !== index && (this.flags[i] & PARTICIPATES) !== 0 && this.hashHi[i] === hi && this.hashLo[i] === lo) {
          other = i;
          break;
        }
      }
      if (other < 0) return;
      group = [other];
      this.groups.set(key, group);
    }
    let at = 0;
    while (at < group.length && group[at] < index) at++;
    group.splice(at, 0, index);
    this.markGroup(group);
  }

  private markGroup(group: readonly number[]): void {
    group.forEach((member, k) => this.setFlags(member, k === 0 ? this.flags[member] & ~DUPLICATE : this.flags[member] | DUPLICATE));
  }

  // ---- flags and counts -------------------------------------------------------------------

  /** Sets a row's flags and moves its contribution to the counts. */
  private setFlags(index: number, flags: number): void {
    this.count(index, -1);
    this.flags[index] = flags;
    this.count(index, 1);
  }

  private count(index: number, sign: 1 | -1): void {
    const f = this.flags[index];
    const status = f & STATUS_MASK;
    if (status === VALID) this.c.valid += sign;
    else if (status === INVALID) this.c.invalid += sign;
    else this.c.skipped += sign;
    if ((f & (OWN_WARNINGS | DUPLICATE)) !== 0) this.c.warnings += sign;
    if ((f & DUPLICATE) !== 0) this.c.duplicates += sign;
  }

  private setHash(index: number, decoded: DecodedRow): void {
    rowLeadHash(decoded.leadId, hash);
    this.hashHi[index] = hash[0];
    this.hashLo[index] = hash[1];
  }

  private keyOf(index: number): string {
    return `${this.hashHi[index]},${this.hashLo[index]}`;
  }

  private grow(): void {
    const { rowNumbers, flags, hashHi, hashLo } = this;
    ({
      rowNumbers: this.rowNumbers,
      flags: this.flags,
      hashHi: this.hashHi,
      hashLo: this.hashLo,
    } = doubled({ rowNumbers, flags, hashHi, hashLo }));
  }
}

/**
 * The first row of each lead hash seen: open addressing over row indexes (-1 empty), the hash
 * itself read from the table's arrays. Growing moves the old slots over a few per call (as
 * Redis rehashes), so no row holds the event loop for a whole rehash (~100 ms at 500,000 leads
 * on a loaded machine), for ~0.3 s more per 1,000,000 rows over the whole check.
 */
class FirstRows {
  private slots = new Int32Array(1024).fill(-1);
  /** The table before the last growth, until all its slots are moved; still searched meanwhile. */
  private old: Int32Array | null = null;
  private moved = 0;
  private leads = 0;

  /** The first row with the hash of row `index`, or -1 when it is the first (then recorded). */
  see(index: number, hashHi: Int32Array, hashLo: Int32Array): number {
    // 16 slots a call: the old table is empty after 1/8 of the rows until the next growth.
    if (this.old !== null) this.move(16, hashHi, hashLo);
    const hi = hashHi[index];
    const lo = hashLo[index];
    const slot = probe(this.slots, hi, lo, hashHi, hashLo);
    if (this.slots[slot] >= 0) return this.slots[slot];
    if (this.old !== null) {
      const first = this.old[probe(this.old, hi, lo, hashHi, hashLo)];
      if (first >= 0) return first;
    }
    this.slots[slot] = index;
    if (++this.leads * 2 > this.slots.length) {
      this.old = this.slots;
      this.slots = new Int32Array(this.old.length * 2).fill(-1);
      this.moved = 0;
    }
    return -1;
  }

  /**
   * Room for `leads` leads in all: a growth they would bring is begun now, and slots (of a
   * growth under way, then of this one) moved `count` at a time. False once nothing is left to do.
   */
  makeRoom(leads: number, count: number, hashHi: Int32Array, hashLo: Int32Array): boolean {
    if (this.old === null) {
      if (!Number.isSafeInteger(leads)) return false;
      let size = this.slots.length;
      while (leads * 2 > size) size *= 2;
      if (size === this.slots.length) return false;
      this.old = this.slots;
      this.slots = new Int32Array(size).fill(-1);
      this.moved = 0;
    }
    this.move(count, hashHi, hashLo);
    return true;
  }

  private move(count: number, hashHi: Int32Array, hashLo: Int32Array): void {
    const old = this.old;
    if (old === null) return;
    const end = Math.min(old.length, this.moved + count);
    for (; this.moved < end; this.moved++) {
      const first = old[this.moved];
      // Never in the new table yet: a lead found in the old one is not added again.
      if (first >= 0) this.slots[probe(this.slots, hashHi[first], hashLo[first], hashHi, hashLo)] = first;
    }
    if (this.moved === old.length) this.old = null;
  }
}

/** The slot holding this lead hash, or the empty slot where it would go. */
function probe(slots: Int32Array, hi: number, lo: number, hashHi: Int32Array, hashLo: Int32Array): number {
  const mask = slots.length - 1;
  // The hash's two halves mixed, so leads differing in either spread out.
  let slot = (Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) >>> 0) & mask;
  for (;;) {
    const first = slots[slot];
    if (first < 0 || (hashHi[first] === hi && hashLo[first] === lo)) return slot;
    slot = (slot + 1) & mask;
  }
}

/** The first position in `sorted` holding `value` or more. */
function firstAtOrAfter(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
