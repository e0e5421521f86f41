// One small codec per kind of cell, named for what it accepts. Each is a `CellCodec`: a
// plain `parse` for the row decoder's hot path, and the io-ts `validate` built on it.
// A codec is given a non-blank cell by the row decoder; on its own it refuses a blank cell
// ("the cell is empty"), since blank means "leave unchanged" upstream.
import type { Cell } from '../source/types.ts';
import { CellCodec, CellFailure, EMPTY_CELL } from './cell-codec.ts';
import { cellText, isSpaceCode, plainNumberText, quote, quoteCell } from './cell-text.ts';
import { didYouMean, normalizeWord } from './suggest.ts';

// Numbers, money and dates have modules of their own; this is the one place to import codecs from.
export * from './number-cells.ts';
export * from './date-cell.ts';

const isString = (u: unknown): u is string => typeof u === 'string';
const isBoolean = (u: unknown): u is boolean => typeof u === 'boolean';
const identity = <A>(a: A): A => a;

// ---------------------------------------------------------------------------------- text

function parseText(cell: Cell): string | CellFailure {
  if (typeof cell === 'string') {
    const text = cell.trim();
    return text.length === 0 ? EMPTY_CELL : text;
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? plainNumberText(cell) : new CellFailure(`${quoteCell(cell)} is not text`);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return Number.isNaN(cell.getTime()) ? new CellFailure('the cell holds an invalid date') : cellText(cell);
}

/** Any text, trimmed; an XLSX number becomes its plain decimal text (no exponent). */
export const TextFromCell = new CellCodec<string>('TextFromCell', isString, parseText, identity);

// --------------------------------------------------------------------------------- email

/** Why text is not a plausible e-mail address, or null when it is. One pass, no regex. */
export function emailProblem(text: string): string | null {
  let at = -1;
  let ats = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) {
      ats++;
      at = i;
    } else if (isSpaceCode(c)) return 'it contains a space';
    else if (
      c === 44 ||
      c === 59 ||
      c === 60 ||
      c === 62 ||
      c === 40 ||
      c === 41 ||
      c === 91 ||
      c === 93 ||
      c === 58 ||
      c === 34 ||
      c === 92
    ) {
      return `it contains ${quote(text[i])}`;
    }
  }
  if (ats === 0) return 'it has no @';
  if (ats > 1) return 'it has more than one @';
  if (at === 0) return 'nothing comes before the @';
  const dot = text.indexOf('.', at + 1);
  if (dot < 0) return 'the part after the @ needs a dot, as in example.com';
  if (dot === at + 1 || text.charCodeAt(text.length - 1) === 46 || text.indexOf('..', at) >= 0)
    return 'the part after the @ is not a domain name';
  return null;
}

function parseEmail(cell: Cell): string | CellFailure {
  if (typeof cell !== 'string') return new CellFailure(`${quoteCell(cell)} is not an e-mail address`);
  let text = cell.trim();
  if (text.length === 0) return EMPTY_CELL;
  // A hyperlink copied out of a sheet or a mail client.
  if ((text.charCodeAt(0) | 32) === 109 && text.charCodeAt(6) === 58 && text.slice(0, 7).toLowerCase() === 'mailto:') text = text.slice(7);
  const problem = emailProblem(text);
  return problem === null ? text : new CellFailure(`${quote(text)} is not an e-mail address (${problem})`);
}

/** A plausible address: one @, something before it, a dotted domain after it, no spaces. */
export const EmailFromCell = new CellCodec<string>('EmailFromCell', isString, parseEmail, identity);

// ------------------------------------------------------------------------------- initial

const singleLetter = /^\p{L}$/u;

function parseInitial(cell: Cell): string | CellFailure {
  if (typeof cell !== 'string') return new CellFailure(`${quoteCell(cell)} is not a letter (a middle initial is one letter, such as J)`);
  const text = cell.trim();
  if (text.length === 0) return EMPTY_CELL;
  const letter = text.endsWith('.') ? text.slice(0, -1).trimEnd() : text;
  if (singleLetter.test(letter)) return letter;
  return new CellFailure(`${quote(text)} is not a single letter (a middle initial is one letter, such as J)`);
}

/** Exactly one letter; "J." reads as "J". */
export const InitialFromCell = new CellCodec<string>(
  'InitialFromCell',
  (u): u is string => isString(u) && singleLetter.test(u),
  parseInitial,
  identity,
);

// ------------------------------------------------------------------------------ booleans

const BOOLEAN_WORDS: readonly string[] = ['yes', 'no', 'true', 'false'];

function parseBoolean(cell: Cell): boolean | CellFailure {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') {
    if (cell === 1) return true;
    if (cell === 0) return false;
    return new CellFailure(`${quoteCell(cell)} is not a yes/no value (a number here must be 1 or 0)`);
  }
  if (typeof cell !== 'string') return new CellFailure(`${quoteCell(cell)} is not a yes/no value`);
  const text = cell.trim();
  if (text.length === 0) return EMPTY_CELL;
  // The usual writings first, so the common case allocates no lower-cased copy.
  switch (text) {
    case 'TRUE':
    case 'true':
    case 'True':
    case 'yes':
    case 'Yes':
    case 'YES':
    case 'Y':
    case 'y':
    case '1':
      return true;
    case 'FALSE':
    case 'false':
    case 'False':
    case 'no':
    case 'No':
    case 'NO':
    case 'N':
    case 'n':
    case '0':
      return false;
  }
  switch (text.length <= 5 ? text.toLowerCase() : '') {
    case 'true':
    case 'yes':
    case 'y':
    case 't':
    case '1':
      return true;
    case 'false':
    case 'no':
    case 'n':
    case 'f':
    case '0':
      return false;
  }
  const suggestion = didYouMean(text, BOOLEAN_WORDS);
  return new CellFailure(
    suggestion === ''
      ? `${quote(text)} is not a yes/no value (write yes or no, true or false, y or n, 1 or 0)`
      : `${quote(text)} is not a yes/no value${suggestion}`,
  );
}

/** true/false, yes/no, y/n, t/f, 1/0 in any case; XLSX booleans and the numbers 1 and 0. */
export const BooleanFromCell = new CellCodec<boolean>('BooleanFromCell', isBoolean, parseBoolean, (b) => (b ? 'true' : 'false'));

// --------------------------------------------------------------------------------- enums

/** `text` equals the enum value ignoring ASCII case, with one space or hyphen for each `_`; no allocation. */
function sameWord(text: string, value: string): boolean {
  if (text.length !== value.length) return false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    else if (c === 32 || c === 45) c = 95;
    if (c !== value.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * One of `values`, in any case, with spaces or hyphens for underscores ("co-applicant" →
 * CO_APPLICANT); `aliases` are other words for them, keyed by `normalizeWord` ("Cell" → MOBILE).
 */
export function EnumFromCell(values: readonly string[], aliases: Readonly<Record<string, string>> = {}): CellCodec<string> {
  const exact = new Set(values);
  const byWord = new Map([...Object.entries(aliases), ...values.map((v) => [normalizeWord(v), v] as const)]);
  const parse = (cell: Cell): string | CellFailure => {
    if (typeof cell !== 'string') return new CellFailure(`${quoteCell(cell)} is not one of ${values.join(', ')}`);
    const text = cell.trim();
    if (exact.has(text)) return text;
    if (text.length === 0) return EMPTY_CELL;
    for (let v = 0; v < values.length; v++) if (sameWord(text, values[v])) return values[v];
    // Slow path: runs of spaces, dots or underscores, stray separators at the ends, aliases.
    const value = byWord.get(normalizeWord(text));
    if (value !== undefined) return value;
    return new CellFailure(`${quote(text)} is not one of ${values.join(', ')}${didYouMean(text, values)}`);
  };
  return new CellCodec<string>(`EnumFromCell(${values.join('|')})`, (u): u is string => isString(u) && exact.has(u), parse, identity);
}

// --------------------------------------------------------------------------------- lists

export interface ListOptions {
  /** The column's own separator; by default `;` and `|` both separate. */
  readonly separator?: string | undefined;
  readonly maxItems?: number | undefined;
}

/** Splits on `;` or `|` with one pass over the text. */
function splitDefault(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 59 || c === 124) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A list of text values, trimmed, empty parts dropped, at most `maxItems`. */
export function ListFromCell(options: ListOptions = {}): CellCodec<readonly string[]> {
  const { separator, maxItems } = options;
  const custom = separator !== undefined && separator !== '';
  const parse = (cell: Cell): readonly string[] | CellFailure => {
    let text: string;
    if (typeof cell === 'string') text = cell.trim();
    else if (typeof cell === 'number' && Number.isFinite(cell)) text = plainNumberText(cell);
    else return new CellFailure(`${quoteCell(cell)} is not a list of values`);
    if (text.length === 0) return EMPTY_CELL;
    const items: string[] = [];
    for (const part of custom ? text.split(separator) : splitDefault(text)) {
      const item = part.trim();
      if (item.length > 0) items.push(item);
    }
    if (items.length === 0) return new CellFailure(`${quote(text)} holds no values (leave the cell empty to keep the list unchanged)`);
    if (!custom && items.some((item) => item.includes(','))) {
      return new CellFailure(`${quote(text)} contains a comma: separate the values with ; or | (or set the column's list separator to ,)`);
    }
    if (maxItems !== undefined && items.length > maxItems) {
      return new CellFailure(`${quote(text)} has ${items.length} values; at most ${maxItems} are allowed`);
    }
    return items;
  };
  const is = (u: unknown): u is readonly string[] =>
    Array.isArray(u) && u.every(isString) && (maxItems === undefined || u.length <= maxItems);
  return new CellCodec<readonly string[]>('ListFromCell', is, parse, (items) => items.join(custom ? separator : '; '));
}

// ------------------------------------------------------------------------------- lead id

function parseLeadId(cell: Cell): string | CellFailure {
  let text: string;
  if (typeof cell === 'string') text = cell.trim();
  else if (typeof cell === 'number' && Number.isFinite(cell)) text = plainNumberText(cell);
  else return new CellFailure(`${quoteCell(cell)} is not a lead id`);
  if (text.length === 0) return new CellFailure('lead id is missing');
  // The id becomes part of the request path: characters that no id holds would change its meaning.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpaceCode(c)) return new CellFailure(`${quote(text)} is not a lead id (it contains a space)`);
    if (c === 47 || c === 63 || c === 35 || c === 92)
      return new CellFailure(`${quote(text)} is not a lead id (it contains ${quote(text[i])})`);
  }
  return text;
}

/** The lead id for the request path: text (or an XLSX number) without spaces or path characters. */
export const LeadIdFromCell = new CellCodec<string>('LeadIdFromCell', isString, parseLeadId, identity);
