// Cells that a spreadsheet would run as formulas are neutralized (OWASP "CSV injection"):
// a leading apostrophe makes Excel and LibreOffice show the text instead of evaluating it.
// Our own reports are recognised on re-import and the apostrophe is taken off again, so a
// report round-trips to the same cells.

// OWASP's triggers, and LF: a cell starting with a CR reads back from the report with an LF
// there (a CSV's line breaks inside cells read as \n), and its apostrophe must still come off.
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);
/** Plain numbers ("-2", "+15551234567", "-1.5") cannot run anything: keep them readable. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
/**
 * Spreadsheets skip leading blanks before they look for a formula (" =1+1" runs), and some
 * drop a leading NUL: either may hide a trigger.
 */
const LEADING_BLANKS = /^[ \t\r\n]+/;

/**
 * True when a spreadsheet could take the text for a formula, or when the text already looks
 * like a neutralized cell (so that restoring is never ambiguous).
 */
function needsPrefix(text: string): boolean {
  if (text.length === 0) return false;
  if (text[0] === "'") return needsPrefix(text.slice(1));
  if (text[0] === '\u0000') return true;
  if (FORMULA_TRIGGERS.has(text[0])) return !PLAIN_NUMBER.test(text);
  if (text[0] !== ' ') return false;
  const rest = text.replace(LEADING_BLANKS, '');
  return rest.length > 0 && (rest[0] === '\u0000' || FORMULA_TRIGGERS.has(rest[0])) && !PLAIN_NUMBER.test(rest);
}

export function neutralizeFormula(text: string): string {
  return needsPrefix(text) ? `'${text}` : text;
}

/** The inverse of `neutralizeFormula`, for cells read back from one of our reports. */
export function restoreNeutralized(text: string): string {
  return text.length >= 2 && text[0] === "'" && needsPrefix(text.slice(1)) ? text.slice(1) : text;
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
