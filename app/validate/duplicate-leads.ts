// Remembers which rows update which lead, so a row that updates the same lead as an earlier
// row can name those rows. The sender keeps such rows in file order.
//
// A million-row file has about a million lead ids: a Map of strings would hold ~80 MB and
// keep the garbage collector busy. Instead each id is reduced to a 64-bit hash (two 32-bit
// FNV-1a variants) in an open-addressing table of typed arrays: 12 bytes a slot, no objects.
// Repeats, which are rare, keep their row lists in a small Map. Two different ids colliding
// on all 64 bits would at worst add a duplicate warning (a warning, never an error).

const EMPTY = 0;

/**
 * A lead id's 64-bit hash (two 32-bit FNV-1a variants), written into `into[0]` and `into[1]`:
 * the CLI's check and the app's review table use the same one, so they flag the same rows.
 */
export function leadHash(leadId: string, into: Int32Array): void {
  let hi = 0x811c9dc5 | 0;
  let lo = 0x01000193 ^ leadId.length;
  for (let i = 0; i < leadId.length; i++) {
    const c = leadId.charCodeAt(i);
    hi = Math.imul(hi ^ c, 0x01000193);
    lo = Math.imul(lo ^ c, 0x5bd1e995) ^ (lo >>> 15);
  }
  into[0] = hi;
  into[1] = lo;
}

export class DuplicateLeads {
  private capacity = 1 << 16;
  private hashHi = new Int32Array(this.capacity);
  private hashLo = new Int32Array(this.capacity);
  /** First row number for the slot, 0 when the slot is empty (row numbers start at 1). */
  private firstRow = new Int32Array(this.capacity);
  private size = 0;
  /** Slot → every row number, for leads seen more than once. */
  private readonly repeats = new Map<number, number[]>();
  private repeatedRows = 0;
  private readonly hash = new Int32Array(2);

  /** Records the row and returns the earlier rows that update the same lead (empty if none). */
  see(leadId: string, rowNumber: number): readonly number[] {
    leadHash(leadId, this.hash);
    const hi = this.hash[0];
    const lo = this.hash[1];
    const slot = this.find(hi, lo);
    if (this.firstRow[slot] === EMPTY) {
      this.hashHi[slot] = hi;
      this.hashLo[slot] = lo;
      this.firstRow[slot] = rowNumber;
      this.size++;
      if (this.size * 2 > this.capacity) this.grow();
      return NONE;
    }
    this.repeatedRows++;
    const rows = this.repeats.get(slot);
    if (rows === undefined) {
      const first = this.firstRow[slot];
      this.repeats.set(slot, [first, rowNumber]);
      return [first];
    }
    const earlier = rows.slice();
    rows.push(rowNumber);
    return earlier;
  }

  /** The hashes of every lead seen, packed (for another table to check against this one). */
  leadHashes(): { readonly hi: Int32Array<ArrayBuffer>; readonly lo: Int32Array<ArrayBuffer> } {
    const hi = new Int32Array(this.size);
    const lo = new Int32Array(this.size);
    let n = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.firstRow[slot] === EMPTY) continue;
      hi[n] = this.hashHi[slot];
      lo[n] = this.hashLo[slot];
      n++;
    }
    return { hi, lo };
  }

  /** Whether any lead of `hashes` (from `leadHashes`) was seen here. */
  sharesLeadWith(hashes: { readonly hi: Int32Array; readonly lo: Int32Array }): boolean {
    for (let i = 0; i < hashes.hi.length; i++) {
      if (this.firstRow[this.find(hashes.hi[i], hashes.lo[i])] !== EMPTY) return true;
    }
    return false;
  }

  /** Rows that update a lead an earlier row already updates. */
  get count(): number {
    return this.repeatedRows;
  }

  private find(hi: number, lo: number): number {
    const mask = this.capacity - 1;
    let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    while (this.firstRow[slot] !== EMPTY && (this.hashHi[slot] !== hi || this.hashLo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hashHi, hashLo, firstRow, capacity } = this;
    const moved = new Map<number, number>();
    this.capacity = capacity * 2;
    this.hashHi = new Int32Array(this.capacity);
    this.hashLo = new Int32Array(this.capacity);
    this.firstRow = new Int32Array(this.capacity);
    for (let old = 0; old < capacity; old++) {
      if (firstRow[old] === EMPTY) continue;
      const slot = this.find(hashHi[old], hashLo[old]);
      this.hashHi[slot] = hashHi[old];
      this.hashLo[slot] = hashLo[old];
      this.firstRow[slot] = firstRow[old];
      if (this.repeats.has(old)) moved.set(old, slot);
    }
    const lists = [...moved].map(([old, slot]) => [slot, this.repeats.get(old) ?? []] as const);
    this.repeats.clear();
    for (const [slot, list] of lists) this.repeats.set(slot, list);
  }
}

const NONE: readonly number[] = Object.freeze([]);
