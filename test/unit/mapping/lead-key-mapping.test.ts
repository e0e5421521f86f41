// The lead column's `match` (what the file names the lead by) and the lookup scope, from
// headers, from values, and through the mapping file.
import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { autoMap } from '../../../app/mapping/auto-map.ts';
import { applyMappingFile, formatMappingFile, parseMappingFile } from '../../../app/mapping/mapping-file.ts';

const leadColumn = (header: readonly string[], sample: readonly (readonly string[])[] = []) =>
  autoMap(header, sample).columns.find((c) => c.field === 'lead_id');

describe('matching by the PMS id', () => {
  it('maps PMS id headers to the lead column, matched by x_id, never as Propexo ids', () => {
    for (const header of ['Guest Card ID', 'Prospect ID', 'Yardi ID', 'PMS ID', 'Record ID', 'guestcard_id', 'PROSPECT-ID']) {
      expect(leadColumn([header, 'Email']), header).toMatchObject({
        column: header,
        field: 'lead_id',
        method: 'synonym',
        options: { match: 'x_id' },
      });
    }
    expect(leadColumn(['Lead ID'])?.options.match).toBeUndefined();
    expect(leadColumn(['Propexo ID'])?.options.match).toBeUndefined();
  });

  it('keeps lead_id for a column whose values look like Propexo ids, whatever its header', () => {
    expect(leadColumn(['Record ID'], [['sim_lead_000012'], ['sim_lead_000013']])?.options.match).toBeUndefined();
    expect(leadColumn(['Record ID'], [['GC100012'], ['sim_lead_000013']])?.options.match).toBe('x_id');
  });
});

describe('mapping file: match and scope', () => {
  const text = `{
  "version": 1,
  "integration": "int_sim_0001",
  "property": "prop_01_002",
  "columns": {
    "Phone": { "field": "lead_id", "match": "phone_1" },
    "Source": { "field": "lead_source_id" }
  }
}
`;

  it('reads, applies and writes back the lead column’s match and the scope', () => {
    const parsed = parseMappingFile(text, 'm.json');
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('\n'));
    expect(parsed.right).toMatchObject({ integration: 'int_sim_0001', property: 'prop_01_002' });
    const { mapping, problems } = applyMappingFile(['Phone', 'Source'], parsed.right);
    expect(problems).toEqual([]);
    expect(mapping.columns[0]).toMatchObject({ field: 'lead_id', options: { match: 'phone_1' } });
    expect(formatMappingFile(parsed.right)).toBe(text);
  });

  it('says what is wrong with a match or a scope, naming the file and the entry', () => {
    const bad = parseMappingFile(
      '{ "version": 1, "integration": "", "columns": { "Email": { "field": "lead_id", "match": "email" }, "Beds": { "field": "desired_num_bedrooms", "match": "x_id" } } }',
      'm.json',
    );
    expect(E.isLeft(bad) && [...bad.left].sort()).toEqual([
      'm.json: columns."Email".match: \'email\' is not one of lead_id, x_id, email_1, phone_1',
      'm.json: integration: expected a Propexo id such as "int_123", got \'\'',
    ]);
    const misfit = parseMappingFile(
      '{ "version": 1, "columns": { "Beds": { "field": "desired_num_bedrooms", "match": "x_id" } } }',
      'm.json',
    );
    if (E.isLeft(misfit)) throw new Error(misfit.left.join('\n'));
    expect(applyMappingFile(['Beds'], misfit.right).problems).toEqual([expect.stringMatching(/^column "Beds": .*match.*lead_id/)]);
  });
});

describe('decoding a row whose lead column is a key to look up', () => {
  it('takes a phone with spaces and brackets as the key, where a Propexo id with a space is refused', async () => {
    const { compileRowPlan } = await import('../../../app/lead/row-plan.ts');
    const { decodeCells } = await import('../../../app/lead/row-decoder.ts');
    const header = ['Phone', 'Status'];
    const byPhone = compileRowPlan(header, {
      columns: [
        { index: 0, column: 'Phone', field: 'lead_id', method: 'mapping_file', options: { match: 'phone_1' } },
        { index: 1, column: 'Status', field: 'status', method: 'exact', options: {} },
      ],
    });
    expect(byPhone.leadKey).toBe('phone_1');
    const row = decodeCells(byPhone, 2, [' (512) 555-0134 ', 'ACTIVE']);
    expect(row).toMatchObject({ leadId: '(512) 555-0134', errors: [] });
    const byId = compileRowPlan(header, {
      columns: [
        { index: 0, column: 'Phone', field: 'lead_id', method: 'mapping_file', options: {} },
        { index: 1, column: 'Status', field: 'status', method: 'exact', options: {} },
      ],
    });
    expect(decodeCells(byId, 2, ['(512) 555-0134', 'ACTIVE']).errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/contains a space/) }),
    ]);
  });
});
