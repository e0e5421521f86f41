import { describe, expect, it } from 'vitest';
import { autoMap } from '../../../app/mapping/auto-map.ts';
import { describeMatch, unmappedColumns } from '../../../app/mapping/describe.ts';
import type { ColumnMapping } from '../../../app/mapping/types.ts';

const column = (over: Partial<ColumnMapping>): ColumnMapping => ({
  index: 0,
  column: 'X',
  field: null,
  method: 'unmapped',
  options: {},
  ...over,
});

describe('describeMatch', () => {
  it('says which field and how it was found', () => {
    const [email, id, stauts] = autoMap(['E-mail Address', 'lead_id', 'Stauts']).columns;
    expect(describeMatch(email)).toBe('E-mail Address → email_1 (synonym)');
    expect(describeMatch(id)).toBe('lead_id → lead_id (exact)');
    expect(describeMatch(stauts)).toBe('Stauts → status (typo)');
  });

  it('shows the options that will be used to read the cells', () => {
    const [rent, movein] = autoMap(['Max Rent ($)', 'Move-in Date (DD/MM/YYYY)']).columns;
    expect(describeMatch(rent)).toBe('Max Rent ($) → desired_max_rent_in_cents (synonym; in dollars)');
    expect(describeMatch(movein)).toBe('Move-in Date (DD/MM/YYYY) → target_move_in_date (synonym; day first: DD/MM/YYYY)');
    expect(
      describeMatch(column({ column: 'Units', field: 'desired_unit_ids', method: 'mapping_file', options: { listSeparator: ',' } })),
    ).toBe('Units → desired_unit_ids (mapping file; split on ",")');
    expect(describeMatch(column({ column: 'DOB', field: 'date_of_birth', method: 'mapping_file', options: { dateOrder: 'MDY' } }))).toBe(
      'DOB → date_of_birth (mapping file; month first: MM/DD/YYYY)',
    );
  });

  it('shows the options of real exports', () => {
    expect(describeMatch(column({ column: 'Name', field: 'first_name', method: 'synonym', options: { split: 'last, first' } }))).toBe(
      'Name → first_name (synonym; split "last, first" into first_name and last_name)',
    );
    expect(
      describeMatch(
        column({
          column: 'S',
          field: 'status',
          method: 'mapping_file',
          options: { values: { Contacted: 'ACTIVE' }, rawTo: 'status_raw', placeholders: [] },
        }),
      ),
    ).toBe('S → status (mapping file; the text as written also to status_raw; 1 value translated; no placeholders)');
    expect(
      describeMatch(
        column({ column: 'P', field: 'phone_1', method: 'mapping_file', options: { secondPhoneTo: 'phone_2', placeholders: ['TBD'] } }),
      ),
    ).toBe('P → phone_1 (mapping file; a second number to phone_2; blank: "TBD")');
    expect(
      describeMatch(column({ column: 'D', field: 'date_of_birth', method: 'mapping_file', options: { twoDigitYears: '1900s' } })),
    ).toBe('D → date_of_birth (mapping file; 2-digit years in the 1900s)');
  });

  it('points deprecated fields to their replacement', () => {
    const [movein] = autoMap(['Desired Move-in Date']).columns;
    expect(describeMatch(movein)).toBe('Desired Move-in Date → desired_move_in_date (normalized; deprecated: prefer target_move_in_date)');
  });

  it('says when a column is never sent', () => {
    expect(describeMatch(column({ column: 'Internal notes' }))).toBe('Internal notes: not mapped, never sent');
    expect(describeMatch(column({ column: 'import_errors', method: 'report_column' }))).toBe(
      'import_errors: Lead Importer report column, never sent',
    );
  });
});

describe('unmappedColumns', () => {
  it('lists the columns never sent, leaving out our report columns', () => {
    const mapping = autoMap(['import_row', 'Lead ID', 'Internal Notes', 'Email', 'E-mail', 'import_errors']);
    expect(unmappedColumns(mapping)).toEqual(['Internal Notes', 'E-mail']);
  });
});
