// Cells that a spreadsheet would run as formulas are neutralized (OWASP "CSV injection"):
// a leading apostrophe makes Excel and LibreOffice show the text instead of evaluating it.
// Our own reports are recognised on re-import and the apostrophe is taken off again, so a
// report round-trips to the same cells.

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
/** Plain numbers ("-2", "+15551234567", "-1.5") cannot run anything: keep them readable. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

export function neutralizeFormula(text: string): string {
  if (text.length === 0 || !FORMULA_TRIGGERS.has(text[0])) return text;
  if (PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/** The inverse of `neutralizeFormula`, for cells read back from one of our reports. */
export function restoreNeutralized(text: string): string {
  if (text.length >= 2 && text[0] === "'" && FORMULA_TRIGGERS.has(text[1]) && !PLAIN_NUMBER.test(text.slice(1))) {
    return text.slice(1);
  }
  return text;
}

/** RFC 4180: every field quoted, quotes doubled. */
export function quoteField(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += quoteField(neutralizeFormula(fields[i]));
  }
  return `${line}\r\n`;
}
