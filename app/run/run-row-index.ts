// Every row of a run's file, compactly, for the run's row table: row number, whether it is
// sent (valid) or not (invalid, nothing to change), its lead id, and why a row is not sent.
// Built in the pass that checks the rows, so the table and the engine read the same prepared
// import with the same edits: the run's own check (send-run.ts), or the app's review check
// (app/desktop/import-check.ts), kept right through cell fixes (`CheckedRows`) and handed to
// the run with its input.
//
// Lead ids are kept as UTF-8 bytes in one buffer with an end offset per row, not as a string
// per row: at 1,000,000 rows of the benchmark's file (11-character ids) strings cost 45 MB of
// heap, ~47 B a row; the buffer costs ~16 B a row, off the heap. The review keeps the index
// from its check until the run starts, so this is paid while a person reviews.
import type { CheckedRow } from '../lead/row-decoder.ts';
import type { Cell, SourceRow } from '../source/types.ts';
import { editedRows, type CellEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import { formatIssue } from '../validate/validation-tally.ts';

export const VALID = 0;
export const INVALID = 1;
export const SKIPPED = 2;

/** Lead ids by row index (an array will do, as for a past run rebuilt from its journal). */
export interface LeadIdList {
  readonly length: number;
  /** The lead id the row at this index updates: null when it has none, undefined past the end. */
  at(index: number): string | null | undefined;
}

export interface RunRowIndex {
  readonly rowNumbers: Int32Array;
  /** VALID, INVALID or SKIPPED, by index. */
  readonly status: Uint8Array;
  /** The lead id each row updates (null when it has none), by index. */
  readonly leadIds: LeadIdList;
  /** Why an invalid or skipped row is not sent, by row number. */
  readonly problems: ReadonlyMap<number, readonly string[]>;
  readonly counts: { readonly rows: number; readonly valid: number; readonly invalid: number; readonly skipped: number };
  /**
   * Lead-id cells that are not a lead id (refused: a space, a path character), by index, as
   * text: they are looked at for the API key with the lead ids (key-in-identifiers.ts).
   */
  readonly refusedLeadCells?: ReadonlyMap<number, string>;
}

/** An index built here: its lead ids packed (`CheckedRows` changes them). */
export type PackedRunRowIndex = RunRowIndex & { readonly leadIds: PackedLeadIds };

const LINE_FEED = 0x0a;
/** Lead ids looked at together for the key: about this many bytes of them at a time. */
const SCAN_BYTES = 1 << 20;

/**
 * Lead ids in one buffer, each followed by a line feed (no lead id holds one: it is a space,
 * which `LeadIdFromCell` refuses), so many can be searched at once as one text. A row without
 * a lead id has an empty one. Ids changed after the buffer was sealed (a cell fix) are kept apart.
 */
export class PackedLeadIds implements LeadIdList {
  private bytes: Buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  /** Where each id's line feed ends, by index. */
  private ends = new Int32Array(1024);
  private count = 0;
  private changed = new Map<number, string | null>();

  get length(): number {
    return this.count;
  }

  push(id: string | null): void {
    const size = id === null ? 0 : Buffer.byteLength(id, 'utf8');
    if (this.used + size + 1 > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + size + 1));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (id !== null) this.bytes.write(id, this.used, 'utf8');
    this.used += size;
    this.bytes[this.used++] = LINE_FEED;
    if (this.count === this.ends.length) this.ends = grow(this.ends);
    this.ends[this.count++] = this.used;
  }

  /** No more ids: the spare room is given back. */
  seal(): void {
    this.bytes = Buffer.from(this.bytes.subarray(0, this.used));
    this.ends = this.ends.slice(0, this.count);
  }

  at(index: number): string | null | undefined {
    if (index < 0 || index >= this.count) return undefined;
    if (this.changed.has(index)) return this.changed.get(index) ?? null;
    const start = index === 0 ? 0 : this.ends[index - 1];
    const end = this.ends[index] - 1;
    return end === start ? null : this.bytes.toString('utf8', start, end);
  }

  /** A cell fix changed the row's lead id. */
  set(index: number, id: string | null): void {
    this.changed.set(index, id);
  }

  /** The same ids, later changes apart (the buffer is never written once sealed: it is shared). */
  copy(): PackedLeadIds {
    const copy = new PackedLeadIds();
    copy.bytes = this.bytes;
    copy.used = this.used;
    copy.ends = this.ends;
    copy.count = this.count;
    copy.changed = new Map(this.changed);
    return copy;
  }

  /** The first index whose lead id `holds` (a text search), looking at about a megabyte of ids at a time. */
  firstHolding(holds: (text: string) => boolean): number | undefined {
    let found: number | undefined;
    for (let first = 0; first < this.count && found === undefined; ) {
      const from = first === 0 ? 0 : this.ends[first - 1];
      let last = first;
      while (last + 1 < this.count && this.ends[last + 1] - from <= SCAN_BYTES) last++;
      // Ids are separated by line feeds: a match cannot span two of them.
      if (holds(this.bytes.toString('utf8', from, this.ends[last]))) {
        for (let i = first; i <= last && found === undefined; i++) {
          if (this.changed.has(i)) continue;
          const id = this.at(i);
          if (id !== null && id !== undefined && holds(id)) found = i;
        }
      }
      first = last + 1;
    }
    for (const [index, id] of this.changed) if (id !== null && (found === undefined || index < found) && holds(id)) found = index;
    return found;
  }
}

function grow<T extends Int32Array | Uint8Array>(array: T): T {
  const grown = new (array.constructor as new (length: number) => T)(array.length * 2);
  grown.set(array);
  return grown;
}

const STATUS: Record<CheckedRow['status'], number> = { valid: VALID, invalid: INVALID, skipped: SKIPPED };

/** Why a row is not sent: its errors, or (skipped) its warnings. */
const problemsOf = (row: CheckedRow): readonly string[] => (row.status === 'invalid' ? row.errors : row.warnings).map(formatIssue);

/** A lead-id cell refused as a lead id, as text (typed workbook cells cannot hold the key). */
function refusedCell(row: SourceRow, checked: CheckedRow, leadIdColumn: number): string | undefined {
  if (checked.leadId !== null || leadIdColumn < 0) return undefined;
  const cell: Cell | undefined = row.cells[leadIdColumn];
  return typeof cell === 'string' && cell.trim() !== '' ? cell : undefined;
}

/** Takes rows in file order as they are checked: each row with its edits applied, and what checking it found. */
export class RunRowIndexBuilder {
  private rowNumbers = new Int32Array(1024);
  private status = new Uint8Array(1024);
  private readonly leadIds = new PackedLeadIds();
  private readonly refused = new Map<number, string>();
  private readonly problems = new Map<number, readonly string[]>();
  private readonly counts = { rows: 0, valid: 0, invalid: 0, skipped: 0 };

  /** `leadIdColumn`: the lead id's column index (-1 when none is mapped), `decoder.plan.leadIdIndex`. */
  constructor(private readonly leadIdColumn: number) {}

  add(row: SourceRow, checked: CheckedRow): void {
    const i = this.counts.rows++;
    if (i === this.rowNumbers.length) {
      this.rowNumbers = grow(this.rowNumbers);
      this.status = grow(this.status);
    }
    this.rowNumbers[i] = checked.rowNumber;
    this.status[i] = STATUS[checked.status];
    this.leadIds.push(checked.leadId);
    const refused = refusedCell(row, checked, this.leadIdColumn);
    if (refused !== undefined) this.refused.set(i, refused);
    this.counts[checked.status]++;
    if (checked.status !== 'valid') this.problems.set(checked.rowNumber, problemsOf(checked));
  }

  finish(): PackedRunRowIndex {
    this.leadIds.seal();
    return {
      rowNumbers: this.rowNumbers.slice(0, this.counts.rows),
      status: this.status.slice(0, this.counts.rows),
      leadIds: this.leadIds,
      problems: this.problems,
      counts: { ...this.counts },
      refusedLeadCells: this.refused,
    };
  }
}

/**
 * A run's row index kept right through cell fixes (the app's review): a fix decodes its row
 * again and `update` changes that row's entry. `snapshot` is what a run takes: later fixes do
 * not change a run already started.
 */
export class CheckedRows {
  private readonly status: Uint8Array;
  private readonly leadIds: PackedLeadIds;
  private readonly refused: Map<number, string>;
  private readonly problems: Map<number, readonly string[]>;
  private readonly counts: { rows: number; valid: number; invalid: number; skipped: number };

  constructor(
    private readonly index: PackedRunRowIndex,
    private readonly leadIdColumn: number,
  ) {
    this.status = index.status;
    this.leadIds = index.leadIds;
    this.refused = new Map(index.refusedLeadCells);
    this.problems = new Map(index.problems);
    this.counts = { ...index.counts };
  }

  /** The row at `index` (edits applied) was checked again. */
  update(index: number, row: SourceRow, checked: CheckedRow): void {
    const before = this.status[index];
    const now = STATUS[checked.status];
    this.counts[before === VALID ? 'valid' : before === INVALID ? 'invalid' : 'skipped']--;
    this.counts[checked.status]++;
    this.status[index] = now;
    if (this.leadIds.at(index) !== checked.leadId) this.leadIds.set(index, checked.leadId);
    const refused = refusedCell(row, checked, this.leadIdColumn);
    if (refused !== undefined) this.refused.set(index, refused);
    else this.refused.delete(index);
    if (checked.status === 'valid') this.problems.delete(checked.rowNumber);
    else this.problems.set(checked.rowNumber, problemsOf(checked));
  }

  /** The index as it is now, for a run (row numbers and the sealed lead-id buffer are shared: they never change). */
  snapshot(): RunRowIndex {
    return {
      rowNumbers: this.index.rowNumbers,
      status: this.status.slice(),
      leadIds: this.leadIds.copy(),
      problems: new Map(this.problems),
      counts: { ...this.counts },
      refusedLeadCells: new Map(this.refused),
    };
  }
}

/** One pass over the input (a past run opened from history: nothing else reads its file). */
export async function indexRunInput(input: { readonly prepared: PreparedImport; readonly edits: CellEdits }): Promise<PackedRunRowIndex> {
  const { prepared } = input;
  const builder = new RunRowIndexBuilder(prepared.decoder.plan.leadIdIndex);
  for await (const batch of editedRows(prepared.source.rows(), prepared.restoreRow, input.edits)) {
    for (const row of batch) builder.add(row, prepared.decoder.check(row));
  }
  return builder.finish();
}
