// What decoding a row produces. These shapes cross the IPC bridge to the UI, so they are
// io-ts codecs and their types come from them.
import * as t from 'io-ts';
import { leadFieldNames } from '../propexo/schema.ts';
import type { LeadFieldName } from './fields.ts';
import { LeadUpdate } from './lead-update.ts';

export const LeadFieldNameCodec = t.keyof(
  Object.fromEntries(leadFieldNames.map((name) => [name, null])) as Record<LeadFieldName, null>,
  'LeadFieldName',
);

/** One problem with a row: the column and field it is about (null for the whole row), the cell as written, why. */
export const RowIssue = t.readonly(
  t.type({
    column: t.union([t.string, t.null]),
    field: t.union([LeadFieldNameCodec, t.null]),
    value: t.string,
    message: t.string,
  }),
  'RowIssue',
);
export type RowIssue = t.TypeOf<typeof RowIssue>;

export const RowStatus = t.keyof({ valid: null, invalid: null, skipped: null }, 'RowStatus');
export type RowStatus = t.TypeOf<typeof RowStatus>;

/**
 * A decoded row. `valid`: send `payload` to lead `leadId`. `invalid`: `errors` says why not
 * (the payload holds whatever cells did decode). `skipped`: nothing to change. Warnings
 * never block a row.
 */
export const DecodedRow = t.readonly(
  t.type({
    rowNumber: t.number,
    leadId: t.union([t.string, t.null]),
    payload: LeadUpdate,
    status: RowStatus,
    errors: t.readonlyArray(RowIssue),
    warnings: t.readonlyArray(RowIssue),
  }),
  'DecodedRow',
);
export type DecodedRow = t.TypeOf<typeof DecodedRow>;

/** A request ready to send: the lead id for the path and the body. */
export const LeadUpdateRequest = t.readonly(t.type({ leadId: t.string, payload: LeadUpdate }), 'LeadUpdateRequest');
export type LeadUpdateRequest = t.TypeOf<typeof LeadUpdateRequest>;

/** One frozen empty list shared by every row without errors or warnings. */
export const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);
