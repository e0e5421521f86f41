import { describe, expect, it } from 'vitest';
import type { RowIssue } from '../../../app/lead/decoded-row.ts';
import { NOTHING_TO_CHANGE } from '../../../app/lead/row-decoder.ts';
import { formatIssue, notSentIssues } from '../../../app/validate/validation-tally.ts';

const error: RowIssue = {
  column: 'Status',
  field: 'status',
  value: 'Actve',
  message: "'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED",
};
const warning: RowIssue = { column: 'Phone', field: 'phone_1', value: '555', message: 'looks short' };
const nothing: RowIssue = { column: null, field: null, value: '', message: NOTHING_TO_CHANGE };

describe('notSentIssues: why a checked row is not sent', () => {
  it("gives an invalid row's errors, not its warnings", () => {
    expect(notSentIssues({ status: 'invalid', errors: [error], warnings: [warning] })).toEqual([error]);
  });

  it("gives a skipped row's warnings, nothing to change among them", () => {
    expect(notSentIssues({ status: 'skipped', errors: [], warnings: [warning, nothing] })).toEqual([warning, nothing]);
  });

  it('gives nothing for a valid row, even one with warnings', () => {
    expect(notSentIssues({ status: 'valid', errors: [], warnings: [warning] })).toEqual([]);
  });

  it('reads as column: message, or the message alone for the row', () => {
    expect(notSentIssues({ status: 'skipped', errors: [], warnings: [warning, nothing] }).map(formatIssue)).toEqual([
      'Phone: looks short',
      NOTHING_TO_CHANGE,
    ]);
  });
});
