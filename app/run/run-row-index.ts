// Every row of a run's file, compactly, for the run's row table: row number, whether it is
// sent (valid) or not (invalid, nothing to change), its lead id, and why a row is not sent.
// Built in the pass that checks the rows, so the table and the engine read the same prepared
// import with the same edits: the run's own check (send-run.ts), or the app's review check
// (app/desktop/import-check.ts), kept right through cell fixes (`CheckedRows`) and handed to
// the run with its input. A two-thread review check's worker builds its part of the file with
// the same builder and hands it over whole (`part`, `appendPart`: typed arrays and blocks).
//
// Lead ids are kept as text in blocks of 4,096 with an end offset per row, not as a string per
// row: measured at 1,000,000 rows of the benchmark's file (11-character ids), the whole index
// takes ~25 B a row (24 MB: lead ids ~16 B, row number 4 B, status 1 B, plus the reasons of the
// ~10,000 rows not sent) against ~50 B a row with a string per lead id. The review keeps it from
// its check until the run starts, so this is paid while a person reviews.
import type { CheckedRow } from '../lead/row-decoder.ts';
import type { Cell, SourceRow } from '../source/types.ts';
import { editedRows, type CellEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import { formatIssue, notSentIssues } from '../validate/validation-tally.ts';

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

/** Lead ids per block of text: a block is joined once, so pushing an id costs no copy of its own. */
const BLOCK_IDS = 4096;
const BLOCK_SHIFT = 12;

/**
 * Lead ids as text, each followed by a line feed (no lead id holds one: it is a space, which
 * `LeadIdFromCell` refuses), 4,096 to a string, with each id's end in its block. A block is one
 * flat string (`join` copies its ids: none keeps the chunk of the file it was cut from alive)
 * that is searched as a whole for the key. A row without a lead id has an empty one. Ids
 * changed once sealed (a cell fix) are kept apart, so copies share the blocks.
 */
export class PackedLeadIds implements LeadIdList {
  private blocks: string[] = [];
  /** The ids of the block being filled (the last one). */
  private open: string[] = [];
  private openLength = 0;
  /** Where each id's line feed ends in its block, by index. */
  private ends = new Int32Array(1024);
  private count = 0;
  private changed = new Map<number, string | null>();

  get length(): number {
    return this.count;
  }

  push(id: string | null): void {
    const text = id ?? '';
    this.open.push(text);
    this.openLength += text.length + 1;
    if (this.count === this.ends.length) this.ends = grow(this.ends);
    this.ends[this.count++] = this.openLength;
    if (this.open.length === BLOCK_IDS) this.closeBlock();
  }

  private closeBlock(): void {
    if (this.open.length === 0) return;
    this.blocks.push(blockText(this.open));
    this.open = [];
    this.openLength = 0;
  }

  /**
   * These ids as a part to follow `before` others in another list (`append`): sealed, with
   * blocks cut again where that list's blocks end. The ids are pushed here as they come (each
   * block joined while the part is read, beside the other thread's reading) and only re-cut
   * at the end, when `before` is known: slices of these blocks, which posting to another
   * thread copies flat.
   */
  partAfter(before: number): PackedLeadIdPart {
    if (this.changed.size > 0) throw new Error('PackedLeadIds: a changed id cannot be sent as a part');
    this.seal();
    const first = (BLOCK_IDS - (before & (BLOCK_IDS - 1))) & (BLOCK_IDS - 1);
    if (first === 0) return { after: before, blocks: [...this.blocks], ends: this.ends.slice() };
    const blocks: string[] = [];
    const ends = new Int32Array(this.count);
    for (let start = 0; start < this.count; start = start === 0 ? first : start + BLOCK_IDS) {
      const last = Math.min(this.count, start === 0 ? first : start + BLOCK_IDS) - 1;
      // At most two of these blocks: where `start`'s text begins in its block, then on to `last`'s end.
      const from = start >> BLOCK_SHIFT;
      const to = last >> BLOCK_SHIFT;
      const offset = (start & (BLOCK_IDS - 1)) === 0 ? 0 : this.ends[start - 1];
      const head = this.blocks[from].slice(offset, from === to ? this.ends[last] : undefined);
      blocks.push(from === to ? head : head + this.blocks[to].slice(0, this.ends[last]));
      for (let i = start; i <= last; i++) ends[i] = i >> BLOCK_SHIFT === from ? this.ends[i] - offset : head.length + this.ends[i];
    }
    return { after: before, blocks, ends };
  }

  /**
   * Appends ids packed elsewhere (`partAfter` with this list's length): whole blocks are taken
   * as they are, the first joined to the block being filled. False, and nothing appended, when
   * they were packed after another count (their blocks would not fall where `at` looks).
   */
  append(part: PackedLeadIdPart): boolean {
    if (part.after !== this.count) return false;
    const total = part.ends.length;
    while (this.ends.length < this.count + total) this.ends = grow(this.ends);
    let first = 0;
    for (const text of part.blocks) {
      const ids = Math.min(total - first, BLOCK_IDS - (this.count & (BLOCK_IDS - 1)));
      const ends = part.ends.subarray(first, first + ids);
      if (this.open.length === 0 && ids === BLOCK_IDS) {
        this.blocks.push(text);
        this.ends.set(ends, this.count);
      } else {
        // The ids of the block being filled, then these: the ends move by the text before them.
        const before = this.openLength;
        const joined = this.open.length === 0 ? text : blockText(this.open) + text;
        for (let k = 0; k < ids; k++) this.ends[this.count + k] = ends[k] + before;
        if (this.open.length + ids === BLOCK_IDS) {
          this.blocks.push(joined);
          this.open = [];
          this.openLength = 0;
        } else {
          this.open = joined.split('\n');
          this.open.pop();
          this.openLength = joined.length;
        }
      }
      this.count += ids;
      first += ids;
    }
    return true;
  }

  /** No more ids: the last block is joined, the spare room given back. */
  seal(): void {
    this.closeBlock();
    this.ends = this.ends.slice(0, this.count);
  }

  at(index: number): string | null | undefined {
    if (index < 0 || index >= this.count) return undefined;
    if (this.changed.has(index)) return this.changed.get(index) ?? null;
    const block = index >> BLOCK_SHIFT;
    if (block === this.blocks.length) return this.open[index & (BLOCK_IDS - 1)] || null;
    const start = (index & (BLOCK_IDS - 1)) === 0 ? 0 : this.ends[index - 1];
    const end = this.ends[index] - 1;
    return end === start ? null : this.blocks[block].slice(start, end);
  }

  /** A cell fix changed the row's lead id. */
  set(index: number, id: string | null): void {
    this.changed.set(index, id);
  }

  /** The same ids, later changes apart (sealed blocks never change: they are shared). */
  copy(): PackedLeadIds {
    const copy = new PackedLeadIds();
    copy.blocks = this.blocks;
    copy.open = [...this.open];
    copy.openLength = this.openLength;
    copy.ends = this.ends;
    copy.count = this.count;
    copy.changed = new Map(this.changed);
    return copy;
  }

  /** The first index whose lead id `holds` (a text search), looking at a block of ids at a time. */
  firstHolding(holds: (text: string) => boolean): number | undefined {
    let found: number | undefined;
    const look = (first: number, last: number): void => {
      for (let i = first; i <= last && found === undefined; i++) {
        if (this.changed.has(i)) continue;
        const id = this.at(i);
        if (id !== null && id !== undefined && holds(id)) found = i;
      }
    };
    // Ids are separated by line feeds: a match cannot span two of them.
    for (let b = 0; b < this.blocks.length && found === undefined; b++) {
      if (holds(this.blocks[b])) look(b * BLOCK_IDS, Math.min(this.count, (b + 1) * BLOCK_IDS) - 1);
    }
    if (found === undefined) look(this.blocks.length * BLOCK_IDS, this.count - 1);
    for (const [index, id] of this.changed) if (id !== null && (found === undefined || index < found) && holds(id)) found = index;
    return found;
  }
}

/** Ids each followed by a line feed, as one flat string (`join` copies: none keeps the text it was cut from alive). */
const blockText = (ids: readonly (string | null)[]): string => [...ids, ''].join('\n');

/** Lead ids packed by another thread as PackedLeadIds packs them: blocks of text, and each id's end in its block. */
export interface PackedLeadIdPart {
  /** How many ids the list it is appended to holds: where its first block ends depends on it. */
  readonly after: number;
  readonly blocks: readonly string[];
  readonly ends: Int32Array<ArrayBuffer>;
}

function grow<T extends Int32Array | Uint8Array>(array: T): T {
  const grown = new (array.constructor as new (length: number) => T)(array.length * 2);
  grown.set(array);
  return grown;
}

const STATUS: Record<CheckedRow['status'], number> = { valid: VALID, invalid: INVALID, skipped: SKIPPED };

/** VALID, INVALID or SKIPPED. */
export const statusOf = (status: CheckedRow['status']): number => STATUS[status];

/** Why a row is not sent: its errors, or (skipped) its warnings. */
const problemsOf = (row: CheckedRow): readonly string[] => notSentIssues(row).map(formatIssue);

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

  /**
   * Appends a part checked by another thread (the desktop's segment worker), its lead ids packed
   * after this index's rows: false, and nothing appended, when they were packed after another count.
   */
  appendPart(part: RunRowsPart): boolean {
    const at = this.counts.rows;
    const total = part.rowNumbers.length;
    if (!this.leadIds.append(part.leadIds)) return false;
    while (this.rowNumbers.length < at + total) {
      this.rowNumbers = grow(this.rowNumbers);
      this.status = grow(this.status);
    }
    this.rowNumbers.set(part.rowNumbers, at);
    this.status.set(part.status, at);
    this.counts.rows += total;
    this.counts.valid += part.counts.valid;
    this.counts.invalid += part.counts.invalid;
    this.counts.skipped += part.counts.skipped;
    for (const [rowNumber, problems] of part.problems) this.problems.set(rowNumber, problems);
    for (const [index, cell] of part.refused) this.refused.set(at + index, cell);
    return true;
  }

  /** The rows added, as a part to follow `after` rows in another thread's index (its `appendPart`). */
  part(after: number): RunRowsPart {
    const { rows, valid, invalid, skipped } = this.counts;
    return {
      rowNumbers: this.rowNumbers.slice(0, rows),
      status: this.status.slice(0, rows),
      leadIds: this.leadIds.partAfter(after),
      problems: [...this.problems],
      refused: [...this.refused],
      counts: { valid, invalid, skipped },
    };
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
 * A part of the rows checked by another thread, as `RunRowIndexBuilder.add` would have taken
 * them: `refused` by index in the part, `problems` by row number (only rows not sent).
 */
export interface RunRowsPart {
  readonly rowNumbers: Int32Array<ArrayBuffer>;
  readonly status: Uint8Array<ArrayBuffer>;
  readonly leadIds: PackedLeadIdPart;
  readonly problems: readonly (readonly [number, readonly string[]])[];
  readonly refused: readonly (readonly [number, string])[];
  /** Rows by status (counting 550,000 statuses in `appendPart` took ~10 ms: code run once, not yet optimized). */
  readonly counts: { readonly valid: number; readonly invalid: number; readonly skipped: number };
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
