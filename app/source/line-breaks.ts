/**
 * Turns every line break (CRLF, LF, or a lone CR as old Mac exports write) into `\n`, across
 * chunk boundaries. Files saved by different tools mix CRLF and LF lines; papaparse takes a
 * single newline sequence, so one form lets it split every line and lets us count lines.
 */
export class LineBreakNormalizer {
  private heldCarriageReturn = false;

  push(chunk: string): string {
    let text = chunk;
    if (this.heldCarriageReturn) {
      text = '\r' + text;
      this.heldCarriageReturn = false;
    }
    if (text.indexOf('\r') === -1) return text;
    // A CR at the very end may be the first half of a CRLF split between chunks: wait for the next.
    if (text.charCodeAt(text.length - 1) === 13) {
      this.heldCarriageReturn = true;
      text = text.slice(0, -1);
    }
    return text.replace(/\r\n?/g, '\n');
  }

  end(): string {
    const rest = this.heldCarriageReturn ? '\n' : '';
    this.heldCarriageReturn = false;
    return rest;
  }
}

/** How many `\n` are in `text` before position `end`. */
export function countLineBreaks(text: string, end: number = text.length): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * How many `\n` the fields of one record hold (line breaks inside quoted cells). With
 * `crlfToLf`, a CRLF inside a cell becomes `\n`, so a cell's line breaks read the same whatever
 * the file's line ends.
 */
export function lineBreaksInFields(fields: string[], crlfToLf = false): number {
  let count = 0;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.indexOf('\n') === -1) continue;
    count += countLineBreaks(field);
    if (crlfToLf && field.indexOf('\r\n') !== -1) fields[i] = field.replace(/\r\n/g, '\n');
  }
  return count;
}
