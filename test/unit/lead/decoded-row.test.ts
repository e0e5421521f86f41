import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { DecodedRow, LeadFieldNameCodec, LeadUpdateRequest, NO_ISSUES, RowIssue } from '../../../app/lead/decoded-row.ts';

const issue = { column: 'Status', field: 'status', value: 'Actve', message: "'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED" };

describe('decoded-row codecs (what crosses the IPC bridge)', () => {
  it('accept a decoded row, structurally cloned as IPC would', () => {
    const row = {
      rowNumber: 2,
      leadId: 'lead_1',
      payload: { status: 'COLD', desired_unit_ids: ['a'] },
      status: 'invalid',
      errors: [issue],
      warnings: NO_ISSUES,
    };
    expect(DecodedRow.decode(structuredClone(row))).toEqual(E.right({ ...row, warnings: [] }));
  });

  it('strip payload keys that are not sendable fields', () => {
    const row = {
      rowNumber: 2,
      leadId: null,
      payload: { status: 'COLD', lead_id: 'x', hack: 1 },
      status: 'skipped',
      errors: [],
      warnings: [],
    };
    const decoded = DecodedRow.decode(row);
    expect(E.isRight(decoded) && decoded.right.payload).toEqual({ status: 'COLD' });
  });

  it('refuse unknown statuses, field names and malformed issues', () => {
    expect(E.isLeft(DecodedRow.decode({ rowNumber: 2, leadId: null, payload: {}, status: 'sent', errors: [], warnings: [] }))).toBe(true);
    expect(E.isLeft(RowIssue.decode({ ...issue, field: 'favourite_colour' }))).toBe(true);
    expect(E.isLeft(RowIssue.decode({ ...issue, value: 3 }))).toBe(true);
    expect(E.isRight(RowIssue.decode({ column: null, field: null, value: '', message: 'has 9 cells, the header has 7' }))).toBe(true);
  });

  it('know every schema field name', () => {
    expect(LeadFieldNameCodec.is('desired_min_rent_in_cents')).toBe(true);
    expect(LeadFieldNameCodec.is('events')).toBe(true);
    expect(LeadFieldNameCodec.is('nope')).toBe(false);
  });

  it('describe a request to send', () => {
    expect(LeadUpdateRequest.is({ leadId: 'lead_1', payload: { status: 'COLD' } })).toBe(true);
    expect(LeadUpdateRequest.is({ leadId: 1, payload: {} })).toBe(false);
  });
});
