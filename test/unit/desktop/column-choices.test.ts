// The Map screen's choices through the service: value tables, status_raw, placeholders,
// two-digit years, name splits and second phones carried by import:setMapping (checked against
// the field), kept by saved templates, and a column's distinct values (import:columnValues).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { ColumnOptionsArg, MAX_VALUE_TABLE_ENTRIES } from '../../../app/shared/contract.ts';
import { sameOptions } from '../../../app/mapping/edit-mapping.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { toMappingFile } from '../../../app/mapping/mapping-file.ts';
import { DOUBLE_MAPPING_CASES } from '../mapping/double-mapping-cases.ts';
import { bridgeError, makeService, tempDir, writeCsv } from './desktop-harness.ts';

/** A CRM export: its status words are not Propexo's, its dates have two-digit years, "-" means blank. */
const CRM = [
  'Lead ID,Name,Lead Status,Move-in,Phone',
  'lead-1,"Martinez, Sofia",Contacted,3/7/25,(720) 273-5593',
  'lead-2,"Nguyen, Bao",Lost Lead,4/1/25,-',
  'lead-3,"Okafor, Ada",contacted ,-,(303) 555-0100',
  'lead-4,"Smith, Jo",ACTIVE,,',
];

async function openCrm() {
  const dir = await tempDir();
  const path = await writeCsv(dir, 'crm.csv', CRM);
  const t = await makeService();
  const overview = await t.h['import:open']({ path, options: {} });
  return { dir, path, ...t, overview };
}

describe('import:open', () => {
  it('splits a whole-name column whose first rows have one shape, and says what it saw', async () => {
    const { overview } = await openCrm();
    const name = overview.columns[1];
    expect(name).toMatchObject({ column: 'Name', field: 'first_name', options: { split: 'last, first' }, splitSuggestion: 'last, first' });
    expect(overview.columns.map((c) => c.field)).toEqual(['lead_id', 'first_name', 'status', 'target_move_in_date', 'phone_1']);
    // Each mapped column shows the blank words its field has by default.
    expect(overview.columns[2].defaultPlaceholders).toEqual(expect.arrayContaining(['N/A', '-/-', 'null', '—']));
  });
});

describe('import:columnValues', () => {
  it('lists a status column’s distinct values with counts, what each reads as, suggestions and status_raw’s meaning', async () => {
    const { h, overview } = await openCrm();
    const values = await h['import:columnValues']({ importId: overview.importId, columnIndex: 2 });
    expect(values).toMatchObject({ columnIndex: 2, field: 'status', distinct: 3, distinctIsExact: true, raw: { field: 'status_raw' } });
    expect(values?.raw?.meaning).toMatch(/raw status/);
    expect(values?.targets).toEqual(expect.arrayContaining(['ACTIVE', 'INACTIVE']));
    // "Contacted" and "contacted " are one value (case and spaces folded), written as first seen.
    expect(values?.values).toEqual([
      { text: 'Contacted', count: 2, reads: null, suggestion: 'ACTIVE' },
      { text: 'ACTIVE', count: 1, reads: 'ACTIVE', suggestion: null },
      { text: 'Lost Lead', count: 1, reads: null, suggestion: 'INACTIVE' },
    ]);
    // A column whose field takes no value table has none; an unmapped one neither.
    expect(await h['import:columnValues']({ importId: overview.importId, columnIndex: 3 })).toBeNull();
    await h['import:setMapping']({ importId: overview.importId, columns: [{ index: 3, field: null, options: {} }] });
    expect(await h['import:columnValues']({ importId: overview.importId, columnIndex: 3 })).toBeNull();
    const missing = await bridgeError(() => h['import:columnValues']({ importId: overview.importId, columnIndex: 9 }));
    expect(missing.message).toBe('crm.csv has 5 columns: there is no column 10.');
  });

  it('leaves out the column’s blank words, as the check does', async () => {
    const { h, overview } = await openCrm();
    await h['import:setMapping']({
      importId: overview.importId,
      columns: [{ index: 2, field: 'status', options: { placeholders: ['Lost Lead'] } }],
    });
    const values = await h['import:columnValues']({ importId: overview.importId, columnIndex: 2 });
    expect(values?.values.map((v) => v.text)).toEqual(['Contacted', 'ACTIVE']);
  });
});

describe('import:setMapping with the Map screen’s choices', () => {
  it('turns refused rows valid with a value table and a century, and a saved template keeps every choice', async () => {
    const { dir, path, h, overview } = await openCrm();
    const before = await h['import:validate']({ importId: overview.importId });
    expect(before).toMatchObject({ rows: 4, invalid: 3 });

    const choices = [
      { index: 2, field: 'status', options: { values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE' }, rawTo: 'status_raw' as const } },
      { index: 3, field: 'target_move_in_date', options: { twoDigitYears: '2000s' as const, placeholders: ['-', 'TBD'] } },
    ];
    const mapped = await h['import:setMapping']({ importId: overview.importId, columns: choices });
    expect(mapped.columns[2]).toMatchObject({ method: 'manual', options: choices[0].options });
    expect(mapped.columns[3].options).toMatchObject(choices[1].options);
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 4, valid: 4, invalid: 0 });
    const page = await h['import:rows']({ importId: overview.importId, filter: 'all', offset: 0, limit: 10 });
    expect(page.rows.every((r) => r.issues.every((i) => i.severity !== 'error'))).toBe(true);

    const saved = join(dir, 'crm-mapping.json');
    await h['import:saveMapping']({ importId: overview.importId, path: saved });
    const file = JSON.parse(await readFile(saved, 'utf8'));
    expect(file.columns['Lead Status']).toEqual({
      field: 'status',
      rawTo: 'status_raw',
      values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE' },
    });
    expect(file.columns['Move-in']).toEqual({ field: 'target_move_in_date', twoDigitYears: '2000s', placeholders: ['-', 'TBD'] });
    expect(file.columns.Name).toEqual({ field: 'first_name', split: 'last, first' });

    // Loaded onto the file opened again, the choices come back as they were.
    const again = await h['import:open']({ path, options: {} });
    const loaded = await h['import:loadMapping']({ importId: again.importId, path: saved });
    expect(loaded.mappingProblems).toEqual([]);
    expect(loaded.columns[2].options).toEqual(choices[0].options);
    expect(loaded.columns[3].options).toEqual(choices[1].options);
    expect(await h['import:validate']({ importId: again.importId })).toMatchObject({ valid: 4 });
  });

  it('makes the check stale when only a value table changes', async () => {
    const { h, overview } = await openCrm();
    await h['import:validate']({ importId: overview.importId });
    await h['import:setMapping']({
      importId: overview.importId,
      columns: [{ index: 2, field: 'status', options: { values: { Contacted: 'ACTIVE' } } }],
    });
    const stale = await bridgeError(() => h['import:rows']({ importId: overview.importId, filter: 'all', offset: 0, limit: 5 }));
    expect(stale.message).toMatch(/^Check crm\.csv with its current mapping/);
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ invalid: 2 });
  });

  it('refuses a target the field does not have, a second phone that is not another phone field, and a split onto a mapped last name', async () => {
    const { h, overview } = await openCrm();
    const id = overview.importId;
    const target = await bridgeError(() =>
      h['import:setMapping']({ importId: id, columns: [{ index: 2, field: 'status', options: { values: { Contacted: 'ACTIV' } } }] }),
    );
    expect(target.code).toBe('bad_argument');
    expect(target.message).toBe(
      'Column "Lead Status": the value "Contacted" cannot become status "ACTIV": \'ACTIV\' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED; did you mean ACTIVE?.',
    );
    const phone = await bridgeError(() =>
      h['import:setMapping']({ importId: id, columns: [{ index: 4, field: 'phone_1', options: { secondPhoneTo: 'email_1' } }] }),
    );
    expect(phone.message).toBe('Column "Phone": a second number cannot go to "email_1": choose another phone field, such as phone_2.');
    const split = await bridgeError(() =>
      h['import:setMapping']({ importId: id, columns: [{ index: 0, field: 'last_name', options: {} }] }),
    );
    expect(split.message).toBe('last_name is filled from both "Lead ID" and "Name": a field can come from one column only. Choose one.');
    // Nothing was changed by the refusals.
    const now = await h['import:setMapping']({ importId: id, columns: [] });
    expect(now.columns.map((c) => [c.field, c.options])).toEqual(overview.columns.map((c) => [c.field, c.options]));
    // A second phone that is another phone field is taken.
    const taken = await h['import:setMapping']({
      importId: id,
      columns: [{ index: 4, field: 'phone_1', options: { secondPhoneTo: 'phone_2' } }],
    });
    expect(taken.columns[4].options).toEqual({ secondPhoneTo: 'phone_2' });
  });
});

describe('a field two columns would fill (the cases of test/unit/mapping/double-mapping-cases.ts)', () => {
  for (const c of DOUBLE_MAPPING_CASES) {
    it(`${c.name}: import:setMapping refuses, naming both columns, and changes nothing`, async () => {
      const dir = await tempDir();
      const path = await writeCsv(dir, 'leads.csv', [c.header.join(','), c.header.map((_, i) => (i === 0 ? 'lead-1' : 'x')).join(',')]);
      const { h } = await makeService();
      const opened = await h['import:open']({ path, options: {} });
      const choices = c.fields.map((f, index) => ({ index, field: f.field as string, options: f.options }));
      const refused = await bridgeError(() => h['import:setMapping']({ importId: opened.importId, columns: choices }));
      expect([refused.code, refused.message]).toEqual(['bad_argument', `${c.refusal}. Choose one.`]);
      expect((await h['import:setMapping']({ importId: opened.importId, columns: [] })).columns).toEqual(opened.columns);
    });

    it(`${c.name}: a run's mapping file (as run.json keeps it) is refused by prepareImport`, async () => {
      const dir = await tempDir();
      const path = await writeCsv(dir, 'leads.csv', [c.header.join(','), c.header.map((_, i) => (i === 0 ? 'lead-1' : 'x')).join(',')]);
      const columns = c.header.map((column, index) => ({ index, column, method: 'exact' as const, ...c.fields[index] }));
      const prepared = await prepareImport({ path, mappingFile: toMappingFile({ columns }), mappingFileName: 'run.json' });
      expect(isLeft(prepared) && prepared.left.message).toBe(`${path}: run.json: ${c.refusal}.`);
    });
  }
});

describe('import:reopen', () => {
  it('reads the file with another header row and back, keeping the columns the person mapped where the header names them', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'report.csv', ['Prospect Report', 'Property: Sunset', '', ...CRM]);
    const { h } = await makeService();
    const first = await h['import:open']({ path, options: {} });
    expect(first.headerRow).toBe(4);
    const table = { values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE' } };
    // Phone goes to phone_2 by choice; the status column gets a value table.
    await h['import:setMapping']({
      importId: first.importId,
      columns: [
        { index: 2, field: 'status', options: table },
        { index: 4, field: 'phone_2', options: {} },
      ],
    });

    const other = await h['import:reopen']({ importId: first.importId, options: { headerRow: 1 } });
    expect(other.importId).not.toBe(first.importId);
    expect(other).toMatchObject({ headerRow: 1, encoding: 'utf-8', delimiter: ',' });
    expect(other.columns.map((c) => c.column)).toEqual(['Prospect Report']);
    // The first import is closed.
    expect((await bridgeError(() => h['import:validate']({ importId: first.importId }))).message).toMatch(/no longer open/);

    const back = await h['import:reopen']({ importId: other.importId, options: { headerRow: 4 } });
    expect(back.headerRow).toBe(4);
    // Nothing was chosen under the title row's header: the automatic mapping.
    expect(back.columns[2]).toMatchObject({ field: 'status', options: {} });

    const chosen = await h['import:setMapping']({
      importId: back.importId,
      columns: [
        { index: 2, field: 'status', options: table },
        { index: 4, field: 'phone_2', options: {} },
      ],
    });
    expect(chosen.columns[4].field).toBe('phone_2');
    // Read with another encoding: the header is found again, the choices stay.
    const comma = await h['import:reopen']({ importId: back.importId, options: { encoding: 'windows-1252' } });
    expect(comma).toMatchObject({ headerRow: 4, encoding: 'windows-1252' });
    expect(comma.columns[2]).toMatchObject({ field: 'status', method: 'manual', options: table });
    expect(comma.columns[4]).toMatchObject({ field: 'phone_2', method: 'manual' });
    expect(await h['import:validate']({ importId: comma.importId })).toMatchObject({ rows: 4 });
  });

  it('keeps choices by name: a choice whose field the automatic mapping gave another column takes it back', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'two.csv', ['Lead ID,Email,Other Email', 'lead-1,a@example.com,b@example.com']);
    const { h } = await makeService();
    const opened = await h['import:open']({ path, options: {} });
    expect(opened.columns[1].field).toBe('email_1');
    await h['import:setMapping']({
      importId: opened.importId,
      columns: [
        { index: 1, field: null, options: {} },
        { index: 2, field: 'email_1', options: {} },
      ],
    });
    const again = await h['import:reopen']({ importId: opened.importId, options: { encoding: 'windows-1252' } });
    expect(again.encoding).toBe('windows-1252');
    expect(again.columns.map((c) => c.field)).toEqual(['lead_id', null, 'email_1']);
  });
});

describe('a yes/no column', () => {
  it('lists its words with true and false as targets, and takes a table of true/false only', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'pets.csv', ['Lead ID,Cats', 'lead-1,Yes', 'lead-2,x', 'lead-3,two of them', 'lead-4,N/A']);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview.columns[1].field).toBe('has_cats');
    const values = await h['import:columnValues']({ importId: overview.importId, columnIndex: 1 });
    // "N/A" is a blank cell by default: not a value to translate.
    expect(values).toMatchObject({ targets: [true, false], raw: null, distinct: 3 });
    expect(values?.values).toEqual([
      { text: 'two of them', count: 1, reads: null, suggestion: null },
      { text: 'x', count: 1, reads: null, suggestion: true },
      { text: 'Yes', count: 1, reads: true, suggestion: null },
    ]);
    const refused = await bridgeError(() =>
      h['import:setMapping']({
        importId: overview.importId,
        columns: [{ index: 1, field: 'has_cats', options: { values: { x: 'YES' } } }],
      }),
    );
    expect(refused.message).toBe(
      'Column "Cats": the value "x" cannot become has_cats "YES": \'YES\' is not a yes/no value: write true or false.',
    );
    await h['import:setMapping']({
      importId: overview.importId,
      columns: [{ index: 1, field: 'has_cats', options: { values: { x: true, 'two of them': true } } }],
    });
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 4, valid: 3, invalid: 0 });
  });
});

describe('the bridge codec and option comparison', () => {
  it('takes every column option, and bounds a value table', () => {
    const options = {
      values: { Contacted: 'ACTIVE', Yes: true },
      rawTo: 'status_raw',
      placeholders: [],
      twoDigitYears: '1900s',
      split: 'first last',
      secondPhoneTo: 'phone_2',
    };
    const decoded = ColumnOptionsArg.decode({ ...options, extra: 1 });
    expect(isRight(decoded) && decoded.right).toEqual(options);
    const big = Object.fromEntries(Array.from({ length: MAX_VALUE_TABLE_ENTRIES + 1 }, (_, i) => [`w${i}`, 'ACTIVE']));
    expect(isLeft(ColumnOptionsArg.decode({ values: big }))).toBe(true);
    expect(isLeft(ColumnOptionsArg.decode({ rawTo: 'notes' }))).toBe(true);
    expect(isLeft(ColumnOptionsArg.decode({ twoDigitYears: '2100s' }))).toBe(true);
  });

  it('compares value tables and placeholder lists by content', () => {
    expect(sameOptions({ values: { A: 'ACTIVE' }, placeholders: ['-'] }, { values: { A: 'ACTIVE' }, placeholders: ['-'] })).toBe(true);
    expect(sameOptions({ values: { A: 'ACTIVE' } }, { values: { A: 'COLD' } })).toBe(false);
    expect(sameOptions({ values: { A: 'ACTIVE' } }, { values: { A: 'ACTIVE', B: 'COLD' } })).toBe(false);
    expect(sameOptions({ placeholders: [] }, {})).toBe(false);
    expect(sameOptions({ twoDigitYears: '2000s' }, { twoDigitYears: '1900s' })).toBe(false);
  });
});
