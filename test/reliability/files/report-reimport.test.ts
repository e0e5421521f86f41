// Importing an error report unchanged never turns an invalid row valid, whatever the source rows:
// too few or too many cells, stray quotes, values a field refuses. Rows are matched by the report's
// import_row. CSV and workbook reports, report after report.
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedRows } from '../../../app/validate/decoded-rows.ts';
import { autoMap } from '../../../app/mapping/auto-map.ts';
import { toMappingFile, type MappingFile } from '../../../app/mapping/mapping-file.ts';
import { cellText } from '../../../app/lead/cell-text.ts';
import { openSource } from '../../../app/source/open-source.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
import { CASE_LIMIT_MS, runs, scratchDir, seedOption, timeFor, withinTime, type Scratch } from './support.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir('lead-importer-reimport-');
});
afterAll(() => scratch.remove());

const HEADER = ['Lead ID', 'First Name', 'Status', 'Move-in Date', 'Notes'];

/** A cell as a CSV writes it: quoted when it must be, or (rarely) with a stray quote left raw. */
const cellArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'ld_1',
      'ld_2',
      'ana@example.com',
      'Ana',
      'ACTIVE',
      'Actve',
      'COLD',
      '2026-03-01',
      '2026-02-30',
      '',
      ' ',
      '12',
      'x,y',
      'two\nlines',
      'say "hi"',
      '=1+1',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('"Di"x', 'a"b', '"open') },
);
const rawCell = (text: string): string =>
  text.startsWith('"') || text.includes('a"b') ? text : /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
const rowArb = fc.array(cellArb, { minLength: 1, maxLength: 7 });

interface Outcome {
  readonly status: string;
  readonly messages: readonly string[];
}

/** Each row's outcome by the row number it came from (import_row in a report). */
async function outcomes(path: string, mappingFile: MappingFile, fromReport: boolean): Promise<Map<string, Outcome>> {
  const prepared = await prepareImport({ path, mappingFile });
  if (E.isLeft(prepared)) throw new Error(prepared.left.message);
  const importRow = prepared.right.source.header.indexOf('import_row');
  const byRow = new Map<string, Outcome>();
  for await (const batch of decodedRows(prepared.right)) {
    for (const { source, decoded } of batch) {
      const key = fromReport ? cellText(source.cells[importRow]) : String(source.rowNumber);
      byRow.set(key, { status: decoded.status, messages: decoded.errors.map((e) => e.message) });
    }
  }
  return byRow;
}

const RUNS = runs(40);

describe('re-importing an error report unchanged', () => {
  it.each(['csv', 'xlsx'])(
    'never turns an invalid row valid (%s report, two generations)',
    async (kind) => {
      await fc.assert(
        fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 10 }), async (rows) => {
          const text = [HEADER.join(','), ...rows.map((cells) => cells.map(rawCell).join(','))].join('\n') + '\n';
          const path = await scratch.write('source.csv', text);
          const opened = await openSource(path);
          if (E.isLeft(opened)) return; // a file-level problem (a quote left open swallowed the rest): nothing to report
          const mappingFile = toMappingFile(autoMap(opened.right.header));
          let current = path;
          for (let generation = 1; generation <= 2; generation++) {
            // By the row numbers of the file validated, which its report gives as import_row.
            const before = await outcomes(current, mappingFile, false);
            const report = scratch.path(`report-${generation}.${kind}`);
            const validated = await withinTime('validate', CASE_LIMIT_MS, () =>
              validateFile({ path: current, mappingFile, errorsPath: report }),
            );
            if (E.isLeft(validated)) throw new Error(validated.left.message);
            const after = await outcomes(report, mappingFile, true);
            for (const [row, outcome] of before) {
              if (outcome.status !== 'invalid') continue;
              const again = after.get(row);
              expect(again, `row ${row} is in the report`).toBeDefined();
              expect(again?.status, `row ${row}: ${outcome.messages.join('; ')} → ${again?.messages.join('; ')}`).toBe('invalid');
            }
            current = report;
          }
        }),
        { numRuns: RUNS, ...seedOption() },
      );
    },
    timeFor(RUNS, 2_000),
  );
});
