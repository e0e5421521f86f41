// Which employee and floor-plan lists an undo reads, and where: only those a field to undo
// needs (employee_id, floor_plan_id), in the lead's property when its integration's leads lie
// in one, else across the integration (one listing rather than one per property).
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../app/propexo/read-codecs.ts';
import { referenceScopesOf, rowsAsSent } from '../../../app/undo/undo-references.ts';
import type { LeadNow, UndoRow } from '../../../app/undo/undo-plan.ts';
import { blankLead } from '../preview/practice.ts';

const leadIn = (id: string, integrationId: string, propertyId: string): Lead => ({
  ...blankLead(),
  id,
  integration_id: integrationId,
  property_id: propertyId,
});

const row = (n: number, leadId: string, values: Record<string, string>): UndoRow => ({
  row: n,
  leadId,
  outcome: 'succeeded',
  before: { row: n, leadId, values, unreadable: {} },
  payload: {},
});

describe('the lists an undo reads', () => {
  it('reads only the lists its fields need, per property or per integration', () => {
    const leads = new Map<string, LeadNow>([
      ['l1', leadIn('l1', 'int_a', 'p1')],
      ['l2', leadIn('l2', 'int_a', 'p1')],
      ['l3', leadIn('l3', 'int_b', 'p2')],
      ['l4', leadIn('l4', 'int_b', 'p3')],
      ['gone', { unreadable: 'HTTP 404' }],
    ]);
    const rows = [
      row(2, 'l1', { employee_id: 'emp_1', first_name: 'Ann' }),
      row(3, 'l2', { employee_id: 'emp_2' }),
      row(4, 'l3', { employee_id: 'emp_3', floor_plan_id: 'fp_1' }),
      row(5, 'l4', { employee_id: 'emp_4' }),
      row(6, 'gone', { floor_plan_id: 'fp_9' }),
      row(7, 'l1', { first_name: 'Bob' }),
    ];
    expect(Object.fromEntries(referenceScopesOf(rows, leads))).toEqual({
      employees: [{ integrationId: 'int_a', propertyId: 'p1' }, { integrationId: 'int_b' }],
      'floor-plans': [{ integrationId: 'int_b', propertyId: 'p2' }],
    });
    expect(referenceScopesOf([row(2, 'l1', { first_name: 'Ann' })], leads).size).toBe(0);
  });

  it('takes the ids the run sent for names, from its kept lists, in the scope its check used', () => {
    const leads = new Map<string, LeadNow>([
      ['l1', leadIn('l1', 'int_a', 'p1')],
      ['l2', leadIn('l2', 'int_a', 'p2')],
    ]);
    const item = (id: string, names: string[], propertyId: string) => ({ id, names, propertyId });
    const cache = {
      version: 1 as const,
      leads: {},
      lists: [
        { endpoint: 'employees', scope: 'int_a/p1', items: [item('emp_p1_jane', ['Jane Doe'], 'p1')] },
        {
          endpoint: 'employees',
          scope: 'int_a/*',
          items: [item('emp_p1_jane', ['Jane Doe'], 'p1'), item('emp_p2_jane', ['Jane Doe'], 'p2')],
        },
        { endpoint: 'units', scope: 'int_a/p1', items: [item('unit_204', ['204'], 'p1'), item('unit_305', ['305'], 'p1')] },
      ],
    };
    const sentRow = (n: number, leadId: string, payload: Record<string, unknown>): UndoRow => ({ ...row(n, leadId, {}), payload });
    const rows = [
      sentRow(2, 'l1', { employee_id: 'Jane Doe', desired_unit_ids: ['204', '305'], first_name: 'Jane Doe' }),
      // Its property's list was not kept; across the integration the name is two people: left as written.
      sentRow(3, 'l2', { employee_id: 'Jane Doe' }),
    ];
    const sent = rowsAsSent(rows, leads, cache, { integrationId: 'int_a' });
    expect(sent.map((r) => r.payload)).toEqual([
      { employee_id: 'emp_p1_jane', desired_unit_ids: ['unit_204', 'unit_305'], first_name: 'Jane Doe' },
      { employee_id: 'Jane Doe' },
    ]);
    // A run that looked nothing up sent its cells as they are.
    expect(rowsAsSent(rows, leads, cache, undefined)).toEqual(rows);
  });
});
