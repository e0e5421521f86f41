import { describe, expect, it } from 'vitest';
import type { LeadFieldName } from '../../../app/lead/fields.ts';
import { compileRowPlan } from '../../../app/lead/row-plan.ts';
import type { Mapping } from '../../../app/mapping/types.ts';

function mappingOf(columns: readonly (readonly [string, LeadFieldName | null])[]): { header: string[]; mapping: Mapping } {
  return {
    header: columns.map(([column]) => column),
    mapping: { columns: columns.map(([column, field], index) => ({ index, column, field, method: 'exact', options: {} })) },
  };
}

describe('compileRowPlan', () => {
  it('finds the lead id column and plans the other mapped columns in header order', () => {
    const { header, mapping } = mappingOf([
      ['Notes', 'notes'],
      ['Skip me', null],
      ['ID', 'lead_id'],
      ['Status', 'status'],
    ]);
    const plan = compileRowPlan(header, mapping);
    expect(plan.leadIdIndex).toBe(2);
    expect(plan.leadIdColumn).toBe('ID');
    expect(plan.steps.map((s) => [s.index, s.column, s.field, s.target, s.role])).toEqual([
      [0, 'Notes', 'notes', 'notes', 'send'],
      [3, 'Status', 'status', 'status', 'send'],
    ]);
    expect(plan.steps.every((s) => s.codec !== null)).toBe(true);
  });

  it('has no lead id column when none is mapped', () => {
    const { header, mapping } = mappingOf([['Status', 'status']]);
    expect(compileRowPlan(header, mapping).leadIdIndex).toBe(-1);
  });

  it('plans a deprecated field as its replacement and points at the replacement column', () => {
    const { header, mapping } = mappingOf([
      ['ID', 'lead_id'],
      ['Beds', 'desired_num_bedrooms'],
      ['Old beds', 'desired_bedrooms'],
      ['Old baths', 'desired_bathrooms'],
    ]);
    const [beds, oldBeds, oldBaths] = compileRowPlan(header, mapping).steps;
    expect(beds.role).toBe('send');
    expect(oldBeds).toMatchObject({ role: 'deprecated', field: 'desired_bedrooms', target: 'desired_num_bedrooms', replacementIndex: 1 });
    expect(oldBaths).toMatchObject({
      role: 'deprecated',
      field: 'desired_bathrooms',
      target: 'desired_num_bathrooms',
      replacementIndex: -1,
    });
    // Decoded with the replacement's kind: desired_bathrooms is a string in the schema, its replacement a number.
    expect(oldBaths.codec?.parse('1,5')).toBe(1.5);
  });

  it('ignores events, with a notice', () => {
    const { header, mapping } = mappingOf([
      ['ID', 'lead_id'],
      ['Events', 'events'],
    ]);
    const [events] = compileRowPlan(header, mapping).steps;
    expect(events.role).toBe('ignored');
    expect(events.codec).toBeNull();
    expect(events.notice).toMatch(/^events is deprecated and cannot be written from a spreadsheet/);
  });

  it('ignores a second column for a field already read (mappings should not allow it)', () => {
    const { header, mapping } = mappingOf([
      ['ID', 'lead_id'],
      ['Other ID', 'lead_id'],
      ['Status', 'status'],
      ['Status again', 'status'],
    ]);
    const plan = compileRowPlan(header, mapping);
    expect(plan.leadIdIndex).toBe(0);
    expect(plan.steps.map((s) => [s.column, s.role])).toEqual([
      ['Other ID', 'ignored'],
      ['Status', 'send'],
      ['Status again', 'ignored'],
    ]);
    expect(plan.steps[2].notice).toBe("status is already read from column 'Status'; this cell is not sent");
  });

  it("uses the column's options to choose the codec", () => {
    const mapping: Mapping = {
      columns: [
        { index: 0, column: 'Rent (cents)', field: 'desired_max_rent_in_cents', method: 'exact', options: { money: 'cents' } },
        { index: 1, column: 'Move-in', field: 'target_move_in_date', method: 'exact', options: { dateOrder: 'DMY' } },
        { index: 2, column: 'Units', field: 'desired_unit_ids', method: 'exact', options: { listSeparator: '/' } },
      ],
    };
    const [rent, moveIn, units] = compileRowPlan(['Rent (cents)', 'Move-in', 'Units'], mapping).steps;
    expect(rent.codec?.parse('125050')).toBe(125050);
    expect(moveIn.codec?.parse('7/3/2025')).toBe('2025-03-07');
    expect(units.codec?.parse('a / b')).toEqual(['a', 'b']);
  });
});
