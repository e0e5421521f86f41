// Jobs created by accepted writes: each one's pending time and outcome are drawn once, from
// a random stream keyed by the seed and what the job is (lead + attempt), so the answer for a
// job never changes and does not depend on how concurrent requests happened to interleave.
import type { SimulatorOptions, WriteOutcome } from './options.ts';
import { drawOutcome, type JobOutcome } from './outcomes.ts';
import { intBetween, randomToken, streamFor } from './random.ts';
import type { WriteLog, WriteStatus, WriteStatusOutput } from './wire.ts';

export interface Job {
  readonly id: string;
  readonly leadId: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Clock time (ms) of creation and of the moment it stops being PENDING. */
  readonly createdAt: number;
  readonly settlesAt: number;
  readonly outcome: JobOutcome;
  /** The failed job this one retries, if it was created by retry-write. */
  readonly retryOf: string | null;
  /** Jobs created by retrying this one. */
  readonly retriedAs: readonly string[];
  /** What the write logs show for it. */
  readonly logId: string;
  readonly logJobId: string;
  readonly jobLogId: string;
  /** Uniform draw compared with `logsCoverage` at query time (so coverage can change mid-run). */
  readonly logDraw: number;
  /** PARTIAL_SUCCESS only: the body's fields the PMS did not save (at least one). */
  readonly skippedFields?: readonly string[];
}

type MutableJob = { -readonly [K in keyof Job]: Job[K] } & { retriedAs: string[] };

export type JobSettings = Pick<
  SimulatorOptions,
  'seed' | 'jobPendingMs' | 'successRate' | 'partialRate' | 'failureWithoutErrorsRate' | 'retrySuccessRate' | 'leadOutcomes' | 'vendor'
>;

export type LogSettings = Pick<SimulatorOptions, 'logsShowRootJobIds' | 'logsCoverage' | 'integrationId' | 'vendor'>;

export type TimeRange = 'hour' | 'day' | 'week' | 'month';

export interface LogQuery {
  readonly limit: number;
  readonly offset: number;
  readonly timeRange?: TimeRange;
  readonly status?: 'SUCCESS' | 'FAILURE';
  readonly integrationId?: string;
  readonly writeCategory?: string;
}

export type RetryResult =
  | { readonly kind: 'retried'; readonly job: Job }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-failed'; readonly status: WriteStatus };

const rangeMs: Readonly<Record<TimeRange, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};

/**
 * A bounded store (practice runs of big files): about `limit` jobs are kept, the oldest finished
 * ones forgotten first, their outcome handed to lead state beforehand so reads still show what
 * they wrote. A forgotten job answers 404 to write status and retry, and leaves the write logs;
 * its lead's attempt count is forgotten too (a later update draws like a first one, under a new
 * job id). Without a limit every job is kept, as tests expect.
 */
export interface JobRetention {
  readonly limit: number;
  /** Takes in finished jobs' outcomes (lead state) before any of them is forgotten. */
  readonly takeIn: (settled: readonly Job[]) => void;
}

export class JobStore {
  private readonly jobs = new Map<string, MutableJob>();
  /** Update jobs per lead so far: the attempt number keys the next job's random stream. */
  private readonly attempts = new Map<string, number>();
  /** Creation order, for stable sorting of jobs that settle at the same moment. */
  private readonly order = new Map<string, number>();
  private counter = 0;
  /** The job id last given in an answer. */
  private lastAnswered: string | undefined;
  /** Jobs whose outcome lead state has not taken in yet (see takeSettled). */
  private unapplied = new Set<MutableJob>();

  constructor(
    private readonly now: () => number,
    private readonly retention: JobRetention | null = null,
  ) {}

  get all(): ReadonlyMap<string, Job> {
    return this.jobs;
  }

  /** The job id last given in an answer to a client, if any. */
  get lastAnsweredId(): string | undefined {
    return this.lastAnswered;
  }

  /** Notes the job id an answer gives (a repeated id repeats this one). */
  answered(id: string): void {
    this.lastAnswered = id;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** A job for an accepted lead update. */
  createForUpdate(leadId: string, body: Readonly<Record<string, unknown>>, settings: JobSettings): Job {
    const attempt = this.attempts.get(leadId) ?? 0;
    this.attempts.set(leadId, attempt + 1);
    const random = streamFor(settings.seed, 'update', leadId, attempt);
    const forced: WriteOutcome | undefined = Object.prototype.hasOwnProperty.call(settings.leadOutcomes, leadId)
      ? settings.leadOutcomes[leadId]
      : undefined;
    return this.create(leadId, body, null, random, (r) => drawOutcome(r, settings, settings.vendor, forced), settings);
  }

  /** Retry-write: only a FAILURE can be retried; each retry is a new job to follow. */
  retry(id: string, settings: JobSettings): RetryResult {
    const failed = this.jobs.get(id);
    if (!failed) return { kind: 'not-found' };
    const status = this.statusOf(failed);
    if (status !== 'FAILURE') return { kind: 'not-failed', status };
    const random = streamFor(settings.seed, 'retry', id, failed.retriedAs.length);
    const rates =
      settings.retrySuccessRate === null
        ? settings
        : { successRate: settings.retrySuccessRate, partialRate: 0, failureWithoutErrorsRate: settings.failureWithoutErrorsRate };
    const job = this.create(failed.leadId, failed.body, id, random, (r) => drawOutcome(r, rates, settings.vendor), settings);
    failed.retriedAs.push(job.id);
    return { kind: 'retried', job };
  }

  private create(
    leadId: string,
    body: Readonly<Record<string, unknown>>,
    retryOf: string | null,
    random: () => number,
    outcomeOf: (random: () => number) => JobOutcome,
    settings: JobSettings,
  ): Job {
    this.counter += 1;
    const createdAt = this.now();
    const pending = settings.jobPendingMs;
    const pendingMs = typeof pending === 'number' ? pending : intBetween(random, Math.round(pending[0]), Math.round(pending[1]));
    const outcome = outcomeOf(random);
    const serial = String(this.counter).padStart(6, '0');
    const job: MutableJob = {
      id: `job_${serial}_${randomToken(random, 6)}`,
      leadId,
      body,
      createdAt,
      settlesAt: createdAt + pendingMs,
      outcome,
      retryOf,
      retriedAs: [],
      logId: `wlog_${serial}_${randomToken(random, 6)}`,
      logJobId: `wjob_${serial}_${randomToken(random, 6)}`,
      jobLogId: `jlog_${serial}_${randomToken(random, 6)}`,
      logDraw: random(),
    };
    // Drawn from a stream of its own, so the draws above (hence every job id) stay as they were.
    if (outcome.status === 'PARTIAL_SUCCESS') job.skippedFields = skippedOf(streamFor(settings.seed, 'partial', job.id), Object.keys(body));
    this.jobs.set(job.id, job);
    this.unapplied.add(job);
    this.order.set(job.id, this.counter);
    // Trimmed by an eighth at a time, so the cost spreads over many jobs.
    if (this.retention !== null && this.jobs.size > this.retention.limit + Math.ceil(this.retention.limit / 8)) this.trim(this.retention);
    return job;
  }

  /** Forgets the oldest finished jobs down to the limit, after lead state has taken them in. */
  private trim(retention: JobRetention): void {
    retention.takeIn(this.takeSettled());
    for (const job of this.jobs.values()) {
      if (this.jobs.size <= retention.limit) return;
      // Still pending (or not yet taken in): kept; pending times are short, a later trim gets it.
      if (this.unapplied.has(job)) continue;
      this.jobs.delete(job.id);
      this.order.delete(job.id);
      this.attempts.delete(job.leadId);
    }
  }

  statusOf(job: Job): WriteStatus {
    return this.now() < job.settlesAt ? 'PENDING' : job.outcome.status;
  }

  writeStatus(id: string): WriteStatusOutput | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const status = this.statusOf(job);
    if (status === 'PENDING') return { write_status: 'PENDING', errors: [], created_record_id: null };
    return {
      write_status: status,
      errors: [...job.outcome.errors],
      // An update creates nothing new; a finished write names the lead it wrote.
      created_record_id: status === 'FAILURE' ? null : job.leadId,
    };
  }

  /** The jobs finished since the last call, in the order they finished (ties: creation order). */
  takeSettled(): Job[] {
    const now = this.now();
    const settled = [...this.unapplied].filter((job) => job.settlesAt <= now);
    if (settled.length === 0) return [];
    for (const job of settled) this.unapplied.delete(job);
    return settled.sort((a, b) => a.settlesAt - b.settlesAt || (this.order.get(a.id) ?? 0) - (this.order.get(b.id) ?? 0));
  }

  /** Ends every job's PENDING time now (handy for tests that do not want to wait). */
  settleAll(): void {
    const now = this.now();
    for (const job of this.jobs.values()) if (job.settlesAt > now) job.settlesAt = now;
  }

  /** The write logs: finished jobs only, most recent first, PARTIAL_SUCCESS shown as SUCCESS. */
  logs(query: LogQuery, settings: LogSettings): WriteLog[] {
    const now = this.now();
    if (query.writeCategory !== undefined && query.writeCategory !== 'leads') return [];
    if (query.integrationId !== undefined && query.integrationId !== settings.integrationId) return [];
    const since = query.timeRange === undefined ? -Infinity : now - rangeMs[query.timeRange];
    // Only the newest `offset + limit` are kept in order, and only the page made into logs: a job
    // tracker asks for a page several times a second, and a big practice run holds thousands of
    // jobs. Walked newest created first, so most older jobs are turned away by one comparison.
    const wanted = query.offset + query.limit;
    if (wanted <= 0) return [];
    const newestFirst = (a: Job, b: Job): number => b.settlesAt - a.settlesAt || (this.order.get(b.id) ?? 0) - (this.order.get(a.id) ?? 0);
    const newest: Job[] = [];
    const jobs = [...this.jobs.values()];
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i];
      if (job.settlesAt > now || job.settlesAt < since || job.logDraw >= settings.logsCoverage) continue;
      if (query.status !== undefined && logStatusOf(job) !== query.status) continue;
      if (newest.length === wanted && newestFirst(job, newest[wanted - 1]) >= 0) continue;
      let lo = 0;
      let hi = newest.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (newestFirst(newest[mid], job) <= 0) lo = mid + 1;
        else hi = mid;
      }
      newest.splice(lo, 0, job);
      if (newest.length > wanted) newest.pop();
    }
    return newest.slice(query.offset).map((job) => this.logOf(job, settings));
  }

  private logOf(job: Job, settings: LogSettings): WriteLog {
    const errorText = job.outcome.errors.length > 0 ? job.outcome.errors.join('; ') : null;
    return {
      id: job.logId,
      created_at: new Date(job.settlesAt).toISOString(),
      job_id: settings.logsShowRootJobIds ? job.id : job.logJobId,
      job_log_id: job.jobLogId,
      status: logStatusOf(job),
      integration_id: settings.integrationId,
      job_type: 'UPDATE_LEAD',
      parameters: { lead_id: job.leadId, fields: Object.keys(job.body), applied_fields: appliedFieldsOf(job) },
      error: errorText,
      name: 'Update lead',
      vendor: settings.vendor,
    };
  }

  clear(): void {
    this.jobs.clear();
    this.attempts.clear();
    this.order.clear();
    this.counter = 0;
    this.lastAnswered = undefined;
    this.unapplied.clear();
  }
}

/** What the write logs show: PARTIAL_SUCCESS as SUCCESS. */
const logStatusOf = (job: Job): 'SUCCESS' | 'FAILURE' => (job.outcome.status === 'FAILURE' ? 'FAILURE' : 'SUCCESS');

/** A partial write's lost fields: a random non-empty subset, never all of several (something was saved). */
function skippedOf(random: () => number, fields: readonly string[]): readonly string[] {
  if (fields.length <= 1) return [...fields];
  const skipped = fields.filter(() => random() < 0.5);
  if (skipped.length === 0) return [fields[Math.floor(random() * fields.length)]];
  return skipped.length === fields.length ? skipped.slice(1) : skipped;
}

/** The body's fields a finished job saved: all (SUCCESS), all but the skipped (PARTIAL_SUCCESS), none (FAILURE). */
export function appliedFieldsOf(job: Job): string[] {
  if (job.outcome.status === 'FAILURE') return [];
  const skipped = job.skippedFields ?? [];
  return Object.keys(job.body).filter((field) => !skipped.includes(field));
}
