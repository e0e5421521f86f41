import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { DecodedRow, NO_ISSUES } from '../../../app/lead/decoded-row.ts';
import type { LeadFieldName } from '../../../app/lead/fields.ts';
import { LeadUpdateFromRow, MISSING_LEAD_ID, NOTHING_TO_CHANGE, compileRowDecoder, decodeCells } from '../../../app/lead/row-decoder.ts';
import type { ColumnOptions, Mapping } from '../../../app/mapping/types.ts';
import type { Cell, SourceRow } from '../../../app/source/types.ts';

type ColumnSpec = readonly [column: string, field: LeadFieldName | null, options?: ColumnOptions];

function sheet(columns: readonly ColumnSpec[]) {
  const header = columns.map(([column]) => column);
  const mapping: Mapping = {
    columns: columns.map(([column, field, options], index) => ({
      index,
      column,
      field,
      method: field === null ? 'unmapped' : 'exact',
      options: options ?? {},
    })),
  };
  const decoder = compileRowDecoder(header, mapping);
  /** Decodes a row given by column name; unnamed columns are blank. */
  const decode = (cells: Partial<Record<string, Cell>>, extra: Partial<SourceRow> = {}) =>
    decoder.decode({ rowNumber: 7, cells: header.map((column) => cells[column] ?? ''), ...extra });
  return { header, mapping, decoder, decode, codec: LeadUpdateFromRow(decoder.plan) };
}

const basic = sheet([
  ['Lead ID', 'lead_id'],
  ['Status', 'status'],
  ['First Name', 'first_name'],
  ['Max Rent', 'desired_max_rent_in_cents'],
  ['Occupants', 'number_of_additional_occupants'],
  ['Move-in', 'target_move_in_date'],
  ['Comment', null],
]);

describe('compileRowDecoder: valid rows', () => {
  it('decodes mapped cells into the payload and keeps the lead id out of it', () => {
    const row = basic.decode({
      'Lead ID': ' lead_1 ',
      Status: 'active',
      'First Name': ' Jane ',
      'Max Rent': '$1,250.50',
      Occupants: '2',
      'Move-in': '3/7/2025',
    });
    expect(row).toEqual({
      rowNumber: 7,
      leadId: 'lead_1',
      payload: {
        status: 'ACTIVE',
        first_name: 'Jane',
        desired_max_rent_in_cents: 125050,
        number_of_additional_occupants: 2,
        target_move_in_date: '2025-03-07',
      },
      status: 'valid',
      errors: [],
      warnings: [],
    });
    expect(E.isRight(DecodedRow.decode(row))).toBe(true);
  });

  it('leaves blank cells out of the payload (they mean "unchanged"), never reading them as 0', () => {
    const row = basic.decode({ 'Lead ID': 'lead_1', Status: 'COLD', 'Max Rent': '  ', Occupants: '' });
    expect(row.payload).toEqual({ status: 'COLD' });
    expect('desired_max_rent_in_cents' in row.payload).toBe(false);
    expect('number_of_additional_occupants' in row.payload).toBe(false);
  });

  it('ignores unmapped columns', () => {
    const row = basic.decode({ 'Lead ID': 'lead_1', Status: 'COLD', Comment: 'anything: $$$' });
    expect(row.status).toBe('valid');
    expect(Object.keys(row.payload)).toEqual(['status']);
  });

  it('shares one frozen empty list for rows without issues', () => {
    const a = basic.decode({ 'Lead ID': 'lead_1', Status: 'COLD' });
    const b = basic.decode({ 'Lead ID': 'lead_2', Status: 'ACTIVE' });
    expect(a.errors).toBe(NO_ISSUES);
    expect(a.warnings).toBe(NO_ISSUES);
    expect(b.errors).toBe(a.errors);
    expect(Object.isFrozen(NO_ISSUES)).toBe(true);
  });

  it('reads XLSX-typed cells as typed', () => {
    const row = basic.decode({
      'Lead ID': 12345,
      Status: 'Waitlisted',
      'Max Rent': 1250.5,
      Occupants: 3,
      'Move-in': new Date(Date.UTC(2025, 2, 7)),
      'First Name': 42,
    });
    expect(row.leadId).toBe('12345');
    expect(row.payload).toEqual({
      status: 'WAITLISTED',
      desired_max_rent_in_cents: 125050,
      number_of_additional_occupants: 3,
      target_move_in_date: '2025-03-07',
      first_name: '42',
    });
  });

  it('treats a missing trailing cell like a blank one', () => {
    const row = basic.decoder.decode({ rowNumber: 3, cells: ['lead_1', 'COLD'] });
    expect(row.status).toBe('valid');
    expect(row.payload).toEqual({ status: 'COLD' });
  });
});

describe('compileRowDecoder: errors', () => {
  it('requires the lead id on every row', () => {
    const row = basic.decode({ 'Lead ID': '  ', Status: 'COLD' });
    expect(row.status).toBe('invalid');
    expect(row.leadId).toBeNull();
    expect(row.errors).toEqual([{ column: 'Lead ID', field: 'lead_id', value: '  ', message: MISSING_LEAD_ID }]);
  });

  it('refuses a lead id that would change the request path', () => {
    const row = basic.decode({ 'Lead ID': 'lead 1', Status: 'COLD' });
    expect(row.errors).toEqual([
      { column: 'Lead ID', field: 'lead_id', value: 'lead 1', message: "'lead 1' is not a lead id (it contains a space)" },
    ]);
  });

  it('reports every bad cell with its column, field, value and reason, and keeps the lead id', () => {
    const row = basic.decode({
      'Lead ID': 'lead_1',
      Status: 'Actve',
      'Max Rent': 'abc',
      Occupants: '-2',
      'Move-in': '2025-02-30',
      'First Name': 'Jane',
    });
    expect(row.status).toBe('invalid');
    expect(row.leadId).toBe('lead_1');
    expect(row.errors).toEqual([
      {
        column: 'Status',
        field: 'status',
        value: 'Actve',
        message: "'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean ACTIVE?",
      },
      { column: 'Max Rent', field: 'desired_max_rent_in_cents', value: 'abc', message: "'abc' is not an amount" },
      { column: 'Occupants', field: 'number_of_additional_occupants', value: '-2', message: "'-2' must be 0 or more" },
      {
        column: 'Move-in',
        field: 'target_move_in_date',
        value: '2025-02-30',
        message: "'2025-02-30' is not a real date (February 2025 has 28 days)",
      },
    ]);
    // The cells that did decode are still shown.
    expect(row.payload).toEqual({ first_name: 'Jane' });
  });

  it("turns the reader's row problem into a row-level error", () => {
    const row = basic.decode(
      { 'Lead ID': 'lead_1', Status: 'COLD' },
      { problem: { kind: 'cell_count', message: 'has 9 cells, the header has 7' } },
    );
    expect(row.status).toBe('invalid');
    expect(row.errors[0]).toEqual({ column: null, field: null, value: '', message: 'has 9 cells, the header has 7' });
    expect(row.errors).toHaveLength(1);
  });

  it('says so when no column is mapped to lead_id', () => {
    const noId = sheet([['Status', 'status']]);
    const row = noId.decode({ Status: 'COLD' });
    expect(row.status).toBe('invalid');
    expect(row.errors).toEqual([
      { column: null, field: 'lead_id', value: '', message: 'lead id is missing: no column is mapped to lead_id' },
    ]);
  });
});

describe('compileRowDecoder: skipped rows', () => {
  it('skips a row with nothing but the lead id, with a warning', () => {
    const row = basic.decode({ 'Lead ID': 'lead_1', Comment: 'unmapped text' });
    expect(row.status).toBe('skipped');
    expect(row.payload).toEqual({});
    expect(row.errors).toEqual([]);
    expect(row.warnings).toEqual([{ column: null, field: null, value: '', message: NOTHING_TO_CHANGE }]);
  });

  it('calls a row invalid, not skipped, when its only values are errors', () => {
    const row = basic.decode({ 'Lead ID': 'lead_1', Status: 'nope' });
    expect(row.status).toBe('invalid');
  });
});

describe('compileRowDecoder: deprecated fields', () => {
  const withDeprecated = sheet([
    ['Lead ID', 'lead_id'],
    ['Bedrooms (old)', 'desired_bedrooms'],
    ['Bathrooms (old)', 'desired_bathrooms'],
    ['Move-in (old)', 'desired_move_in_date', { dateOrder: 'DMY' }],
    ['Bedrooms', 'desired_num_bedrooms'],
  ]);

  it('sends them as their replacement, decoded with the replacement kind, with a warning', () => {
    const row = withDeprecated.decode({
      'Lead ID': 'lead_1',
      'Bedrooms (old)': '2',
      'Bathrooms (old)': '1,5',
      'Move-in (old)': '7/3/2025',
    });
    expect(row.status).toBe('valid');
    expect(row.payload).toEqual({ desired_num_bedrooms: 2, desired_num_bathrooms: 1.5, target_move_in_date: '2025-03-07' });
    expect(row.warnings).toEqual([
      {
        column: 'Bedrooms (old)',
        field: 'desired_bedrooms',
        value: '2',
        message: 'desired_bedrooms is deprecated; sent as desired_num_bedrooms',
      },
      {
        column: 'Bathrooms (old)',
        field: 'desired_bathrooms',
        value: '1,5',
        message: 'desired_bathrooms is deprecated; sent as desired_num_bathrooms',
      },
      {
        column: 'Move-in (old)',
        field: 'desired_move_in_date',
        value: '7/3/2025',
        message: 'desired_move_in_date is deprecated; sent as target_move_in_date',
      },
    ]);
  });

  it("lets the replacement's own column win when both have a value, with a warning", () => {
    const row = withDeprecated.decode({ 'Lead ID': 'lead_1', 'Bedrooms (old)': 'two', Bedrooms: '3' });
    expect(row.status).toBe('valid');
    expect(row.payload).toEqual({ desired_num_bedrooms: 3 });
    expect(row.warnings).toEqual([
      {
        column: 'Bedrooms (old)',
        field: 'desired_bedrooms',
        value: 'two',
        message:
          "desired_bedrooms is deprecated and desired_num_bedrooms (column 'Bedrooms') has a value on this row: desired_num_bedrooms is sent, this cell is not",
      },
    ]);
  });

  it('uses the deprecated column when the replacement cell is blank', () => {
    const row = withDeprecated.decode({ 'Lead ID': 'lead_1', 'Bedrooms (old)': '2', Bedrooms: ' ' });
    expect(row.payload).toEqual({ desired_num_bedrooms: 2 });
  });

  it('reports a bad deprecated cell with the replacement kind', () => {
    const row = withDeprecated.decode({ 'Lead ID': 'lead_1', 'Bathrooms (old)': 'two and a half' });
    expect(row.status).toBe('invalid');
    expect(row.errors).toEqual([
      { column: 'Bathrooms (old)', field: 'desired_bathrooms', value: 'two and a half', message: "'two and a half' is not a number" },
    ]);
  });
});

describe('compileRowDecoder: events and warnings', () => {
  const withEvents = sheet([
    ['Lead ID', 'lead_id'],
    ['Events', 'events'],
    ['Zip', 'zip'],
    ['Phone', 'phone_1'],
    ['Phone 2', 'phone_2'],
    ['Status', 'status'],
  ]);

  it('never sends events; a non-blank events cell is a warning', () => {
    const row = withEvents.decode({ 'Lead ID': 'lead_1', Events: 'tour on Monday', Status: 'COLD' });
    expect(row.status).toBe('valid');
    expect(row.payload).toEqual({ status: 'COLD' });
    expect(row.warnings).toEqual([
      {
        column: 'Events',
        field: 'events',
        value: 'tour on Monday',
        message:
          "events is deprecated and cannot be written from a spreadsheet (write events through Propexo's events endpoints); this cell is not sent",
      },
    ]);
  });

  it('warns when an XLSX number zip lost its leading zeros, and still sends it', () => {
    const row = withEvents.decode({ 'Lead ID': 'lead_1', Zip: 2134 });
    expect(row.status).toBe('valid');
    expect(row.payload).toEqual({ zip: '2134' });
    expect(row.warnings).toEqual([
      {
        column: 'Zip',
        field: 'zip',
        value: '2134',
        message: "'2134' has 4 digits: leading zeros were probably lost in Excel (did you mean 02134? format the column as text)",
      },
    ]);
  });

  it('does not warn about zips written as text or with 5 digits', () => {
    expect(withEvents.decode({ 'Lead ID': 'lead_1', Zip: '2134' }).warnings).toEqual([]);
    expect(withEvents.decode({ 'Lead ID': 'lead_1', Zip: 62704 }).warnings).toEqual([]);
  });

  it('warns about a phone number with fewer than 7 digits', () => {
    const row = withEvents.decode({ 'Lead ID': 'lead_1', Phone: '555-12', 'Phone 2': '(555) 010-1234' });
    expect(row.status).toBe('valid');
    expect(row.payload).toEqual({ phone_1: '555-12', phone_2: '(555) 010-1234' });
    expect(row.warnings).toEqual([
      { column: 'Phone', field: 'phone_1', value: '555-12', message: "'555-12' has only 5 digits: is it a complete phone number?" },
    ]);
  });
});

describe('decodeCells', () => {
  it('is the walk decode uses, usable on bare cells', () => {
    const row = decodeCells(basic.decoder.plan, 12, ['lead_1', 'COLD', '', '', '', '', '']);
    expect(row).toEqual(basic.decoder.decode({ rowNumber: 12, cells: ['lead_1', 'COLD', '', '', '', '', ''] }));
  });
});

describe('LeadUpdateFromRow (the io-ts view of a row)', () => {
  const codec = basic.codec;

  it('decodes cells to the request to send', () => {
    expect(codec.decode(['lead_1', 'active', '', '$5', '', '', ''])).toEqual(
      E.right({ leadId: 'lead_1', payload: { status: 'ACTIVE', desired_max_rent_in_cents: 500 } }),
    );
  });

  it('fails with the same messages, keyed by column', () => {
    const result = codec.decode(['', 'Actve', '', 'abc', '', '', '']);
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left.map((e) => [e.context[e.context.length - 1].key, e.message])).toEqual([
        ['Lead ID', MISSING_LEAD_ID],
        ['Status', "'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean ACTIVE?"],
        ['Max Rent', "'abc' is not an amount"],
      ]);
      // Each error names the codec that refused the cell.
      expect(result.left.map((e) => e.context[e.context.length - 1].type.name)).toEqual([
        'LeadIdFromCell',
        'EnumFromCell(ACTIVE|COLD|INACTIVE|WAITLISTED)',
        'CentsFromDollarCell',
      ]);
    }
  });

  it('fails a row with nothing to change', () => {
    const result = codec.decode(['lead_1', '', '', '', '', '', '']);
    expect(E.isLeft(result) && result.left.map((e) => [e.message, e.context[e.context.length - 1].type.name])).toEqual([
      [NOTHING_TO_CHANGE, 'LeadUpdateFromRow'],
    ]);
  });

  it('encodes a request back to cells in the canonical writing, and round-trips', () => {
    const request = {
      leadId: 'lead_1',
      payload: { status: 'COLD', desired_max_rent_in_cents: 125050, target_move_in_date: '2025-03-07', number_of_additional_occupants: 2 },
    };
    const cells = codec.encode(request);
    expect(cells).toEqual(['lead_1', 'COLD', '', '1250.50', '2', '2025-03-07', '']);
    expect(codec.decode(cells)).toEqual(E.right(request));
  });

  it('writes a deprecated column back only when the replacement has no column', () => {
    const old = sheet([
      ['Lead ID', 'lead_id'],
      ['Beds (old)', 'desired_bedrooms'],
    ]);
    expect(old.codec.encode({ leadId: 'l', payload: { desired_num_bedrooms: 2 } })).toEqual(['l', '2']);
    const both = sheet([
      ['Lead ID', 'lead_id'],
      ['Beds (old)', 'desired_bedrooms'],
      ['Beds', 'desired_num_bedrooms'],
    ]);
    expect(both.codec.encode({ leadId: 'l', payload: { desired_num_bedrooms: 2 } })).toEqual(['l', '', '2']);
  });
});

describe('compileRowDecoder: what real exports write', () => {
  const crm = sheet([
    ['Lead ID', 'lead_id'],
    ['Lead Status', 'status', { values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE' }, rawTo: 'status_raw' }],
    ['Phone', 'phone_1'],
    ['Phone Type', 'phone_1_type'],
    ['Min Rent', 'desired_min_rent_in_cents'],
    ['Notes', 'notes'],
  ]);

  it('translates the value table and sends the cell as written to status_raw', () => {
    const row = crm.decode({ 'Lead ID': 'l1', 'Lead Status': ' contacted ', 'Phone Type': 'Cell' });
    expect(row.payload).toEqual({ status: 'ACTIVE', status_raw: 'contacted', phone_1_type: 'MOBILE' });
    expect(row.status).toBe('valid');
  });

  it("falls back to the field's own reading, with its message, for words the table lacks", () => {
    const row = crm.decode({ 'Lead ID': 'l1', 'Lead Status': 'Working' });
    expect(row.errors).toEqual([
      { column: 'Lead Status', field: 'status', value: 'Working', message: "'Working' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED" },
    ]);
  });

  it('reads placeholders as blank, but null still clears a nullable field', () => {
    const row = crm.decode({ 'Lead ID': 'l1', 'Lead Status': 'N/A', Phone: '-/-', Notes: '—', 'Min Rent': 'null' });
    expect(row.payload).toEqual({ desired_min_rent_in_cents: null });
    expect(crm.decode({ 'Lead ID': 'N/A', Notes: 'x' }).errors.map((e) => e.message)).toEqual([MISSING_LEAD_ID]);
  });

  it("uses the column's own placeholders when it lists them", () => {
    const own = sheet([
      ['Lead ID', 'lead_id'],
      ['Notes', 'notes', { placeholders: ['TBD'] }],
      ['City', 'city', { placeholders: [] }],
    ]);
    expect(own.decode({ 'Lead ID': 'l1', Notes: 'tbd', City: 'N/A' }).payload).toEqual({ city: 'N/A' });
    expect(own.decode({ 'Lead ID': 'l1', Notes: 'N/A' }).payload).toEqual({ notes: 'N/A' });
  });

  it('warns about a second phone number, offering phone_2 when no column fills it', () => {
    const row = crm.decode({ 'Lead ID': 'l1', Phone: 'Mobile: (720) 273-5593 Home: (303) 555-1212' });
    expect(row.payload).toEqual({ phone_1: '(720) 273-5593' });
    expect(row.warnings.map((w) => w.message)).toEqual([
      "the cell holds 2 phone numbers, '(720) 273-5593' and '(303) 555-1212': only the first is sent, as phone_1 (to send the second as phone_2, set the column's secondPhoneTo to phone_2)",
    ]);
    const both = sheet([
      ['Lead ID', 'lead_id'],
      ['Phone', 'phone_1'],
      ['Alt Phone', 'phone_2'],
    ]);
    expect(both.decode({ 'Lead ID': 'l1', Phone: '720-273-5593 / 303-555-1212' }).warnings.map((w) => w.message)).toEqual([
      "the cell holds 2 phone numbers, '720-273-5593' and '303-555-1212': only the first is sent, as phone_1",
    ]);
  });

  it('sends the second number where secondPhoneTo says, without a warning', () => {
    const routed = sheet([
      ['Lead ID', 'lead_id'],
      ['Phones', 'phone_1', { secondPhoneTo: 'phone_2' }],
    ]);
    const row = routed.decode({ 'Lead ID': 'l1', Phones: '720-273-5593, 303-555-1212' });
    expect(row.payload).toEqual({ phone_1: '720-273-5593', phone_2: '303-555-1212' });
    expect(row.warnings).toEqual([]);
    expect(routed.decode({ 'Lead ID': 'l1', Phones: '720-273-5593' }).payload).toEqual({ phone_1: '720-273-5593' });
  });

  it('splits a whole-name column into first and last name, refusing a cell of another shape once', () => {
    const names = sheet([
      ['Lead ID', 'lead_id'],
      ['Name', 'first_name', { split: 'last, first' }],
    ]);
    expect(names.decode({ 'Lead ID': 'l1', Name: 'Martinez, Sofia' }).payload).toEqual({ first_name: 'Sofia', last_name: 'Martinez' });
    expect(names.decode({ 'Lead ID': 'l1', Name: 'Sofia Martinez' }).errors).toEqual([
      {
        column: 'Name',
        field: 'first_name',
        value: 'Sofia Martinez',
        message: `'Sofia Martinez' has no comma: the column is split as "last, first" (e.g. Martinez, Sofia)`,
      },
    ]);
    const onLast = sheet([
      ['Lead ID', 'lead_id'],
      ['Name', 'last_name', { split: 'first last' }],
    ]);
    expect(onLast.decode({ 'Lead ID': 'l1', Name: 'Sofia de la Cruz' }).payload).toEqual({ first_name: 'Sofia', last_name: 'de la Cruz' });
    const request = { leadId: 'l1', payload: { first_name: 'Sofia', last_name: 'Martinez' } };
    expect(names.codec.encode(request)).toEqual(['l1', 'Martinez, Sofia']);
    expect(names.codec.decode(['l1', 'Martinez, Sofia'])).toEqual(E.right(request));
  });
});
