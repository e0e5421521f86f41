// Follows accepted jobs to their final write status while spending as little of the shared
// rate budget as possible: every status check is an update not sent.
//
// - Write logs first: one call shows the latest record of up to 100 jobs. A logs call is made
//   only once enough jobs are due (or the oldest due job has waited long enough, or no more
//   updates are coming), so each call settles many jobs.
// - Write logs have no PENDING and no PARTIAL_SUCCESS, and nothing promises that their job ids
//   are our root job ids. So: a SUCCESS with an error text is confirmed through write status
//   (it may be partial); a job that logs do not show after a while is checked through write
//   status; and when logs never show any of our jobs, they are given up for the run.
// - Write status per job, on a backoff schedule (2 s, 4 s, 8 s … capped), is the fallback.
// - A job still pending after `pendingTimeoutMs` ends as `pending`, checkable later.
// - A job id is followed once. Propexo's document allows any string as a job id and promises no
//   uniqueness; if a later update is given an id already followed in this run, the status of that
//   id cannot tell which update it describes: the later update ends `repeated` at once (the first
//   one is still followed, or keeps the outcome it had).
import { setMaxListeners } from 'node:events';
import type { PropexoClient } from '../propexo/client.ts';
import type { PropexoError } from '../propexo/failure.ts';
import type { WriteLogEntry } from '../propexo/codecs.ts';
import type { Clock } from '../schedule/clock.ts';
import type { SendQueue } from '../schedule/send-queue.ts';
import { isAbortError } from '../schedule/abort.ts';
import { defaultPendingTimeoutMs, jobPolling } from '../shared/run-policy.ts';

export type FinalWriteStatus = 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILURE';

export type JobOutcome =
  | { readonly kind: 'final'; readonly writeStatus: FinalWriteStatus; readonly errors: readonly string[] }
  /** Still pending at the time limit, or tracking was stopped: check again later. */
  | { readonly kind: 'pending' }
  /** Propexo answers that it has no such job (404, asked twice): whether it was written cannot be told. */
  | { readonly kind: 'not_found'; readonly message: string }
  /** The job id was already given to another update of this run: this update's outcome cannot be told. */
  | { readonly kind: 'repeated'; readonly message: string };

/** A job is called lost after this many 404s in a row from write status (one could be a hiccup). */
const NOT_FOUND_LIMIT = 2;

export interface JobTrackerOptions {
  readonly client: Pick<PropexoClient, 'writeStatus' | 'writeLogs'>;
  readonly queue: Pick<SendQueue, 'run'>;
  readonly clock: Clock;
  /** Settle jobs through write logs where they show them. Default true. */
  readonly useWriteLogs?: boolean;
  /** A job not final this long after acceptance ends as `pending`. Default: run-policy.ts. */
  readonly pendingTimeoutMs?: number;
  // The polling options below default to run-policy.ts `jobPolling`.
  /** No job is asked about sooner than this after acceptance. */
  readonly firstCheckAfterMs?: number;
  /** Write-status polls back off up to this interval. */
  readonly maxCheckIntervalMs?: number;
  /** A logs call waits for this many due jobs… */
  readonly logsBatchSize?: number;
  /** …or for the oldest due job to have waited this long. */
  readonly logsMaxWaitMs?: number;
  /** At most one logs round per this interval. */
  readonly logsMinIntervalMs?: number;
  /** A job the logs have not shown this long after acceptance is checked through write status. */
  readonly logsFallbackAfterMs?: number;
  /** Pages of 100 logs read per round at most. */
  readonly maxLogsPages?: number;
  /** Called once for an answer that must stop the run (401/403). */
  readonly onFatal: (error: PropexoError) => void;
  /** Called for every check request made, for the run's counters. */
  readonly onRequest?: (kind: 'status' | 'logs') => void;
}

export interface JobTracker {
  /** Resolves when the job is final, or `pending` at the time limit or on stop; at once `repeated` for an id already tracked. */
  track(jobId: string, acceptedAt: number): Promise<JobOutcome>;
  /** No more jobs will come from updates: settle what is left without waiting for batches. */
  draining(): void;
  /** Stops tracking: every job still followed resolves `pending`. */
  stop(): void;
  /** Whether this job is being followed: a job tracked and not yet settled always is. */
  follows(jobId: string): boolean;
  readonly size: number;
}

interface TrackedJob {
  readonly jobId: string;
  readonly acceptedAt: number;
  /** The next time write status may be asked. */
  nextStatusAt: number;
  statusInterval: number;
  /** Logs said SUCCESS with an error text: only write status can tell partial from success. */
  needsStatus: boolean;
  statusInFlight: boolean;
  /** 404s in a row from write status. */
  notFound: number;
  /**
   * Made when a status check is first queued, aborted when the job settles: a check still
   * waiting for budget is then dropped. Not made per job: most jobs settle through write logs
   * without a check, and a controller aborted for each (an AbortError with its stack trace)
   * lived long enough to be promoted: ~5% of the old generation's growth during a run.
   */
  settled: AbortController | undefined;
  readonly resolve: (outcome: JobOutcome) => void;
}

const repeatedMessage = (jobId: string): string =>
  `Propexo answered job id "${jobId}" for this update, an id it had already given to another update of this run: ` +
  'its write status cannot tell which update it describes, so this update may or may not have been written';

export function createJobTracker(options: JobTrackerOptions): JobTracker {
  const { client, queue, clock } = options;
  const pendingTimeoutMs = options.pendingTimeoutMs ?? defaultPendingTimeoutMs;
  const firstCheckAfterMs = options.firstCheckAfterMs ?? jobPolling.firstCheckAfterMs;
  const maxCheckIntervalMs = options.maxCheckIntervalMs ?? jobPolling.maxCheckIntervalMs;
  const logsBatchSize = options.logsBatchSize ?? jobPolling.logsBatchSize;
  const logsMaxWaitMs = options.logsMaxWaitMs ?? jobPolling.logsMaxWaitMs;
  const logsMinIntervalMs = options.logsMinIntervalMs ?? jobPolling.logsMinIntervalMs;
  const logsFallbackAfterMs = options.logsFallbackAfterMs ?? jobPolling.logsFallbackAfterMs;
  const maxLogsPages = options.maxLogsPages ?? jobPolling.maxLogsPages;

  const jobs = new Map<string, TrackedJob>();
  /** Every job id ever tracked, followed or settled: an id is followed once. */
  const seen = new Set<string>();
  const stopController = new AbortController();
  // Every queued check listens to it (hundreds at once): not a leak, so no warning on stderr.
  setMaxListeners(0, stopController.signal);
  let logsEnabled = options.useWriteLogs ?? true;
  let logsRoundsWithoutMatch = 0;
  let lastLogsAt = Number.NEGATIVE_INFINITY;
  let logsInFlight = false;
  let isDraining = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let loopRunning = false;

  const settle = (job: TrackedJob, outcome: JobOutcome): void => {
    if (!jobs.delete(job.jobId)) return;
    job.settled?.abort();
    job.resolve(outcome);
  };

  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const fatal = (error: PropexoError): void => {
    options.onFatal(error);
  };

  async function checkStatus(job: TrackedJob): Promise<void> {
    job.statusInFlight = true;
    try {
      // Queued under the job's own signal: if write logs settle it first, the check never goes out.
      job.settled ??= new AbortController();
      const result = await queue.run('check', () => client.writeStatus(job.jobId, { signal: stopController.signal }), job.settled.signal);
      options.onRequest?.('status');
      const now = clock.now();
      if (result.ok) {
        const status = result.value.write_status;
        if (status === 'PENDING') {
          job.statusInterval = Math.min(maxCheckIntervalMs, job.statusInterval * 2);
          job.nextStatusAt = now + job.statusInterval;
        } else {
          settle(job, { kind: 'final', writeStatus: status, errors: result.value.errors });
        }
        return;
      }
      const error = result.error;
      // The run stops on a refused key; until it does, this job is not asked again at once.
      if (error.kind === 'auth') fatal(error);
      job.notFound = error.kind === 'rejected' && error.status === 404 ? job.notFound + 1 : 0;
      if (job.notFound >= NOT_FOUND_LIMIT) {
        settle(job, {
          kind: 'not_found',
          message: `Propexo does not know job ${job.jobId} (HTTP 404 from write status): the update was accepted, but whether it was written cannot be told`,
        });
        return;
      }
      // Throttled: the budget already paused everyone. Others: ask again later.
      job.statusInterval = Math.min(maxCheckIntervalMs, job.statusInterval * 2);
      job.nextStatusAt = now + (error.kind === 'throttled' ? (error.retryAfterMs ?? job.statusInterval) : job.statusInterval);
    } catch (error) {
      if (!isAbortError(error)) throw error;
    } finally {
      job.statusInFlight = false;
      poke();
    }
  }

  /** One logs round: up to `maxLogsPages` pages, newest first, until every due job is seen. */
  async function readLogs(due: readonly TrackedJob[]): Promise<void> {
    logsInFlight = true;
    lastLogsAt = clock.now();
    const unseen = new Set(due.map((j) => j.jobId));
    const oldestDue = Math.min(...due.map((j) => j.acceptedAt));
    let matched = 0;
    let sawAnyLog = false;
    try {
      for (let page = 0; page < maxLogsPages && unseen.size > 0; page++) {
        const result = await queue.run(
          'check',
          () =>
            client.writeLogs(
              { limit: 100, offset: page * 100, timeRange: 'hour', writeCategory: 'leads' },
              { signal: stopController.signal },
            ),
          stopController.signal,
        );
        options.onRequest?.('logs');
        if (!result.ok) {
          if (result.error.kind === 'auth') fatal(result.error);
          // A rejected query (old server, unknown parameter): logs are not for this run.
          else if (result.error.kind === 'rejected') logsEnabled = false;
          return;
        }
        const logs = result.value.logs;
        if (logs.length > 0) sawAnyLog = true;
        for (const entry of logs) {
          const job = jobs.get(entry.job_id);
          if (!job) continue;
          unseen.delete(entry.job_id);
          matched++;
          applyLog(job, entry);
        }
        // Older pages only help while this page still reaches back past our oldest due job.
        const oldestOnPage = logs.length > 0 ? Date.parse(logs[logs.length - 1].created_at ?? '') : Number.NaN;
        if (logs.length < 100 || !(oldestOnPage > oldestDue)) break;
      }
      if (matched > 0) logsRoundsWithoutMatch = 0;
      else if (sawAnyLog) logsRoundsWithoutMatch++;
      // Logs that never show our job ids (they may not be root job ids): stop asking them.
      if (logsRoundsWithoutMatch >= 3) logsEnabled = false;
    } catch (error) {
      if (!isAbortError(error)) throw error;
    } finally {
      logsInFlight = false;
      poke();
    }
  }

  function applyLog(job: TrackedJob, entry: WriteLogEntry): void {
    if (entry.status === 'FAILURE') {
      settle(job, { kind: 'final', writeStatus: 'FAILURE', errors: entry.error ? [entry.error] : [] });
    } else if (entry.error) {
      job.needsStatus = true;
      job.nextStatusAt = clock.now();
    } else {
      settle(job, { kind: 'final', writeStatus: 'SUCCESS', errors: [] });
    }
  }

  /** What is due now, started without waiting; returns when to look again. */
  function step(now: number): number {
    let nextAt = Number.POSITIVE_INFINITY;
    for (const job of jobs.values()) {
      const timeoutAt = job.acceptedAt + pendingTimeoutMs;
      if (now >= timeoutAt && !job.statusInFlight) {
        settle(job, { kind: 'pending' });
        continue;
      }
      nextAt = Math.min(nextAt, timeoutAt);
    }

    if (logsEnabled && !logsInFlight) {
      // Counted without a list: a step runs at every answer, over every job followed (thousands
      // of lists a second were most of what a fast run allocated); the list is made for a read.
      const isDue = (j: TrackedJob): boolean => !j.needsStatus && now >= j.acceptedAt + firstCheckAfterMs;
      let dueCount = 0;
      let oldestDueAt = Number.POSITIVE_INFINITY;
      for (const j of jobs.values()) {
        const dueAt = j.acceptedAt + firstCheckAfterMs;
        if (now < dueAt) nextAt = Math.min(nextAt, dueAt);
        else if (isDue(j)) {
          dueCount++;
          oldestDueAt = Math.min(oldestDueAt, dueAt);
        }
      }
      if (dueCount > 0) {
        const enough = dueCount >= logsBatchSize || now - oldestDueAt >= logsMaxWaitMs || isDraining;
        const allowedAt = lastLogsAt + logsMinIntervalMs;
        if (enough && now >= allowedAt) {
          void readLogs([...jobs.values()].filter(isDue));
        } else {
          nextAt = Math.min(nextAt, Math.max(allowedAt, enough ? allowedAt : oldestDueAt + logsMaxWaitMs));
        }
      }
    }

    for (const job of jobs.values()) {
      if (job.statusInFlight) continue;
      const wantsStatus = !logsEnabled || job.needsStatus || now >= job.acceptedAt + logsFallbackAfterMs;
      if (!wantsStatus) {
        nextAt = Math.min(nextAt, job.acceptedAt + logsFallbackAfterMs);
        continue;
      }
      if (now >= job.nextStatusAt) void checkStatus(job);
      else nextAt = Math.min(nextAt, job.nextStatusAt);
    }
    return nextAt;
  }

  /** The wake-up already asked of the clock: a later one is not needed, an earlier one is. */
  let timerAt = Number.POSITIVE_INFINITY;

  function wakeAt(time: number): void {
    if (time >= timerAt) return;
    timerAt = time;
    // Never aborted: a timer that fires after a newer, earlier one merely pokes an idle loop.
    void clock.sleep(Math.max(10, time - clock.now()), stopController.signal).then(
      () => {
        if (timerAt === time) timerAt = Number.POSITIVE_INFINITY;
        poke();
      },
      () => undefined,
    );
  }

  async function loop(): Promise<void> {
    loopRunning = true;
    try {
      while (!stopped && jobs.size > 0) {
        const nextAt = step(clock.now());
        if (jobs.size === 0) break;
        const wakeUp = new Promise<void>((resolve) => (wake = resolve));
        if (Number.isFinite(nextAt)) wakeAt(Math.max(nextAt, clock.now() + 10));
        await wakeUp;
      }
    } finally {
      loopRunning = false;
    }
  }

  return {
    track(jobId, acceptedAt) {
      if (stopped) return Promise.resolve({ kind: 'pending' });
      if (seen.has(jobId)) return Promise.resolve({ kind: 'repeated', message: repeatedMessage(jobId) });
      seen.add(jobId);
      return new Promise<JobOutcome>((resolve) => {
        jobs.set(jobId, {
          jobId,
          acceptedAt,
          nextStatusAt: acceptedAt + firstCheckAfterMs,
          statusInterval: firstCheckAfterMs,
          needsStatus: false,
          statusInFlight: false,
          notFound: 0,
          settled: undefined,
          resolve,
        });
        if (!loopRunning) void loop();
        else poke();
      });
    },
    draining() {
      isDraining = true;
      poke();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopController.abort();
      for (const job of [...jobs.values()]) settle(job, { kind: 'pending' });
      poke();
    },
    follows(jobId) {
      return jobs.has(jobId);
    },
    get size() {
      return jobs.size;
    },
  };
}
