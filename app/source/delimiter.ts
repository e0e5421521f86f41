import Papa from 'papaparse';
import { isBlankRow } from './row-shape.ts';

export const SUPPORTED_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

export function isSupportedDelimiter(value: unknown): value is string {
  return typeof value === 'string' && SUPPORTED_DELIMITERS.includes(value);
}

/** How a delimiter is named in messages (a tab is invisible). */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

const SAMPLE_RECORDS = 200;

/**
 * The delimiter of a text whose line breaks are already `\n`. Each candidate splits the sample
 * with the real parser (so quoted commas and line breaks count for nothing); the winner is the
 * one whose most common field count (> 1) is shared by the most records. This is what makes
 * `Name;Rent\nBob;1250,50` a semicolon file although it contains a comma: splitting on commas
 * gives 1 field then 2, splitting on semicolons 2 and 2. Ties go to more columns, then to
 * `preferred` (a tab for .tsv files), then to the order , ; tab |. No candidate giving more than
 * one column (a one-column file) yields `preferred` or a comma.
 * `complete` says whether `text` is the whole file: if not, its last, possibly cut, line is ignored.
 */
export function detectDelimiter(text: string, complete: boolean, preferred?: string): string {
  const lastBreak = text.lastIndexOf('\n');
  const body = complete || lastBreak === -1 ? text : text.slice(0, lastBreak);
  const order = preferred !== undefined && SUPPORTED_DELIMITERS.includes(preferred)
    ? [preferred, ...SUPPORTED_DELIMITERS.filter((d) => d !== preferred)]
    : SUPPORTED_DELIMITERS;
  const candidates = order.map((delimiter) => ({ delimiter, ...consistency(body, delimiter) }));
  // A delimiter that does not split the header is not the file's: a long multi-line note full
  // of semicolons would otherwise make a comma file look like a semicolon one (its lines,
  // split on semicolons, agree with each other more than the few records the sample holds).
  const splitsHeader = candidates.some((c) => c.headerWidth >= 2);
  let best = { delimiter: order[0], matching: 0, width: 1 };
  for (const { delimiter, matching, width, headerWidth } of candidates) {
    if (width < 2 || (splitsHeader && headerWidth < 2)) continue;
    if (matching > best.matching || (matching === best.matching && width > best.width)) {
      best = { delimiter, matching, width };
    }
  }
  return best.delimiter;
}

/**
 * The most common field count among the sample's non-blank records, how many records have it,
 * and the field count of the first non-blank record (the header).
 */
function consistency(text: string, delimiter: string): { matching: number; width: number; headerWidth: number } {
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', quoteChar: '"', preview: SAMPLE_RECORDS });
  const countsByWidth = new Map<number, number>();
  let headerWidth = 0;
  for (const record of parsed.data) {
    if (isBlankRow(record)) continue;
    if (headerWidth === 0) headerWidth = record.length;
    countsByWidth.set(record.length, (countsByWidth.get(record.length) ?? 0) + 1);
  }
  let matching = 0;
  let width = 1;
  for (const [w, count] of countsByWidth) {
    if (w < 2) continue;
    if (count > matching || (count === matching && w > width)) {
      matching = count;
      width = w;
    }
  }
  return { matching, width, headerWidth };
}
