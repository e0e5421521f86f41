// A single whole-name column ("Name", "Full Name", "Contact Name") can fill both first_name
// and last_name: its header says it may, its values say how ("Martinez, Sofia" or "Sofia
// Martinez"). Nothing is split on the header alone.
import type { Cell } from '../source/types.ts';
import { normalizeHeader } from './header-text.ts';
import type { NameSplit } from './types.ts';

const WHOLE_NAME_HEADERS: ReadonlySet<string> = new Set(
  [
    'Name',
    'Full Name',
    'Contact Name',
    'Lead Name',
    'Prospect Name',
    'Guest Name',
    'Customer Name',
    'Resident Name',
    'Applicant Name',
    'Client Name',
  ].map(normalizeHeader),
);

/** Whether a header names a whole person's name. */
export const isWholeNameHeader = (header: string): boolean => WHOLE_NAME_HEADERS.has(normalizeHeader(header));

const LAST_COMMA_FIRST = /^[\p{L}][\p{L}'’. -]*,\s*[\p{L}][\p{L}'’. -]*$/u;
const FIRST_SPACE_LAST = /^[\p{L}][\p{L}'’.-]*(?:\s+[\p{L}][\p{L}'’.-]*)+$/u;

/** Share of a column's non-blank values that must have one shape for it to be suggested. */
const SHAPE_SHARE = 0.8;

/** How a whole-name column's values split, when (nearly) all of them have one shape. */
export function suggestNameSplit(cells: Iterable<Cell>): NameSplit | undefined {
  let total = 0;
  let lastFirst = 0;
  let firstLast = 0;
  for (const cell of cells) {
    if (typeof cell !== 'string') continue;
    const text = cell.trim();
    if (text === '') continue;
    total++;
    if (LAST_COMMA_FIRST.test(text)) lastFirst++;
    else if (FIRST_SPACE_LAST.test(text)) firstLast++;
  }
  if (total === 0) return undefined;
  if (lastFirst >= SHAPE_SHARE * total) return 'last, first';
  if (firstLast >= SHAPE_SHARE * total) return 'first last';
  return undefined;
}
