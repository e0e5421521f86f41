// One function per endpoint: given the request and the state, decide the answer. Faults were
// drawn when the request arrived; the handlers only act on them, at the point where the
// real system would fail (before or after the update is applied).
import type { ServerErrorStatus, SimulatorOptions } from './options.ts';
import { LEAD_ID_PATTERN } from './options.ts';
import type { UpdateFault } from './faults.ts';
import type { JobStore } from './job-store.ts';
import { parseLogQuery } from './log-query.ts';
import type { ListEndpoint } from '../propexo/read-codecs.ts';
import type { LeadState } from './lead-state.ts';
import { listPage, parseListQuery } from './read-query.ts';
import type { RecordEntry, Recorder } from './record.ts';
import type { SeedWorld } from './seed-data.ts';
import { errorReply, json, serverErrorReply, validationReply, type Reply } from './replies.ts';
import { checkLeadUpdateBody, summarizeIssues } from './validation.ts';
import type { LeadUpdateOutput, RetryWriteOutput, WriteLogsOutput } from './wire.ts';

export type ParsedBody =
  { readonly kind: 'none' } | { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'invalid'; readonly reason: string };

export interface HandlerContext {
  readonly options: SimulatorOptions;
  readonly jobs: JobStore;
  readonly recorder: Recorder;
  /** This request's record entry, completed by the handler (applied, job id, fault). */
  readonly entry: RecordEntry;
  /** Milliseconds since the simulator started. */
  readonly sinceStart: () => number;
  /** The seeded data and each lead's current values (jobs finished so far already applied). */
  readonly world: SeedWorld;
  readonly leadState: LeadState;
}

/** Whether a lead id outside the seed exists: any id of a recognisable shape, or only `knownLeadIds`. */
export function existsOutsideSeed(options: SimulatorOptions, leadId: string): boolean {
  if (options.missingLeadIds.includes(leadId)) return false;
  return options.knownLeadIds === null ? LEAD_ID_PATTERN.test(leadId) : options.knownLeadIds.includes(leadId);
}

/** Seeded leads exist (unless listed in `missingLeadIds`); other ids as before the seed existed. */
export function leadExists(options: SimulatorOptions, world: SeedWorld, leadId: string): boolean {
  if (world.indexOfLeadId(leadId) !== undefined) return !options.missingLeadIds.includes(leadId);
  return existsOutsideSeed(options, leadId);
}

export function leadUpdateOutput(shape: SimulatorOptions['responseShape'], jobId: string): LeadUpdateOutput {
  return shape === 'meta' ? { meta: { job_id: jobId }, result: {} } : { job_id: jobId, data: {} };
}

export function handleUpdateLead(
  ctx: HandlerContext,
  leadId: string,
  search: URLSearchParams,
  body: ParsedBody,
  fault: UpdateFault,
): Reply {
  const { entry } = ctx;
  if (fault.kind === 'server-error') {
    entry.fault = 'server-error';
    return serverErrorReply(fault.status);
  }
  if (fault.kind === 'drop-before-apply') {
    entry.fault = 'drop-before-apply';
    return { kind: 'drop' };
  }
  if (body.kind === 'invalid') return errorReply(400, 'invalid_json', `Request body is not valid JSON: ${body.reason}`);
  if (body.kind === 'none') return errorReply(400, 'invalid_json', 'Request body is empty: send a JSON object with the fields to change');
  const ignoreUnknown = (search.get('ignore_unknown_fields') ?? '').toLowerCase() === 'true';
  const checked = checkLeadUpdateBody(body.value, ignoreUnknown);
  if (!checked.ok) return validationReply(`Invalid request body: ${summarizeIssues(checked.issues)}`, checked.issues);
  if (!leadExists(ctx.options, ctx.world, leadId)) return errorReply(404, 'not_found', `Lead '${leadId}' was not found`);

  const job = ctx.jobs.createForUpdate(leadId, checked.body, ctx.options);
  ctx.recorder.apply(leadId, {
    jobId: job.id,
    at: ctx.sinceStart(),
    body: checked.body,
    ignoredFields: checked.ignoredFields,
    seq: entry.seq,
  });
  entry.applied = true;
  entry.jobId = job.id;
  if (fault.kind === 'drop-after-apply') {
    entry.fault = 'drop-after-apply';
    return { kind: 'drop' };
  }
  // Applied under its own job, but answered with the id answered last (none yet: no fault).
  const earlier = ctx.jobs.lastAnsweredId;
  if (fault.kind === 'repeated-job-id' && earlier !== undefined) {
    entry.fault = 'repeated-job-id';
    entry.jobId = earlier;
    return json(200, leadUpdateOutput(ctx.options.responseShape, earlier));
  }
  ctx.jobs.answered(job.id);
  return json(200, leadUpdateOutput(ctx.options.responseShape, job.id));
}

export function handleWriteStatus(ctx: HandlerContext, jobId: string, fault: ServerErrorStatus | null): Reply {
  if (fault !== null) {
    ctx.entry.fault = 'server-error';
    return serverErrorReply(fault);
  }
  const status = ctx.jobs.writeStatus(jobId);
  if (!status) return errorReply(404, 'not_found', `No write job '${jobId}'`);
  return json(200, status);
}

export function handleRetryWrite(ctx: HandlerContext, jobId: string, fault: ServerErrorStatus | null): Reply {
  if (fault !== null) {
    ctx.entry.fault = 'server-error';
    return serverErrorReply(fault);
  }
  const result = ctx.jobs.retry(jobId, ctx.options);
  if (result.kind === 'not-found') return errorReply(404, 'not_found', `No write job '${jobId}'`);
  if (result.kind === 'not-failed') {
    return errorReply(400, 'invalid_request', `Only failed writes can be retried: job '${jobId}' is ${result.status}`);
  }
  const job = result.job;
  // The retried write is applied again, under the new job.
  ctx.recorder.apply(job.leadId, {
    jobId: job.id,
    at: ctx.sinceStart(),
    body: job.body,
    ignoredFields: [],
    seq: ctx.entry.seq,
    retryOf: jobId,
  });
  ctx.entry.applied = true;
  ctx.entry.leadId = job.leadId;
  const output: RetryWriteOutput = { success: true, job_id: job.id };
  return json(200, output);
}

export function handleWriteLogs(ctx: HandlerContext, search: URLSearchParams, fault: ServerErrorStatus | null): Reply {
  if (fault !== null) {
    ctx.entry.fault = 'server-error';
    return serverErrorReply(fault);
  }
  const parsed = parseLogQuery(search);
  if (!parsed.ok) return validationReply(`Invalid query: ${summarizeIssues(parsed.issues)}`, parsed.issues);
  const output: WriteLogsOutput = { results: { logs: ctx.jobs.logs(parsed.query, ctx.options) } };
  return json(200, output);
}

export function handleList(ctx: HandlerContext, endpoint: ListEndpoint, search: URLSearchParams, fault: ServerErrorStatus | null): Reply {
  if (fault !== null) {
    ctx.entry.fault = 'server-error';
    return serverErrorReply(fault);
  }
  const parsed = parseListQuery(endpoint, search);
  if (!parsed.ok) return validationReply(`Invalid query: ${summarizeIssues(parsed.issues)}`, parsed.issues);
  return json(200, listPage(endpoint, parsed.query, ctx.world, ctx.leadState));
}

export function handleGetLead(ctx: HandlerContext, leadId: string, fault: ServerErrorStatus | null): Reply {
  if (fault !== null) {
    ctx.entry.fault = 'server-error';
    return serverErrorReply(fault);
  }
  const lead = leadExists(ctx.options, ctx.world, leadId) ? ctx.leadState.current(leadId, true) : undefined;
  if (lead === undefined) return errorReply(404, 'not_found', `Lead '${leadId}' was not found`);
  return json(200, { meta: { offset: 0, limit: 1, orderBy: [], hasMore: false, total: 1 }, results: lead });
}

export function handleUnknown(method: string, path: string): Reply {
  return errorReply(404, 'not_found', `No route for ${method} ${path}`);
}
