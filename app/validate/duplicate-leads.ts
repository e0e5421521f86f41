// Remembers which rows update which lead, so a row that updates the same lead as an earlier
// row can name those rows. The sender keeps such rows in file order.

export class DuplicateLeads {
  /** lead id → first row number, or every row number once the lead repeats. */
  private readonly rowsByLead = new Map<string, number | number[]>();
  private repeatedRows = 0;

  /** Records the row and returns the earlier rows that update the same lead (empty if none). */
  see(leadId: string, rowNumber: number): readonly number[] {
    const seen = this.rowsByLead.get(leadId);
    if (seen === undefined) {
      // Copy the id: parsers hand out slices of large chunks, and a kept slice keeps its chunk.
      this.rowsByLead.set(flatCopy(leadId), rowNumber);
      return NONE;
    }
    this.repeatedRows++;
    if (typeof seen === 'number') {
      this.rowsByLead.set(leadId, [seen, rowNumber]);
      return [seen];
    }
    const earlier = seen.slice();
    seen.push(rowNumber);
    return earlier;
  }

  /** Rows that update a lead an earlier row already updates. */
  get count(): number {
    return this.repeatedRows;
  }
}

const NONE: readonly number[] = Object.freeze([]);

/** A copy that shares no memory with the string it came from. */
function flatCopy(text: string): string {
  return (' ' + text).slice(1);
}
