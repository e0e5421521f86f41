// io-ts codecs for every Propexo response body this app reads. Decoding strips fields we do not
// use (t.exact): write logs carry each job's `parameters`, i.e. lead data we have no reason to
// hold on to.
import * as t from 'io-ts';

/** A string with something in it: a job ID of "" cannot be followed. */
export const NonEmptyString = new t.Type<string, string, unknown>(
  'NonEmptyString',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u) : t.failure(u, c, 'expected a non-empty string')),
  t.identity,
);

// `PUT /v1/leads/{id}` answers 200 in one of two documented shapes.
/** The OpenAPI document's shape: `{ "job_id": "…", "data": {} }`. */
const UpdateAnswerTopLevel = t.type({ job_id: NonEmptyString });
/** The prose documentation's shape: `{ "meta": { "job_id": "…" }, "result": {} }`. */
const UpdateAnswerInMeta = t.type({ meta: t.type({ job_id: NonEmptyString }) });

export const LeadUpdateAccepted = t.exact(t.type({ job_id: t.string }), 'LeadUpdateAccepted');
export type LeadUpdateAccepted = t.TypeOf<typeof LeadUpdateAccepted>;

/** Either documented shape → `{ job_id }`. */
export const LeadUpdateAnswer = new t.Type<LeadUpdateAccepted, LeadUpdateAccepted, unknown>(
  'LeadUpdateAnswer',
  LeadUpdateAccepted.is,
  (u, c) => {
    const top = UpdateAnswerTopLevel.validate(u, c);
    if (top._tag === 'Right') return t.success({ job_id: top.right.job_id });
    const meta = UpdateAnswerInMeta.validate(u, c);
    if (meta._tag === 'Right') return t.success({ job_id: meta.right.meta.job_id });
    return t.failure(u, c, 'expected a job ID as "job_id" or "meta.job_id"');
  },
  t.identity,
);

export const WriteStatusValue = t.keyof({ SUCCESS: null, PARTIAL_SUCCESS: null, FAILURE: null, PENDING: null }, 'WriteStatusValue');
export type WriteStatusValue = t.TypeOf<typeof WriteStatusValue>;

/** `GET /v1/admin/write-status/{root_job_id}`. `errors`/`created_record_id` may be absent: read as none. */
const WriteStatusBody = t.intersection([
  t.exact(t.type({ write_status: WriteStatusValue })),
  t.exact(t.partial({ errors: t.union([t.array(t.string), t.null]), created_record_id: t.union([t.string, t.null]) })),
]);

export const WriteStatus = t.exact(
  t.type({ write_status: WriteStatusValue, errors: t.array(t.string), created_record_id: t.union([t.string, t.null]) }),
  'WriteStatus',
);
export type WriteStatus = t.TypeOf<typeof WriteStatus>;

export const WriteStatusAnswer = new t.Type<WriteStatus, WriteStatus, unknown>(
  'WriteStatusAnswer',
  WriteStatus.is,
  (u, c) => {
    const body = WriteStatusBody.validate(u, c);
    if (body._tag === 'Left') return body;
    const { write_status, errors, created_record_id } = body.right;
    return t.success({ write_status, errors: errors ?? [], created_record_id: created_record_id ?? null });
  },
  t.identity,
);

/** `POST /v1/admin/retry-write/{root_job_id}`: a new job to follow when queued. */
export const RetryWriteAnswer = t.union(
  [
    t.exact(t.type({ success: t.literal(true), job_id: NonEmptyString })),
    t.exact(t.intersection([t.type({ success: t.literal(false) }), t.partial({ job_id: t.string })])),
  ],
  'RetryWriteAnswer',
);
export type RetryWriteAnswer = t.TypeOf<typeof RetryWriteAnswer>;

export const WriteLogStatus = t.keyof({ SUCCESS: null, FAILURE: null }, 'WriteLogStatus');
export type WriteLogStatus = t.TypeOf<typeof WriteLogStatus>;

export const WriteLogEntry = t.exact(
  t.type({
    job_id: t.string,
    status: WriteLogStatus,
    error: t.union([t.string, t.null]),
    created_at: t.union([t.string, t.null]),
  }),
  'WriteLogEntry',
);
export type WriteLogEntry = t.TypeOf<typeof WriteLogEntry>;

const WriteLogEntryBody = t.intersection([
  t.type({ job_id: NonEmptyString, status: WriteLogStatus }),
  t.partial({ error: t.union([t.string, t.null]), created_at: t.union([t.string, t.null]) }),
]);

export const WriteLogs = t.exact(t.type({ logs: t.array(WriteLogEntry), unreadable: t.number }), 'WriteLogs');
/** `unreadable`: entries without a job ID or with a status other than SUCCESS/FAILURE (skipped). */
export type WriteLogs = t.TypeOf<typeof WriteLogs>;

/**
 * `GET /v1/admin/logs/writes/`, read leniently: the envelope must be right, but one odd entry
 * does not discard the other 99; it is skipped and counted.
 */
export const WriteLogsAnswer = new t.Type<WriteLogs, WriteLogs, unknown>(
  'WriteLogsAnswer',
  WriteLogs.is,
  (u, c) => {
    const envelope = t.type({ results: t.type({ logs: t.array(t.unknown) }) }).validate(u, c);
    if (envelope._tag === 'Left') return envelope;
    const logs: WriteLogEntry[] = [];
    let unreadable = 0;
    for (const raw of envelope.right.results.logs) {
      const entry = WriteLogEntryBody.decode(raw);
      if (entry._tag === 'Left') unreadable++;
      else
        logs.push({
          job_id: entry.right.job_id,
          status: entry.right.status,
          error: entry.right.error ?? null,
          created_at: entry.right.created_at ?? null,
        });
    }
    return t.success({ logs, unreadable });
  },
  t.identity,
);

// Error bodies: `{ "error": { "code", "message", "details": { "issues" | "details": { "issues" } } } }`
// (errorResponse), read leniently since only 400 is documented.

export const ZodIssue = t.partial({
  code: t.string,
  message: t.string,
  path: t.array(t.union([t.string, t.number])),
  keys: t.array(t.string),
});

const IssuesHolder = t.type({ issues: t.array(t.unknown) });

export const ErrorBody = t.type({
  error: t.union([t.string, t.partial({ code: t.string, message: t.string, details: t.unknown })]),
});

/** Some gateways answer `{ "message": "…" }` instead. */
export const MessageBody = t.type({ message: t.string });

/** Issues found at `details.issues` or `details.details.issues`, undecoded. */
export function findIssues(details: unknown): readonly unknown[] {
  if (IssuesHolder.is(details)) return details.issues;
  if (t.type({ details: IssuesHolder }).is(details)) return details.details.issues;
  return [];
}
