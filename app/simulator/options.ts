// The simulator's settings: one io-ts codec is the source of the type, the defaults, and the
// checks applied to whatever arrives from tests, the CLI or `configure()` at run time.
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { openApiDocument } from '../propexo/schema.ts';

/** A number-valued codec whose name says, in words, what it accepts (it is the error text). */
const numberWhere = (expected: string, accept: (n: number) => boolean): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    expected,
    (u): u is number => typeof u === 'number' && Number.isFinite(u) && accept(u),
    (u, c) => (typeof u === 'number' && Number.isFinite(u) && accept(u) ? t.success(u) : t.failure(u, c)),
    (n) => n,
  );

const Rate = numberWhere('a rate between 0 and 1', (n) => n >= 0 && n <= 1);
const Millis = numberWhere('a number of milliseconds ≥ 0', (n) => n >= 0);
const PositiveMillis = numberWhere('a number of milliseconds > 0', (n) => n > 0);
const PositiveInt = numberWhere('a whole number ≥ 1', (n) => Number.isInteger(n) && n >= 1);
const Port = numberWhere('a port number between 0 and 65535', (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
const Seed = numberWhere('a whole number', (n) => Number.isInteger(n));
const Count = numberWhere('a whole number ≥ 0', (n) => Number.isInteger(n) && n >= 0);

/**
 * The seeded world the read endpoints answer from (seed-data.ts): integrations, their properties,
 * each property's lead sources, employees, units, floor plans, lead relationships and address
 * types, and `leads` leads. Generated lazily from `seed`, so a large `leads` costs little memory.
 */
export const SeedDataOptions = t.type(
  {
    seed: Seed,
    integrations: PositiveInt,
    propertiesPerIntegration: PositiveInt,
    leads: Count,
    /** The share of leads whose x_id, e-mail or phone repeats an earlier lead's (on purpose). */
    duplicateRate: Rate,
    /** Whether the `email_1` filter ignores case (the document does not say; default: exact). */
    emailFilterIgnoresCase: t.boolean,
  },
  'SeedDataOptions',
);
export type SeedDataOptions = t.TypeOf<typeof SeedDataOptions>;

/** The vendors the write-logs schema knows; the simulated integration is one of them. */
const vendorValues: readonly string[] =
  openApiDocument.components.schemas['_v1_admin_logs_writes__get_output'].properties.results.properties.logs.items.properties.vendor.enum;
const Vendor = new t.Type<string, string, unknown>(
  `one of ${vendorValues.join(', ')}`,
  (u): u is string => typeof u === 'string' && vendorValues.includes(u),
  (u, c) => (typeof u === 'string' && vendorValues.includes(u) ? t.success(u) : t.failure(u, c)),
  (s) => s,
);

export const WriteOutcome = t.keyof({ SUCCESS: null, PARTIAL_SUCCESS: null, FAILURE: null }, 'SUCCESS, PARTIAL_SUCCESS or FAILURE');
export type WriteOutcome = t.TypeOf<typeof WriteOutcome>;

export const ServerErrorStatus = t.union([t.literal(500), t.literal(502), t.literal(503), t.literal(504)], '500, 502, 503 or 504');
export type ServerErrorStatus = t.TypeOf<typeof ServerErrorStatus>;

export const ResponseShape = t.keyof({ openapi: null, meta: null }, "'openapi' or 'meta'");
export type ResponseShape = t.TypeOf<typeof ResponseShape>;

export const simulatorOptionProps = {
  /** 0 picks a free port. The server always binds 127.0.0.1. */
  port: Port,
  /** Seeds every random choice (faults, pending times, outcomes, ids). */
  seed: Seed,
  /** The bearer token to require; null accepts any request, with or without a token. */
  token: t.union([t.string, t.null]),

  /** Requests per window, counted over every endpoint (polls included). */
  rateLimit: PositiveInt,
  /** Length of the fixed window; it opens at the first request after the previous one closed. */
  windowMs: PositiveMillis,
  /** The share of the window's budget from which responses are slowed down. */
  slowdownFrom: Rate,
  /** Added to each response once the window's budget is `slowdownFrom` used. */
  slowdownMs: Millis,
  /** Whether 429 answers carry `Retry-After` (whole seconds, rounded up). */
  sendRetryAfter: t.boolean,

  /** 'openapi': `{ job_id, data }`; 'meta': `{ meta: { job_id }, result }` (the prose docs). */
  responseShape: ResponseShape,
  /** Lead ids that exist; null: every id of a recognisable shape exists (see LEAD_ID_PATTERN). */
  knownLeadIds: t.union([t.readonlyArray(t.string), t.null]),
  /** Ids that answer 404 even when `knownLeadIds` is null. */
  missingLeadIds: t.readonlyArray(t.string),

  /** How long a job stays PENDING: a fixed time or a [min, max] range drawn per job. */
  jobPendingMs: t.union([Millis, t.tuple([Millis, Millis])], 'milliseconds ≥ 0 or a [min, max] pair'),
  /** Outcome rates of a new job; FAILURE takes the rest. */
  successRate: Rate,
  partialRate: Rate,
  /** The share of FAILURE outcomes whose `errors` list is empty (the PMS said nothing). */
  failureWithoutErrorsRate: Rate,
  /** Success rate of jobs created by retry-write (the rest fail); null: same rates as new jobs. */
  retrySuccessRate: t.union([Rate, t.null]),
  /** Fixed outcomes for the first job of updates to these leads (retries follow the retry rules). */
  leadOutcomes: t.record(t.string, WriteOutcome),

  /** false: the write logs show a job id other than the update's root job id. */
  logsShowRootJobIds: t.boolean,
  /** The share of finished jobs that appear in the write logs at all. */
  logsCoverage: Rate,
  integrationId: t.string,
  vendor: Vendor,

  /** The seeded data of the read endpoints; lead ids outside it keep working as before (see README). */
  data: SeedDataOptions,
  /** Reads (lists and GET lead): the share answered with a 5xx. */
  readServerErrorRate: Rate,

  /** Lead updates: the share answered with a 5xx (not applied). */
  serverErrorRate: Rate,
  serverErrorStatuses: t.readonlyArray(ServerErrorStatus),
  /** Write status, retry-write and write logs: the share answered with a 5xx. */
  adminServerErrorRate: Rate,
  /** Lead updates: the share whose connection is cut before the update is applied. */
  dropBeforeApplyRate: Rate,
  /** Lead updates: the share applied (job created) whose connection is then cut unanswered. */
  dropAfterApplyRate: Rate,
  /**
   * Lead updates: the share applied (job created) but answered with the job id answered last
   * (the document promises no unique job ids; Prism's example repeats one).
   */
  repeatedJobIdRate: Rate,
  /** Added to every response. */
  latencyMs: Millis,
  /** Occasional slow responses: with probability `rate`, `ms` more. */
  latencySpikes: t.union([t.type({ rate: Rate, ms: Millis }), t.null]),
  /** A 429 storm: every request is refused for `durationMs` from the moment it is set. */
  storm: t.union([t.type({ durationMs: Millis }), t.null]),
};

export const SimulatorOptions = t.type(simulatorOptionProps, 'SimulatorOptions');
export type SimulatorOptions = t.TypeOf<typeof SimulatorOptions>;

/** Ids the simulator treats as existing leads when `knownLeadIds` is null. */
export const LEAD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const defaultOptions: SimulatorOptions = {
  port: 0,
  seed: 1,
  token: null,
  rateLimit: 150,
  windowMs: 60_000,
  slowdownFrom: 0.8,
  slowdownMs: 2_000,
  sendRetryAfter: true,
  responseShape: 'openapi',
  knownLeadIds: null,
  missingLeadIds: [],
  jobPendingMs: 3_000,
  successRate: 0.9,
  partialRate: 0.05,
  failureWithoutErrorsRate: 0.25,
  retrySuccessRate: null,
  leadOutcomes: {},
  logsShowRootJobIds: true,
  logsCoverage: 1,
  integrationId: 'int_sim_0001',
  vendor: 'ENTRATA',
  data: { seed: 1, integrations: 2, propertiesPerIntegration: 3, leads: 3_000, duplicateRate: 0.03, emailFilterIgnoresCase: false },
  readServerErrorRate: 0,
  serverErrorRate: 0,
  serverErrorStatuses: [500, 502, 503, 504],
  adminServerErrorRate: 0,
  dropBeforeApplyRate: 0,
  dropAfterApplyRate: 0,
  repeatedJobIdRate: 0,
  latencyMs: 0,
  latencySpikes: null,
  storm: null,
};

export class SimulatorOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid simulator options: ${problems.join('; ')}`);
    this.name = 'SimulatorOptionsError';
  }
}

const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** Checks a partial set of options (as they cross in from a test, the CLI or configure). */
export function checkOptionsPatch(patch: unknown): Partial<SimulatorOptions> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new SimulatorOptionsError([`expected an object of options, got ${describeValue(patch)}`]);
  }
  const problems: string[] = [];
  const known = new Set(Object.keys(simulatorOptionProps));
  for (const key of Object.keys(patch)) {
    if (!known.has(key)) problems.push(`unknown option '${key}'`);
  }
  const entries = Object.entries(patch).filter(([key, value]) => known.has(key) && value !== undefined);
  for (const [key, value] of entries) {
    const codec: t.Mixed = simulatorOptionProps[key as keyof SimulatorOptions];
    const result = codec.decode(value);
    if (E.isLeft(result)) {
      const deepest = result.left[0]?.context;
      const expected = deepest && deepest.length > 0 ? deepest[0].type.name : codec.name;
      problems.push(`option '${key}' must be ${expected}, got ${describeValue(value)}`);
    }
  }
  if (problems.length > 0) throw new SimulatorOptionsError(problems);
  return Object.fromEntries(entries) as Partial<SimulatorOptions>;
}

/** Checks the rules that span several options. */
function checkCombined(options: SimulatorOptions): void {
  const problems: string[] = [];
  if (options.successRate + options.partialRate > 1 + 1e-9) {
    problems.push(`successRate + partialRate must be at most 1, got ${options.successRate} + ${options.partialRate}`);
  }
  const faults = options.serverErrorRate + options.dropBeforeApplyRate + options.dropAfterApplyRate + options.repeatedJobIdRate;
  if (faults > 1 + 1e-9) {
    problems.push(`serverErrorRate + dropBeforeApplyRate + dropAfterApplyRate + repeatedJobIdRate must be at most 1, got ${faults}`);
  }
  if (Array.isArray(options.jobPendingMs) && options.jobPendingMs[0] > options.jobPendingMs[1]) {
    problems.push(`jobPendingMs range must be [min, max] with min ≤ max, got ${describeValue(options.jobPendingMs)}`);
  }
  if (options.serverErrorStatuses.length === 0) problems.push('serverErrorStatuses must name at least one status');
  if (problems.length > 0) throw new SimulatorOptionsError(problems);
}

/** The options that result from applying `patch` to `base`; throws SimulatorOptionsError. */
export function resolveOptions(base: SimulatorOptions, patch: unknown = {}): SimulatorOptions {
  const checked = checkOptionsPatch(patch);
  const resolved: SimulatorOptions = { ...base, ...checked };
  // `{ successRate: 1 }` alone means "all succeed": the inherited partial rate yields to it.
  // Only rates set together in one patch must add up by themselves.
  if (checked.successRate !== undefined && checked.partialRate === undefined && resolved.successRate + resolved.partialRate > 1) {
    resolved.partialRate = Math.max(0, 1 - resolved.successRate);
  }
  checkCombined(resolved);
  return resolved;
}
