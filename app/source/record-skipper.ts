/**
 * Finds where a record ends without keeping its text: for a record too long to hold (a
 * multi-megabyte cell), so that the reader can report it and go on with the rows after it.
 * Text is fed chunk by chunk, line breaks already `\n` (a CR before it is ignored). Quotes are
 * read as papaparse reads them: a quote opens a quoted cell only at the start of a cell; inside,
 * `""` is a quote, and a quote followed by the delimiter, a line break or the end of the file
 * closes the cell; any other quote is kept as text.
 */
export class RecordSkipper {
  private inQuotes = false;
  private atCellStart = true;
  /** A quote inside a quoted cell was the last character of a chunk: the next one decides. */
  private quoteHeld = false;
  /** Line breaks inside quoted cells so far. */
  breaksInside = 0;

  constructor(private readonly delimiter: string) {}

  /** Reads `text`; returns the index just after the line break that ends the record, or -1. */
  scan(text: string): number {
    const delimiter = this.delimiter.charCodeAt(0);
    let i = 0;
    if (this.quoteHeld && text.length > 0) {
      this.quoteHeld = false;
      i = this.afterQuote(text.charCodeAt(0), 0);
    }
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (c === QUOTE) {
          if (i + 1 === text.length) this.quoteHeld = true;
          else i = this.afterQuote(text.charCodeAt(i + 1), i + 1) - 1;
        } else if (c === LF) this.breaksInside++;
        continue;
      }
      if (c === LF) return i + 1;
      if (c === QUOTE && this.atCellStart) {
        this.inQuotes = true;
        this.atCellStart = false;
      } else this.atCellStart = c === delimiter;
    }
    return -1;
  }

  /** At the end of the file: true when a quoted cell is still open (its quote never closes). */
  endsInsideQuotes(): boolean {
    return this.inQuotes && !this.quoteHeld;
  }

  /**
   * A quote inside a quoted cell is followed by `next` (at `at`): returns where scanning goes on.
   * `""` is a quote in the text; before the delimiter, a line break or a CR the cell closes and
   * `next` is read as outside the quotes; otherwise the quote is text.
   */
  private afterQuote(next: number, at: number): number {
    if (next === QUOTE) return at + 1;
    if (next === this.delimiter.charCodeAt(0) || next === LF || next === CR) this.inQuotes = false;
    return at;
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
