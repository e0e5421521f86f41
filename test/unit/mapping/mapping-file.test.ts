import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { autoMap } from '../../../app/mapping/auto-map.ts';
import {
  applyMappingFile,
  formatMappingFile,
  parseMappingFile,
  toMappingFile,
  type MappingFile,
} from '../../../app/mapping/mapping-file.ts';
import type { Mapping } from '../../../app/mapping/types.ts';

const example = `{ "version": 1, "columns": {
  "E-mail Address": { "field": "email_1" },
  "Max Rent": { "field": "desired_max_rent_in_cents", "money": "dollars" },
  "Move-in": { "field": "target_move_in_date", "dateOrder": "DMY" },
  "Units": { "field": "desired_unit_ids", "listSeparator": ";" },
  "Lead ID": { "field": "lead_id" },
  "Internal notes": { "field": null } } }`;

const parsed = (text: string): MappingFile => {
  const result = parseMappingFile(text, 'mapping.json');
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
};

const errorsOf = (text: string): string[] => {
  const result = parseMappingFile(text, 'mapping.json');
  if (E.isRight(result)) throw new Error('expected errors');
  return result.left;
};

/** A file with `columns` as given, as text. */
const withColumns = (columns: Record<string, unknown>) => JSON.stringify({ version: 1, columns });

describe('parseMappingFile', () => {
  it('reads a valid file', () => {
    expect(parsed(example)).toEqual({
      version: 1,
      columns: {
        'E-mail Address': { field: 'email_1' },
        'Max Rent': { field: 'desired_max_rent_in_cents', money: 'dollars' },
        'Move-in': { field: 'target_move_in_date', dateOrder: 'DMY' },
        Units: { field: 'desired_unit_ids', listSeparator: ';' },
        'Lead ID': { field: 'lead_id' },
        'Internal notes': { field: null },
      },
    });
  });

  it('accepts deprecated fields and a byte-order mark', () => {
    expect(parsed(`\uFEFF${withColumns({ Beds: { field: 'desired_bedrooms' } })}`).columns.Beds).toEqual({ field: 'desired_bedrooms' });
  });

  it.each([
    [
      'an option value',
      withColumns({ 'Max Rent': { field: 'desired_max_rent_in_cents', money: 'euros' } }),
      `mapping.json: columns."Max Rent".money: 'euros' is not one of dollars, cents`,
    ],
    [
      'a date order',
      withColumns({ 'Move-in': { field: 'target_move_in_date', dateOrder: 'YMD' } }),
      `mapping.json: columns."Move-in".dateOrder: 'YMD' is not one of MDY, DMY`,
    ],
    [
      'an empty list separator',
      withColumns({ Units: { field: 'desired_unit_ids', listSeparator: '' } }),
      `mapping.json: columns."Units".listSeparator: expected a non-empty text such as ';', got ''`,
    ],
    [
      'a misspelt field',
      withColumns({ 'E-mail': { field: 'emial_1' } }),
      `mapping.json: columns."E-mail".field: 'emial_1' is not a lead field; did you mean email_1?`,
    ],
    [
      'a header written as a field',
      withColumns({ X: { field: 'Email Address' } }),
      `mapping.json: columns."X".field: 'Email Address' is not a lead field; did you mean email_1?`,
    ],
    [
      'a field close to nothing',
      withColumns({ X: { field: 'qqqqqqqq' } }),
      `mapping.json: columns."X".field: 'qqqqqqqq' is not a lead field`,
    ],
    [
      'a field no cell can hold',
      withColumns({ X: { field: 'events' } }),
      `mapping.json: columns."X".field: 'events' cannot be filled from a spreadsheet column`,
    ],
    [
      'a missing field',
      withColumns({ X: {} }),
      'mapping.json: columns."X".field: missing: give a lead field name, or null to leave the column out',
    ],
    [
      'a field of the wrong type',
      withColumns({ X: { field: 3 } }),
      'mapping.json: columns."X".field: expected a lead field name or null, got 3',
    ],
    [
      'a column given as a bare field name',
      withColumns({ Phone: 'phone_1' }),
      `mapping.json: columns."Phone": expected an object like { "field": "phone_1" }, got 'phone_1'`,
    ],
    [
      'an unknown option',
      withColumns({ 'Move-in': { field: 'target_move_in_date', dateorder: 'DMY' } }),
      'mapping.json: columns."Move-in".dateorder: unknown key; did you mean dateOrder?',
    ],
    [
      'an unknown top-level key',
      JSON.stringify({ version: 1, columns: {}, comment: 'x' }),
      'mapping.json: comment: unknown key; known keys: version, headerRow, integration, property, columns',
    ],
    [
      'an unsupported version',
      JSON.stringify({ version: 2, columns: {} }),
      'mapping.json: version: 2 is not supported; this Lead Importer reads version 1',
    ],
    ['a missing version', JSON.stringify({ columns: {} }), 'mapping.json: version: missing: write "version": 1'],
    ['a version as text', JSON.stringify({ version: '1', columns: {} }), `mapping.json: version: expected the number 1, got '1'`],
    [
      'columns as a list',
      JSON.stringify({ version: 1, columns: [] }),
      'mapping.json: columns: expected an object with one entry per header column, got a list',
    ],
    [
      'missing columns',
      JSON.stringify({ version: 1 }),
      'mapping.json: columns: missing: expected an object with one entry per header column',
    ],
    ['not an object', '[]', 'mapping.json: expected an object like { "version": 1, "columns": { … } }, got a list'],
    ['an empty file', '  \n', 'mapping.json: the file is empty'],
    [
      'invalid JSON',
      '{ "version": 1,\n  "columns": { "A": { "field": "email_1" }\n}',
      "mapping.json: not valid JSON at line 3, column 2: expected ',' or '}' after a property value, found the end of the file",
    ],
    [
      'a trailing comma',
      '{ "version": 1, "columns": {}, }',
      "mapping.json: not valid JSON at line 1, column 32: expected a double-quoted property name, found '}' (a trailing comma?)",
    ],
    [
      'a column written twice',
      '{ "version": 1, "columns": {\n  "Email": { "field": "email_1" },\n  "Email": { "field": null } } }',
      'mapping.json: columns."Email": appears twice (the second at line 3, column 3); keep one',
    ],
    [
      'a field used twice',
      withColumns({ Email: { field: 'email_1' }, 'E-mail': { field: 'email_1' } }),
      'mapping.json: columns."E-mail".field: email_1 is already filled from column "Email"; a field can come from one column only',
    ],
  ])('names the file and the path for %s', (_, text, message) => {
    expect(errorsOf(text)).toEqual([message]);
  });

  it('reports every problem at once, in file order', () => {
    const text = withColumns({
      'Max Rent': { field: 'desired_max_rent_in_cents', money: 'euros' },
      MI: { field: 'middle_inital' },
      Notes: { field: null },
    });
    expect(errorsOf(text)).toEqual([
      `mapping.json: columns."Max Rent".money: 'euros' is not one of dollars, cents`,
      `mapping.json: columns."MI".field: 'middle_inital' is not a lead field; did you mean middle_initial?`,
    ]);
  });

  it('allows any number of columns with "field": null', () => {
    expect(Object.keys(parsed(withColumns({ A: { field: null }, B: { field: null } })).columns)).toEqual(['A', 'B']);
  });
});

describe('formatMappingFile', () => {
  it('writes one line per column, keys in one order, and a final newline', () => {
    const file: MappingFile = {
      version: 1,
      columns: {
        'Move-in': { dateOrder: 'DMY', field: 'target_move_in_date' },
        'Max "Rent"': { money: 'cents', field: 'desired_max_rent_in_cents' },
        Notes: { field: null },
      },
    };
    expect(formatMappingFile(file)).toBe(
      [
        '{',
        '  "version": 1,',
        '  "columns": {',
        '    "Move-in": { "field": "target_move_in_date", "dateOrder": "DMY" },',
        '    "Max \\"Rent\\"": { "field": "desired_max_rent_in_cents", "money": "cents" },',
        '    "Notes": { "field": null }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('writes an empty file that reads back', () => {
    const text = formatMappingFile({ version: 1, columns: {} });
    expect(text).toBe('{\n  "version": 1,\n  "columns": {}\n}\n');
    expect(parsed(text)).toEqual({ version: 1, columns: {} });
  });

  it('is stable: formatting what it wrote gives the same text', () => {
    const text = formatMappingFile(parsed(example));
    expect(formatMappingFile(parsed(text))).toBe(text);
  });
});

describe('toMappingFile', () => {
  it('writes every column but report columns, unmapped ones as null, options spelled out', () => {
    const mapping = autoMap([
      'import_row',
      'Lead ID',
      'E-mail Address',
      'Max Rent (cents)',
      'Move-in (DD/MM/YYYY)',
      'Internal notes',
      'import_errors',
    ]);
    expect(toMappingFile(mapping)).toEqual({
      version: 1,
      columns: {
        'Lead ID': { field: 'lead_id' },
        'E-mail Address': { field: 'email_1' },
        'Max Rent (cents)': { field: 'desired_max_rent_in_cents', money: 'cents' },
        'Move-in (DD/MM/YYYY)': { field: 'target_move_in_date', dateOrder: 'DMY' },
        'Internal notes': { field: null },
      },
    });
  });
});

describe('applyMappingFile', () => {
  const file = parsed(example);

  it('maps header columns by exact name, then ignoring case and surrounding spaces', () => {
    const header = ['Lead ID', ' e-mail address ', 'MAX RENT', 'Move-in', 'Units', 'Internal notes'];
    const { mapping, problems } = applyMappingFile(header, file);
    expect(problems).toEqual([]);
    expect(mapping.columns).toEqual([
      { index: 0, column: 'Lead ID', field: 'lead_id', method: 'mapping_file', options: {} },
      { index: 1, column: ' e-mail address ', field: 'email_1', method: 'mapping_file', options: {} },
      { index: 2, column: 'MAX RENT', field: 'desired_max_rent_in_cents', method: 'mapping_file', options: { money: 'dollars' } },
      { index: 3, column: 'Move-in', field: 'target_move_in_date', method: 'mapping_file', options: { dateOrder: 'DMY' } },
      { index: 4, column: 'Units', field: 'desired_unit_ids', method: 'mapping_file', options: { listSeparator: ';' } },
      { index: 5, column: 'Internal notes', field: null, method: 'unmapped', options: {} },
    ]);
  });

  it('prefers the exact column when two differ only in case', () => {
    const f = parsed(withColumns({ email: { field: 'email_1' }, EMAIL: { field: 'phone_1' }, 'Lead ID': { field: 'lead_id' } }));
    const { mapping } = applyMappingFile(['EMAIL', 'email', 'Lead ID'], f);
    expect(mapping.columns.map((c) => c.field)).toEqual(['phone_1', 'email_1', 'lead_id']);
  });

  it('never sends header columns the file does not name, and recognises report columns', () => {
    const header = ['import_row', 'Lead ID', 'Email', 'Stauts', 'import_errors'];
    const { mapping, problems } = applyMappingFile(header, parsed(withColumns({ 'Lead ID': { field: 'lead_id' } })));
    expect(mapping.columns.map((c) => [c.field, c.method])).toEqual([
      [null, 'report_column'],
      ['lead_id', 'mapping_file'],
      [null, 'unmapped'],
      [null, 'unmapped'],
      [null, 'report_column'],
    ]);
    expect(problems).toEqual([]);
  });

  it('reports file columns missing from the header, saying when it is the lead id', () => {
    const { mapping, problems } = applyMappingFile(['E-mail Address', 'Max Rent', 'Move-in'], file);
    expect(problems).toEqual([
      'column "Units" (desired_unit_ids) is not in the header',
      'column "Lead ID" (lead_id) is not in the header: without it no row can be matched to a lead',
    ]);
    expect(mapping.columns.map((c) => c.field)).toEqual(['email_1', 'desired_max_rent_in_cents', 'target_move_in_date']);
  });

  it('reports and drops options that do not fit their field', () => {
    const f = parsed(
      withColumns({ 'Lead ID': { field: 'lead_id' }, 'Move-in': { field: 'target_move_in_date', money: 'cents', dateOrder: 'DMY' } }),
    );
    const { mapping, problems } = applyMappingFile(['Lead ID', 'Move-in'], f);
    expect(problems).toEqual([
      'column "Move-in": money applies only to money fields (*_in_cents), and target_move_in_date is a date field: ignored',
    ]);
    expect(mapping.columns[1].options).toEqual({ dateOrder: 'DMY' });
  });

  it("fills options the file leaves out from what the header says, the file's own winning", () => {
    const f = parsed(
      withColumns({
        'Rent (cents)': { field: 'desired_max_rent_in_cents' },
        'Income (cents)': { field: 'monthly_income_in_cents', money: 'dollars' },
        'DOB (DD/MM/YYYY)': { field: 'date_of_birth' },
      }),
    );
    const { mapping } = applyMappingFile(['Rent (cents)', 'Income (cents)', 'DOB (DD/MM/YYYY)'], f);
    expect(mapping.columns.map((c) => c.options)).toEqual([{ money: 'cents' }, { money: 'dollars' }, { dateOrder: 'DMY' }]);
  });
  // A field two columns fill: test/unit/mapping/edit-mapping.test.ts (the one policy, both paths).
});

describe('mapping file round trip', () => {
  const header = [
    'import_row',
    'Propexo Lead ID',
    'First Name',
    'E-mail Address',
    'Cell Phone',
    'Lead Status',
    'Max Rent (cents)',
    'Monthly Income',
    'Move-in Date (DD/MM/YYYY)',
    'Units',
    'Stauts',
    'Internal Notes',
    'Email',
    'import_errors',
  ];

  it('toMappingFile → format → parse → apply gives the same mapping', () => {
    const automatic = autoMap(header);
    const { mapping, problems } = applyMappingFile(header, parsed(formatMappingFile(toMappingFile(automatic))));
    expect(problems).toEqual([]);
    const essence = (m: Mapping) => m.columns.map(({ index, column, field, options }) => ({ index, column, field, options }));
    expect(essence(mapping)).toEqual(essence(automatic));
    expect(mapping.columns.map((c) => c.method)).toEqual(automatic.columns.map((c) => (c.field !== null ? 'mapping_file' : c.method)));
  });
});

describe('repeated header names and column letters', () => {
  // HubSpot's "contacts with company" export repeats names.
  const header = ['Record ID', 'Email', 'Company Name', 'Create Date', 'Company name', 'Create Date'];

  it('refuses an entry whose name fills a field from a name the header repeats, naming the columns by letter', () => {
    const { ambiguous } = applyMappingFile(
      header,
      parsed(withColumns({ 'Record ID': { field: 'lead_id' }, 'Create Date': { field: 'target_move_in_date' } })),
    );
    expect(ambiguous).toEqual([
      'column "Create Date" (target_move_in_date): the header has 2 columns of that name, column D ("Create Date") and column F ("Create Date"); ' +
        'say which one in its entry, e.g. "column": "D"',
    ]);
    // The same name in another case is one column when written exactly, two when not.
    expect(applyMappingFile(header, parsed(withColumns({ 'Company Name': { field: 'notes' } }))).ambiguous).toEqual([]);
    expect(applyMappingFile(header, parsed(withColumns({ 'company name': { field: 'notes' } }))).ambiguous).toHaveLength(1);
    // Leaving a repeated name out is no problem.
    expect(applyMappingFile(header, parsed(withColumns({ 'Create Date': { field: null } }))).ambiguous).toEqual([]);
  });

  it('takes a column by its letter, the letter winning over the key, and the namesake by name', () => {
    const f = parsed(
      withColumns({
        'Record ID': { field: 'lead_id' },
        'Created (F)': { column: 'f', field: 'target_move_in_date' },
        'Create Date': { field: null },
      }),
    );
    expect(f.columns['Created (F)'].column).toBe('F');
    const { mapping, problems, ambiguous } = applyMappingFile(header, f);
    expect([problems, ambiguous]).toEqual([[], []]);
    expect(mapping.columns.map((c) => c.field)).toEqual(['lead_id', null, null, null, null, 'target_move_in_date']);
  });

  it('reports a letter past the last column and a letter given twice', () => {
    const f = parsed(
      withColumns({ A: { column: 'Z', field: 'lead_id' }, B: { column: 'B', field: 'email_1' }, C: { column: 'B', field: 'notes' } }),
    );
    const { problems } = applyMappingFile(header, f);
    expect(problems).toEqual([
      'column "A" (lead_id) is column Z, past the header\'s last column (F): without it no row can be matched to a lead',
      'column "C": column B is already given by the entry "B"; this entry is ignored',
    ]);
  });

  it('refuses what is not a letter, and a header row that is not a row number', () => {
    expect(errorsOf(withColumns({ X: { column: 'A1', field: 'email_1' } }))).toEqual([
      'mapping.json: columns."X".column: expected a column letter such as "U" or "AB", got \'A1\'',
    ]);
    expect(errorsOf(JSON.stringify({ version: 1, headerRow: 0, columns: {} }))).toEqual([
      "mapping.json: headerRow: expected the header's row number (1 or more), got 0",
    ]);
  });

  it('writes repeated names with their letters and the header row, and reads them back to the same mapping', () => {
    const mapping = applyMappingFile(
      header,
      parsed(withColumns({ 'Record ID': { field: 'lead_id' }, X: { column: 'F', field: 'target_move_in_date' } })),
    ).mapping;
    const file = toMappingFile(mapping, 6);
    expect(file.headerRow).toBe(6);
    expect(Object.keys(file.columns)).toEqual([
      'Record ID',
      'Email',
      'Company Name (C)',
      'Create Date (D)',
      'Company name (E)',
      'Create Date (F)',
    ]);
    expect(file.columns['Create Date (F)']).toEqual({ column: 'F', field: 'target_move_in_date' });
    const text = formatMappingFile(file);
    expect(text).toContain('"headerRow": 6,');
    expect(text).toContain('"Create Date (F)": { "column": "F", "field": "target_move_in_date" }');
    const again = applyMappingFile(header, parsed(text));
    expect([again.problems, again.ambiguous]).toEqual([[], []]);
    expect(again.mapping.columns.map((c) => c.field)).toEqual(mapping.columns.map((c) => c.field));
  });
});

describe('mapping files: value tables and the options of real exports', () => {
  const exportFile = withColumns({
    'Lead ID': { field: 'lead_id' },
    'Lead Status': {
      field: 'status',
      values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE', Weird: null },
      rawTo: 'status_raw',
      placeholders: ['-/-'],
    },
    Dogs: { field: 'has_dogs', values: { 'Small dog': true } },
    Created: { field: 'target_move_in_date', twoDigitYears: '2000s' },
    Name: { field: 'first_name', split: 'last, first' },
    Phones: { field: 'phone_1', secondPhoneTo: 'phone_2' },
  });

  it('reads the options and gives the decoder the decided words only', () => {
    const file = parsed(exportFile);
    const { mapping, problems } = applyMappingFile(['Lead ID', 'Lead Status', 'Dogs', 'Created', 'Name', 'Phones'], file);
    expect(problems).toEqual([]);
    expect(mapping.columns.map((c) => c.options)).toEqual([
      {},
      { values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE' }, rawTo: 'status_raw', placeholders: ['-/-'] },
      { values: { 'Small dog': true } },
      { twoDigitYears: '2000s' },
      { split: 'last, first' },
      { secondPhoneTo: 'phone_2' },
    ]);
  });

  it('writes them back so that the file reads the same', () => {
    const file = parsed(exportFile);
    const text = formatMappingFile(file);
    expect(text).toContain(
      `"Lead Status": { "field": "status", "rawTo": "status_raw", "placeholders": ["-/-"], "values": { "Contacted": "ACTIVE", "Lost Lead": "INACTIVE", "Weird": null } }`,
    );
    expect(parsed(text)).toEqual(file);
  });

  it.each([
    [
      "a target that is not one of the field's values",
      { S: { field: 'status', values: { Contacted: 'ACTIV' } } },
      `mapping.json: columns."S".values."Contacted": 'ACTIV' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED; did you mean ACTIVE?`,
    ],
    [
      'a yes/no target written as text',
      { Dogs: { field: 'has_dogs', values: { 'Small dog': 'yes' } } },
      `mapping.json: columns."Dogs".values."Small dog": 'yes' is not a yes/no value: write true or false`,
    ],
    [
      'a target of the wrong type',
      { S: { field: 'status', values: { Contacted: 3 } } },
      `mapping.json: columns."S".values."Contacted": expected the field's value (text), true or false, or null, got 3`,
    ],
    [
      'the same word twice',
      { S: { field: 'status', values: { Contacted: 'ACTIVE', ' contacted': 'COLD' } } },
      `mapping.json: columns."S".values." contacted": the same word as "Contacted" (case and spaces around it do not count); keep one`,
    ],
    [
      'a century',
      { D: { field: 'target_move_in_date', twoDigitYears: '20th' } },
      `mapping.json: columns."D".twoDigitYears: '20th' is not one of 2000s, 1900s`,
    ],
    [
      'a split',
      { N: { field: 'first_name', split: 'first, last' } },
      `mapping.json: columns."N".split: 'first, last' is not one of last, first, first last`,
    ],
    [
      'placeholders',
      { N: { field: 'notes', placeholders: 'N/A' } },
      `mapping.json: columns."N".placeholders: expected a list of texts such as ["N/A", "-"] ([] for none), got 'N/A'`,
    ],
    [
      'a second phone that is not a phone field',
      { P: { field: 'phone_1', secondPhoneTo: 'email_1' } },
      `mapping.json: columns."P".secondPhoneTo: 'email_1' cannot take this column's second number: name another phone field, such as phone_2`,
    ],
    [
      'a second phone already filled',
      { P: { field: 'phone_1', secondPhoneTo: 'phone_2' }, Alt: { field: 'phone_2' } },
      `mapping.json: columns."Alt".field: phone_2 is already filled from column "P"; a field can come from one column only`,
    ],
    [
      'a split name next to a last name column',
      { N: { field: 'first_name', split: 'first last' }, L: { field: 'last_name' } },
      `mapping.json: columns."L".field: last_name is already filled from column "N"; a field can come from one column only`,
    ],
  ])('refuses %s, naming the column and the value', (_what, columns, message) => {
    expect(errorsOf(withColumns(columns))).toEqual([message]);
  });

  it('reads a split on a last_name column as filling both names', () => {
    const file = parsed(withColumns({ Name: { field: 'last_name', split: 'first last' }, 'Lead ID': { field: 'lead_id' } }));
    expect(file.columns.Name).toEqual({ field: 'last_name', split: 'first last' });
    expect(errorsOf(withColumns({ Name: { field: 'last_name', split: 'first last' }, F: { field: 'first_name' } }))).toEqual([
      `mapping.json: columns."F".field: first_name is already filled from column "Name"; a field can come from one column only`,
    ]);
  });

  it('reports options that do not fit the field as problems, and drops them', () => {
    const file = parsed(
      withColumns({ City: { field: 'city', values: { Denver: 'DENVER' }, twoDigitYears: '2000s' }, 'Lead ID': { field: 'lead_id' } }),
    );
    const { mapping, problems } = applyMappingFile(['City', 'Lead ID'], file);
    expect(mapping.columns[0].options).toEqual({});
    expect(problems).toEqual([
      'column "City": twoDigitYears applies only to date fields, and city is a string field: ignored',
      'column "City": values applies only to fields with a fixed list of values and yes/no fields, and city is a string field: ignored',
    ]);
  });
});
