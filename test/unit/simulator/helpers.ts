// Shared by the simulator tests: small HTTP helpers, a manual clock, and validators built
// from Propexo's OpenAPI document so every answer is checked against the contract.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../../app/propexo/schema.ts';
import type { Simulator } from '../../../app/simulator/server.ts';

export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2025, 5, 1, 12, 0, 0)): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

export interface CallOptions {
  readonly token?: string;
  readonly query?: string;
}

const headersFor = (options: CallOptions, json: boolean): Record<string, string> => ({
  ...(json ? { 'content-type': 'application/json' } : {}),
  ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
});

export async function putLead(sim: Simulator, leadId: string, body: unknown, options: CallOptions = {}): Promise<Answer> {
  const response = await fetch(`${sim.url}/v1/leads/${encodeURIComponent(leadId)}${options.query ?? ''}`, {
    method: 'PUT',
    headers: headersFor(options, true),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return answerOf(response);
}

export async function putRaw(sim: Simulator, leadId: string, rawBody: string): Promise<Answer> {
  const response = await fetch(`${sim.url}/v1/leads/${encodeURIComponent(leadId)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: rawBody,
  });
  return answerOf(response);
}

export async function writeStatus(sim: Simulator, jobId: string, options: CallOptions = {}): Promise<Answer> {
  return answerOf(await fetch(`${sim.url}/v1/admin/write-status/${encodeURIComponent(jobId)}`, { headers: headersFor(options, false) }));
}

export async function retryWrite(sim: Simulator, jobId: string, options: CallOptions = {}): Promise<Answer> {
  return answerOf(
    await fetch(`${sim.url}/v1/admin/retry-write/${encodeURIComponent(jobId)}`, {
      method: 'POST',
      headers: headersFor(options, true),
      body: '{}',
    }),
  );
}

export async function writeLogs(sim: Simulator, query = '', options: CallOptions = {}): Promise<Answer> {
  return answerOf(await fetch(`${sim.url}/v1/admin/logs/writes/${query}`, { headers: headersFor(options, false) }));
}

export async function request(sim: Simulator, method: string, path: string): Promise<Answer> {
  return answerOf(await fetch(`${sim.url}${path}`, { method }));
}

/** The job id of a successful lead update, in either response shape. */
export function jobIdOf(answer: Answer): string {
  const body = answer.body as { job_id?: unknown; meta?: { job_id?: unknown } } | undefined;
  const id = body?.job_id ?? body?.meta?.job_id;
  if (typeof id !== 'string') throw new Error(`no job id in ${answer.status} ${answer.text}`);
  return id;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const schemas = openApiDocument.components.schemas;

/** Validators for the answers, straight from the OpenAPI document. */
export const contract = {
  leadUpdateOutput: ajv.compile(schemas['_v1_leads_{id}_put_output']),
  errorResponse: ajv.compile(schemas.errorResponse),
  writeStatusOutput: ajv.compile(schemas['_v1_admin_write-status_{root_job_id}_get_output']),
  retryWriteOutput: ajv.compile(schemas['_v1_admin_retry-write_{root_job_id}_post_output']),
  writeLogsOutput: ajv.compile(schemas['_v1_admin_logs_writes__get_output']),
};

export interface Issue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/** The zod issues of a 400 answer. */
export function issuesOf(answer: Answer): Issue[] {
  const body = answer.body as { error?: { details?: { issues?: Issue[] } } } | undefined;
  return body?.error?.details?.issues ?? [];
}

export const errorCodeOf = (answer: Answer): string | undefined => (answer.body as { error?: { code?: string } } | undefined)?.error?.code;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
