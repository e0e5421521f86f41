import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldSpecs, type LeadFieldName } from '../../../app/lead/fields.ts';
import { autoMap, repeatedMatches, bestFieldMatch, MIN_TYPO_LENGTH } from '../../../app/mapping/auto-map.ts';
import { fieldSynonyms } from '../../../app/mapping/synonyms.ts';
import type { ColumnMapping } from '../../../app/mapping/types.ts';

const mapOne = (header: string): ColumnMapping => autoMap([header]).columns[0];
const fieldsOf = (header: readonly string[]) => autoMap(header).columns.map((c) => c.field);
const mappable = fieldSpecs.filter((spec) => spec.type.kind !== 'unsupported');
const titleCase = (name: string) =>
  name
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');

describe('autoMap: exact field names', () => {
  it('maps every field name to its field', () => {
    for (const spec of mappable) {
      expect(mapOne(spec.name), spec.name).toMatchObject({ field: spec.name, method: 'exact' });
    }
  });

  it('ignores spaces around the name', () => {
    expect(mapOne('  email_1 ')).toMatchObject({ field: 'email_1', method: 'exact' });
  });

  it('leaves events alone: a spreadsheet cell cannot hold it', () => {
    expect(fieldSpecs.some((spec) => spec.name === 'events')).toBe(true);
    expect(mapOne('events')).toMatchObject({ field: null, method: 'unmapped' });
    expect(mapOne('Events')).toMatchObject({ field: null, method: 'unmapped' });
  });
});

describe('autoMap: normalized names', () => {
  it.each([
    ['Email 1', 'email_1'],
    ['EMAIL-1', 'email_1'],
    ['Target Move In Date', 'target_move_in_date'],
    ['Target Move-in Date', 'target_move_in_date'],
    ['FIRST_NAME', 'first_name'],
    ['Lead ID', 'lead_id'],
    ['Unit ID', 'unit_id'],
    ['Floorplan ID', 'floor_plan_id'],
    ['Employee ID', 'employee_id'],
    ['Credit Score', 'credit_score'],
    ['Applicant Status', 'applicant_status'],
    ['Has Cats', 'has_cats'],
    ['Lead Source', 'lead_source'],
    ['Status', 'status'],
    ['City', 'city'],
    ['State', 'state'],
    ['Zip', 'zip'],
    ['Country', 'country'],
    ['Notes', 'notes'],
    ['Date of Birth', 'date_of_birth'],
    ['Middle Initial', 'middle_initial'],
    ['Phone 1 Type', 'phone_1_type'],
    ['Phone 2', 'phone_2'],
    ['Inactive Reason', 'inactive_reason'],
    ['Monthly Income in Cents', 'monthly_income_in_cents'],
    ['Target Move-in Date (DD/MM/YYYY)', 'target_move_in_date'],
  ])('%j → %s', (header, field) => {
    expect(mapOne(header)).toMatchObject({ field, method: 'normalized' });
  });

  it('maps every field name written in title case', () => {
    for (const spec of mappable) {
      expect(mapOne(titleCase(spec.name)), titleCase(spec.name)).toMatchObject({ field: spec.name, method: 'normalized' });
    }
  });

  it('maps deprecated fields by their own name, never by synonym or typo', () => {
    expect(mapOne('desired_move_in_date')).toMatchObject({ field: 'desired_move_in_date', method: 'exact' });
    expect(mapOne('Desired Move-in Date')).toMatchObject({ field: 'desired_move_in_date', method: 'normalized' });
    expect(mapOne('Desired Bedrooms')).toMatchObject({ field: 'desired_bedrooms', method: 'normalized' });
    // One edit from desired_bedrooms, three from desired_num_bedrooms: no typo reaches a deprecated field.
    expect(mapOne('Desired Bedroom')).toMatchObject({ field: null, method: 'unmapped' });
    const deprecated = new Set(fieldSpecs.filter((spec) => spec.deprecated).map((spec) => spec.name));
    for (const synonyms of Object.values(fieldSynonyms)) {
      for (const synonym of synonyms ?? []) expect(deprecated.has(mapOne(synonym).field as LeadFieldName), synonym).toBe(false);
    }
  });
});

describe('autoMap: synonyms', () => {
  it.each([
    ['Email', 'email_1'],
    ['E-mail', 'email_1'],
    ['E-mail Address', 'email_1'],
    ['Email Address', 'email_1'],
    ['Primary Email', 'email_1'],
    ['Phone', 'phone_1'],
    ['Mobile', 'phone_1'],
    ['Cell', 'phone_1'],
    ['Cell Phone', 'phone_1'],
    ['Mobile Phone', 'phone_1'],
    ['Primary Phone', 'phone_1'],
    ['Alt Phone', 'phone_2'],
    ['Home Phone', 'phone_2'],
    ['Work Phone', 'phone_2'],
    ['Secondary Phone', 'phone_2'],
    ['Phone Type', 'phone_1_type'],
    ['First', 'first_name'],
    ['Given Name', 'first_name'],
    ['Last', 'last_name'],
    ['Surname', 'last_name'],
    ['Family Name', 'last_name'],
    ['MI', 'middle_initial'],
    ['Move-in Date', 'target_move_in_date'],
    ['Move In', 'target_move_in_date'],
    ['Desired Move-in', 'target_move_in_date'],
    ['Beds', 'desired_num_bedrooms'],
    ['Bedrooms', 'desired_num_bedrooms'],
    ['# Beds', 'desired_num_bedrooms'],
    ['Baths', 'desired_num_bathrooms'],
    ['Bathrooms', 'desired_num_bathrooms'],
    ['Max Rent', 'desired_max_rent_in_cents'],
    ['Budget', 'desired_max_rent_in_cents'],
    ['Max Budget', 'desired_max_rent_in_cents'],
    ['Min Rent', 'desired_min_rent_in_cents'],
    ['Monthly Income', 'monthly_income_in_cents'],
    ['Income', 'monthly_income_in_cents'],
    ['Propexo ID', 'lead_id'],
    ['Propexo Lead ID', 'lead_id'],
    ['ID', 'lead_id'],
    ['id', 'lead_id'],
    ['Lead Status', 'status'],
    ['Lost Reason', 'inactive_reason'],
    ['DOB', 'date_of_birth'],
    ['Birth Date', 'date_of_birth'],
    ['Source', 'lead_source'],
    ['Occupants', 'number_of_occupants'],
    ['# Occupants', 'number_of_occupants'],
    ['Additional Occupants', 'number_of_additional_occupants'],
    ['Units', 'desired_unit_ids'],
    ['Desired Units', 'desired_unit_ids'],
    ['Unit IDs', 'desired_unit_ids'],
    ['Unit', 'unit_id'],
    ['Lease Term', 'desired_lease_term_in_months'],
    ['Lease Length', 'desired_lease_term_in_months'],
    ['Cats', 'has_cats'],
    ['Dogs', 'has_dogs'],
    ['Other Pets', 'has_other_pets'],
    ['Address', 'address_1'],
    ['Street', 'address_1'],
    ['Address Line 1', 'address_1'],
    ['Apt', 'address_2'],
    ['Suite', 'address_2'],
    ['Address Line 2', 'address_2'],
    ['Zip Code', 'zip'],
    ['Postal Code', 'zip'],
    ['Comments', 'notes'],
    ['Agent', 'employee_id'],
    ['Leasing Agent', 'employee_id'],
    ['Floor Plan', 'floor_plan_id'],
    ['Unit Type', 'desired_unit_type'],
    ['FICO', 'credit_score'],
  ])('%j → %s', (header, field) => {
    expect(mapOne(header)).toMatchObject({ field, method: 'synonym' });
  });
});

describe('autoMap: unit and format decorations', () => {
  it.each([
    ['Max Rent ($)', 'desired_max_rent_in_cents', { money: 'dollars' }],
    ['Max Rent (cents)', 'desired_max_rent_in_cents', { money: 'cents' }],
    ['Max Rent (¢)', 'desired_max_rent_in_cents', { money: 'cents' }],
    ['MaxRentCents', 'desired_max_rent_in_cents', { money: 'cents' }],
    ['Monthly Income (USD)', 'monthly_income_in_cents', { money: 'dollars' }],
    ['Income per month', 'monthly_income_in_cents', { money: 'dollars' }],
    ['Move-in Date (DD/MM/YYYY)', 'target_move_in_date', { dateOrder: 'DMY' }],
    ['Move-in Date (MM/DD/YYYY)', 'target_move_in_date', {}],
    ['DOB (D/M/Y)', 'date_of_birth', { dateOrder: 'DMY' }],
    ['Lease Term (months)', 'desired_lease_term_in_months', {}],
  ])('%j → %s %j', (header, field, options) => {
    expect(mapOne(header)).toEqual({ index: 0, column: header, field, method: 'synonym', options });
  });

  it('does not treat other asides as decorations', () => {
    expect(mapOne('Lead ID (old)')).toMatchObject({ field: null, method: 'unmapped' });
    expect(mapOne('Notes (internal)')).toMatchObject({ field: null, method: 'unmapped' });
  });
});

describe('autoMap: typos', () => {
  it.each([
    ['Stauts', 'status', 1],
    ['Emial', 'email_1', 1],
    ['Adress', 'address_1', 1],
    ['Phnoe', 'phone_1', 1],
    ['Frist Name', 'first_name', 1],
    ['Credit Scroe', 'credit_score', 1],
    ['Leasing Agnet', 'employee_id', 1],
    ['Desird Move-in', 'target_move_in_date', 1],
    ['Firts Nmae', 'first_name', 2],
  ])('%j → %s (distance %i)', (header, field, distance) => {
    expect(mapOne(header)).toMatchObject({ field, method: 'typo' });
    expect(bestFieldMatch(header)?.distance).toBe(distance);
  });

  it('allows two edits only past seven characters', () => {
    expect(mapOne('Stuats')).toMatchObject({ field: null, method: 'unmapped' }); // 6 characters, 2 edits from status
    expect(mapOne('Firts Nmae').field).toBe('first_name'); // 9 characters, 2 edits
  });

  it(`never guesses for headers shorter than ${MIN_TYPO_LENGTH} characters`, () => {
    // "Zap" is one edit from zip, "Iz" two from id, "Ctiy" one from city, "Lost" one from last.
    expect(fieldsOf(['Zap', 'Iz', 'Zp', 'Ctiy', 'Sate', 'Lost', 'List', 'Past'])).toEqual(Array(8).fill(null));
  });

  it('never reads a different number as a typo', () => {
    expect(fieldsOf(['Phone 3', 'Email 2', 'Address 3', 'Notes 2'])).toEqual([null, null, null, null]);
  });

  it('leaves a header one edit from two fields unmapped', () => {
    // "Stats": state or status? "Unis": unit or units?
    expect(fieldsOf(['Stats', 'Unis'])).toEqual([null, null]);
  });

  it('leaves real words that happen to be one edit from a field alone', () => {
    expect(fieldsOf(['County', 'Employer', 'Employed', 'Stage', 'Estate'])).toEqual([null, null, null, null, null]);
  });

  it('leaves ordinary unrelated headers unmapped', () => {
    const unrelated = [
      'Name',
      'Full Name',
      'Property',
      'Property ID',
      'Lead Stage',
      'Created Date',
      'Tour Date',
      'Rent',
      'Lease Start',
      'Move Out Date',
      'Annual Income',
      'Billing Address',
      'Employer Phone',
      'Unit Number',
      'Age',
      'Gender',
      'Do Not Call',
    ];
    expect(fieldsOf(unrelated)).toEqual(unrelated.map(() => null));
  });
});

describe('autoMap: report columns', () => {
  it('recognises the columns our reports add, so a report can be imported again as it is', () => {
    const header = ['import_row', 'Lead ID', 'Email', 'import_stage', 'import_errors', 'import_outcome'];
    expect(autoMap(header).columns.map((c) => [c.field, c.method])).toEqual([
      [null, 'report_column'],
      ['lead_id', 'normalized'],
      ['email_1', 'synonym'],
      [null, 'report_column'],
      [null, 'report_column'],
      [null, 'report_column'],
    ]);
  });
});

describe('autoMap: conflicts', () => {
  it('gives a field to the first of two equally good columns', () => {
    expect(autoMap(['Email', 'E-mail Address']).columns).toEqual([
      { index: 0, column: 'Email', field: 'email_1', method: 'synonym', options: {} },
      { index: 1, column: 'E-mail Address', field: null, method: 'unmapped', options: {} },
    ]);
  });

  it('gives a field to the better match, wherever it stands', () => {
    expect(fieldsOf(['E-mail Address', 'email_1'])).toEqual([null, 'email_1']);
    expect(fieldsOf(['Email', 'Email 1'])).toEqual([null, 'email_1']);
    expect(fieldsOf(['Emial', 'Email'])).toEqual([null, 'email_1']);
    expect(fieldsOf(['Firts Nmae', 'Frist Name'])).toEqual([null, 'first_name']);
  });

  it('leaves the loser unmapped instead of pushing it onto its second choice', () => {
    // "Phone" loses phone_1 to "Phone 1"; it does not become phone_2.
    expect(fieldsOf(['Phone', 'Phone 1'])).toEqual([null, 'phone_1']);
  });

  it('maps a column to the one field its best evidence names', () => {
    // "Lead Source ID" is lead_source_id by name, not lead_source by its first words.
    expect(fieldsOf(['Lead Source ID', 'Lead Source'])).toEqual(['lead_source_id', 'lead_source']);
  });

  it('leaves a name written twice unmapped when it would fill a field, and says which columns', () => {
    expect(fieldsOf(['Email', 'Lead ID', 'email '])).toEqual([null, 'lead_id', null]);
    const [repeat] = repeatedMatches(['Email', 'Lead ID', 'email ']);
    expect(repeat.field).toBe('email_1');
    expect(repeat.indexes).toEqual([0, 2]);
    expect(repeat.message).toContain('column A ("Email") and column C ("email ")');
    expect(repeat.message).toContain('"column": "A"');
  });

  it('maps around repeated names no field wants, or that a better column takes anyway', () => {
    expect(fieldsOf(['Company Name', 'Lead ID', 'Company name', 'Create Date', 'Create Date'])).toEqual([
      null,
      'lead_id',
      null,
      null,
      null,
    ]);
    expect(repeatedMatches(['Company Name', 'Company name'])).toEqual([]);
    // "email_1" is the field's own name: the two "E-mail Address" synonyms would not win it.
    expect(fieldsOf(['email_1', 'E-mail Address', 'E-mail address'])).toEqual(['email_1', null, null]);
    expect(repeatedMatches(['email_1', 'E-mail Address', 'E-mail address'])).toEqual([]);
  });
});

describe('autoMap: options from the header', () => {
  it('reads money in dollars unless the header says cents', () => {
    expect(mapOne('Budget').options).toEqual({ money: 'dollars' });
    expect(mapOne('Min Rent').options).toEqual({ money: 'dollars' });
    expect(mapOne('desired_max_rent_in_cents').options).toEqual({ money: 'cents' });
    expect(mapOne('monthly_income_in_cents').options).toEqual({ money: 'cents' });
    expect(mapOne('Monthly Income in Cents').options).toEqual({ money: 'cents' });
  });

  it('gives no options to fields that take none', () => {
    for (const header of ['Email', 'Units', 'Status', 'Beds', 'Move-in Date']) expect(mapOne(header).options, header).toEqual({});
  });
});

describe('autoMap: a whole spreadsheet', () => {
  it('maps a typical property manager header', () => {
    const header = [
      'Propexo Lead ID',
      'First Name',
      'Last Name',
      'E-mail Address',
      'Cell Phone',
      'Home Phone',
      'Lead Status',
      'Lost Reason',
      'Move-in Date (DD/MM/YYYY)',
      'Beds',
      'Baths',
      'Max Rent ($)',
      'Monthly Income (USD)',
      'Pets',
      'Internal Notes',
      'Leasing Agent',
      'import_row',
      'import_errors',
    ];
    const mapping = autoMap(header);
    expect(mapping.columns.map((c) => c.field)).toEqual([
      'lead_id',
      'first_name',
      'last_name',
      'email_1',
      'phone_1',
      'phone_2',
      'status',
      'inactive_reason',
      'target_move_in_date',
      'desired_num_bedrooms',
      'desired_num_bathrooms',
      'desired_max_rent_in_cents',
      'monthly_income_in_cents',
      null,
      null,
      'employee_id',
      null,
      null,
    ]);
    expect(mapping.columns.map((c) => c.index)).toEqual(header.map((_, i) => i));
    expect(mapping.columns.map((c) => c.column)).toEqual(header);
    expect(mapping.columns[8].options).toEqual({ dateOrder: 'DMY' });
    expect(mapping.columns[11].options).toEqual({ money: 'dollars' });
  });

  it('maps an empty header to an empty mapping', () => {
    expect(autoMap([])).toEqual({ columns: [] });
  });
});

describe('autoMap: properties', () => {
  const knownWords = [...fieldSpecs.map((s) => s.name), ...Object.values(fieldSynonyms).flatMap((s) => s ?? []), 'import_row'];
  // Headers near real ones (field names, synonyms, with a character changed) as well as noise.
  const headerCell = fc.oneof(
    fc.string(),
    fc.constantFrom(...knownWords),
    fc.tuple(fc.constantFrom(...knownWords), fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([word, at, char]) => {
      const i = at % (word.length + 1);
      return word.slice(0, i) + char + word.slice(i + 1);
    }),
  );

  it('returns one entry per column in order and never maps a field twice', () => {
    fc.assert(
      fc.property(fc.uniqueArray(headerCell, { maxLength: 40 }), (header) => {
        const { columns } = autoMap(header);
        expect(columns.map((c) => [c.index, c.column])).toEqual(header.map((column, index) => [index, column]));
        const fields = columns.flatMap((c) => (c.field === null ? [] : [c.field]));
        expect(new Set(fields).size).toBe(fields.length);
        for (const c of columns) expect(c.field === null).toBe(c.method === 'unmapped' || c.method === 'report_column');
      }),
      { numRuns: 300 },
    );
  });
});

describe('autoMap: columns of real exports', () => {
  it.each([
    ['Mobile Phone Number', 'phone_1'],
    ['Cell Number', 'phone_1'],
    ['Office Phone', 'phone_2'],
    ['State/Region', 'state'],
    ['Country/Region', 'country'],
    ['Move In Preference', 'target_move_in_date'],
    ['Date Needed', 'target_move_in_date'],
    ['Primary Address Street', 'address_1'],
    ['Primary Address City', 'city'],
    ['Primary Address State', 'state'],
    ['Primary Address Postalcode', 'zip'],
    ['Primary Address Country', 'country'],
    ['Mailing Street', 'address_1'],
    ['Mailing City', 'city'],
    ['Mailing Zip', 'zip'],
    ['MailingPostalCode', 'zip'],
    ['MailingState', 'state'],
    ['Phone 1 - Value', 'phone_1'],
    ['Phone 2 - Value', 'phone_2'],
    ['E-mail 1 - Value', 'email_1'],
    ['Address 1 - Street', 'address_1'],
    ['Address 1 - Region', 'state'],
    ['Address 1 - Postal Code', 'zip'],
  ])('%j → %s', (header, field) => {
    expect(mapOne(header)).toMatchObject({ field, method: 'synonym' });
  });

  it("reads Google Contacts' phone types by their field names", () => {
    expect(fieldsOf(['Phone 1 - Type', 'Phone 2 - Type'])).toEqual(['phone_1_type', 'phone_2_type']);
  });

  it('reads neither "Department" as a typo of Apartment nor "Pets" as other pets', () => {
    expect(fieldsOf(['Department', 'Pets', 'Pet', 'Has Pets', 'Billing City', 'Billing Street'])).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('never turns a header of real words into another field by a typo, but still reads misspellings', () => {
    expect(fieldsOf(['Compartment', 'Lead Stage', 'Station', 'County'])).toEqual([null, null, null, null]);
    expect(fieldsOf(['Apartmnet', 'Lead Stauts'])).toEqual(['address_2', 'status']);
  });
});

describe('autoMap: whole-name columns', () => {
  it('splits a Name column whose values are "last, first"', () => {
    const mapping = autoMap(
      ['Lead ID', 'Name'],
      [
        ['l1', 'Martinez, Sofia'],
        ['l2', "O'Brien, Sean"],
        ['l3', ''],
      ],
    );
    expect(mapping.columns[1]).toEqual({
      index: 1,
      column: 'Name',
      field: 'first_name',
      method: 'synonym',
      options: { split: 'last, first' },
    });
  });

  it('splits a Full Name column whose values are "first last"', () => {
    expect(autoMap(['Full Name'], [['Sofia Martinez'], ['Ana de la Cruz']]).columns[0].options).toEqual({ split: 'first last' });
  });

  it('leaves it alone without values, with mixed values, or when another column gives a name', () => {
    expect(autoMap(['Name']).columns[0].field).toBeNull();
    expect(autoMap(['Name'], [['Sofia Martinez'], ['Martinez, Sofia'], ['Acme Corp.'], ['ACME']]).columns[0].field).toBeNull();
    expect(autoMap(['Name', 'First Name'], [['Sofia Martinez', 'Sofia']]).columns.map((c) => c.field)).toEqual([null, 'first_name']);
  });
});
