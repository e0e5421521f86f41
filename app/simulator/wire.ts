// The bodies the simulator sends, as io-ts codecs: the handlers build values of these types,
// and tests (or clients) can decode what comes back over HTTP with the same codecs.
import * as t from 'io-ts';

/** One problem with a request, in the shape zod gives it (Propexo validates with zod). */
export const ZodIssue = t.intersection([
  t.type({
    code: t.string,
    path: t.array(t.union([t.string, t.number])),
    message: t.string,
  }),
  t.partial({
    keys: t.array(t.string),
    expected: t.string,
    received: t.string,
    options: t.array(t.unknown),
    minimum: t.number,
    maximum: t.number,
    type: t.string,
    inclusive: t.boolean,
    exact: t.boolean,
    validation: t.string,
  }),
]);
export type ZodIssue = t.TypeOf<typeof ZodIssue>;

/** `errorResponse`: `details` holds `{ issues, name: 'ZodError' }` for validation errors. */
export const ErrorResponse = t.type({
  error: t.intersection([t.type({ code: t.string, message: t.string }), t.partial({ details: t.UnknownRecord })]),
});
export type ErrorResponse = t.TypeOf<typeof ErrorResponse>;

export const ValidationDetails = t.type({ issues: t.array(ZodIssue), name: t.literal('ZodError') });
export type ValidationDetails = t.TypeOf<typeof ValidationDetails>;

/** `_v1_leads_{id}_put_output`, as the OpenAPI document gives it. */
export const LeadUpdateOpenApiOutput = t.type({ job_id: t.string, data: t.UnknownRecord });
/** The same answer as the prose documentation shows it. */
export const LeadUpdateMetaOutput = t.type({ meta: t.type({ job_id: t.string }), result: t.UnknownRecord });
export const LeadUpdateOutput = t.union([LeadUpdateOpenApiOutput, LeadUpdateMetaOutput]);
export type LeadUpdateOutput = t.TypeOf<typeof LeadUpdateOutput>;

export const WriteStatus = t.keyof({ SUCCESS: null, PARTIAL_SUCCESS: null, FAILURE: null, PENDING: null });
export type WriteStatus = t.TypeOf<typeof WriteStatus>;

export const WriteStatusOutput = t.type({
  write_status: WriteStatus,
  errors: t.array(t.string),
  created_record_id: t.union([t.string, t.null]),
});
export type WriteStatusOutput = t.TypeOf<typeof WriteStatusOutput>;

export const RetryWriteOutput = t.type({ success: t.boolean, job_id: t.string });
export type RetryWriteOutput = t.TypeOf<typeof RetryWriteOutput>;

export const WriteLog = t.type({
  id: t.string,
  created_at: t.string,
  job_id: t.string,
  job_log_id: t.string,
  status: t.keyof({ SUCCESS: null, FAILURE: null }),
  integration_id: t.string,
  job_type: t.string,
  parameters: t.unknown,
  error: t.union([t.string, t.null]),
  name: t.string,
  vendor: t.string,
});
export type WriteLog = t.TypeOf<typeof WriteLog>;

export const WriteLogsOutput = t.type({ results: t.type({ logs: t.array(WriteLog) }) });
export type WriteLogsOutput = t.TypeOf<typeof WriteLogsOutput>;
