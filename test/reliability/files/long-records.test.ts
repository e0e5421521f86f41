// Records too long to hold (a multi-megabyte cell, a line that never ends): the reader reports
// such a row as too long and reads on with the rows after it, holding no more than its limit.
// Here the limit is shrunk to a few dozen characters so random files hit it often:
// - the record skipper (app/source/record-skipper.ts) finds the end of every record of a random
//   file where the generator put it, whatever chunks the text arrives in;
// - a reader with the small limit yields the same rows as one without it, except that rows of
//   long records are reported as too long, on the line they start on.
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../../app/source/open-source.ts';
import { DEFAULT_TUNING, type ReadTuning } from '../../../app/source/read-tuning.ts';
import { RecordSkipper } from '../../../app/source/record-skipper.ts';
import type { SourceRow } from '../../../app/source/types.ts';
import { csvDocArb, exactOptions, mustQuote, renderCsv, type CsvDoc, type CsvRecord } from './csv-model.ts';
import {
  CASE_LIMIT_MS,
  drainRows,
  expectWellFormedRows,
  runs,
  scratchDir,
  seedOption,
  timeFor,
  withinTime,
  type Scratch,
} from './support.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const LIMIT = 60;
/** Characters one read can add (7 bytes), plus a CR held back by the line-break normaliser. */
const SLACK = 8;
const SMALL: ReadTuning = { chunkBytes: 7, batchRows: 3, maxPendingChars: LIMIT };

const renderRecord = (record: CsvRecord, delimiter: string): string =>
  record.cells.map((c) => (c.quoted ? `"${c.value.replaceAll('"', '""')}"` : c.value)).join(delimiter) + record.end;

/** Some records after the header get a long cell: one long line, or quoted with line breaks inside. */
const longDocArb: fc.Arbitrary<CsvDoc> = fc
  .tuple(
    csvDocArb({ maxRows: 8 }),
    fc.array(
      fc.record({ at: fc.nat(), column: fc.nat(), length: fc.integer({ min: 40, max: 400 }), breaks: fc.nat(3), quoted: fc.boolean() }),
      { maxLength: 3 },
    ),
  )
  .map(([doc, longCells]) => {
    const records = [...doc.records];
    const headerAt = records.findIndex((r) => !r.cells.every((c) => c.value.trim() === ''));
    const after = records.length - headerAt - 1;
    if (headerAt === -1 || after <= 0) return doc;
    for (const long of longCells) {
      const index = headerAt + 1 + (long.at % after);
      const record = records[index];
      const column = long.column % record.cells.length;
      let value = 'é'.repeat(long.length);
      for (let b = 1; b <= long.breaks; b++) {
        const at = Math.floor((b * value.length) / (long.breaks + 1));
        value = `${value.slice(0, at)}\r\n${value.slice(at)}`;
      }
      const cells = record.cells.map((c, i) => (i === column ? { value, quoted: long.quoted || mustQuote(value, doc.delimiter) } : c));
      records[index] = { ...record, cells };
    }
    return { ...doc, records };
  });

/** The text as the reader parses it: every CR read as a line break when the file has a lone one, a final CR as one always. */
function parsedText(doc: CsvDoc): { text: string; starts: number[] } {
  const raw = renderCsv(doc).text;
  const lone = /\r[^\n]/.test(raw);
  const pieces = doc.records.map((r) => {
    const text = renderRecord(r, doc.delimiter);
    return lone ? text.replace(/\r\n?/g, '\n') : text;
  });
  // A CR ending the file ends its last line.
  const last = pieces.findLastIndex((p) => p.length > 0);
  if (last >= 0 && pieces[last].endsWith('\r')) pieces[last] = `${pieces[last].slice(0, -1)}\n`;
  const starts: number[] = [];
  let at = 0;
  for (const piece of pieces) {
    starts.push(at);
    at += piece.length;
  }
  return { text: pieces.join(''), starts };
}

const SKIP_RUNS = runs(200);
const READ_RUNS = runs(120);

describe('records too long to hold', () => {
  it(
    'the skipper finds where each record ends, whatever the chunks',
    async () => {
      fc.assert(
        fc.property(longDocArb, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), (doc, cuts) => {
          const { text, starts } = parsedText(doc);
          starts.forEach((start, i) => {
            const expectedEnd = i + 1 < starts.length ? starts[i + 1] : doc.records[i].end === '' ? -1 : text.length;
            const skipper = new RecordSkipper(doc.delimiter);
            let offset = start;
            let found = -1;
            for (let c = 0; offset < text.length && found === -1; c++) {
              const piece = text.slice(offset, offset + cuts[c % cuts.length]);
              const end = skipper.scan(piece);
              if (end !== -1) found = offset + end;
              offset += piece.length;
            }
            expect(found).toBe(expectedEnd);
            if (found === -1) expect(skipper.endsInsideQuotes()).toBe(false);
          });
        }),
        { numRuns: SKIP_RUNS, ...seedOption() },
      );
    },
    timeFor(SKIP_RUNS, 100),
  );

  it(
    'a reader with a small limit reports long rows as too long and reads every other row as without it',
    async () => {
      await fc.assert(
        fc.asyncProperty(longDocArb, async (doc) => {
          const rendered = renderCsv(doc);
          const path = await scratch.write('long.csv', rendered.bytes);
          const { text, starts } = parsedText(doc);
          const lengthAt = new Map<number, { parsed: number; raw: number }>();
          doc.records.forEach((record, i) => {
            const parsed = (i + 1 < starts.length ? starts[i + 1] : text.length) - starts[i];
            lengthAt.set(rendered.startLines[i], { parsed, raw: renderRecord(record, doc.delimiter).length });
          });
          const headerAt = doc.records.findIndex((r) => !r.cells.every((c) => c.value.trim() === ''));
          // The header is the first non-blank record, given: which row heads the file is not what this is about.
          const options = headerAt === -1 ? exactOptions(doc) : { ...exactOptions(doc), headerRow: rendered.startLines[headerAt] };
          const read = async (tuning: ReadTuning) => {
            const opened = await openSource(path, options, tuning);
            return E.isLeft(opened) ? E.left(opened.left.code) : E.right({ source: opened.right, rows: await drainRows(opened.right) });
          };
          const generous = await withinTime('read', CASE_LIMIT_MS, () => read(DEFAULT_TUNING));
          const small = await withinTime('read with a small limit', CASE_LIMIT_MS, () => read(SMALL));
          if (E.isLeft(small) && small.left === 'no_header') {
            // A header too long to hold stops the small reader from opening the file, and only that.
            expect(lengthAt.get(rendered.startLines[headerAt])?.parsed).toBeGreaterThan(LIMIT);
            return;
          }
          if (E.isLeft(generous) || E.isLeft(small)) {
            expect(small).toEqual(generous);
            return;
          }
          expectWellFormedRows(small.right.source, small.right.rows);
          const smallRows = new Map<number, SourceRow>(small.right.rows.map((r) => [r.rowNumber, r]));
          for (const row of generous.right.rows) {
            const length = lengthAt.get(row.rowNumber);
            if (length === undefined) throw new Error(`row ${row.rowNumber} starts no record`);
            const seen = smallRows.get(row.rowNumber);
            if (length.raw <= LIMIT) expect(seen).toEqual(row);
            else if (length.parsed > LIMIT + SLACK) {
              expect(seen?.problem?.kind).toBe('too_long');
              expect(seen?.problem?.message).toMatch(/too long to read.*column [A-Z]+/);
            } else expect(seen === undefined || seen.problem?.kind === 'too_long' || seen.rowNumber === row.rowNumber).toBe(true);
            smallRows.delete(row.rowNumber);
          }
          // Anything else the small reader yields is a blank record too long to hold, reported as such.
          for (const extra of smallRows.values()) expect(extra.problem?.kind).toBe('too_long');
        }),
        { numRuns: READ_RUNS, ...seedOption() },
      );
    },
    timeFor(READ_RUNS, 300),
  );
});
