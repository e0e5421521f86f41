// Reading the leads' current values for a preview: from the lead list the lookup step read
// (free), else one `GET /v1/leads/{id}` per distinct lead, through the run's send queue, so
// reads share the rate budget with everything else (run-context.ts builds queue and budget;
// the client's `onResponse` feeds the budget, which closes its gate on a 429). The cost is
// stated before anything is spent (`readCost`).
import { setMaxListeners } from 'node:events';
import type { Lead } from '../propexo/read-codecs.ts';
import type { PropexoReadClient } from '../propexo/reads.ts';
import type { PropexoError } from '../propexo/failure.ts';
import type { Clock } from '../schedule/clock.ts';
import { nextBackoff, type BackoffPolicy, type RandomSource } from '../schedule/backoff.ts';
import type { SendQueue } from '../schedule/send-queue.ts';
import { isAbortError } from '../schedule/abort.ts';
import { defaultBackoffPolicy } from '../shared/run-policy.ts';
import { describeRate } from '../shared/rate-words.ts';

/** What reading the current values will cost, said before it starts. */
export interface ReadCost {
  /** Distinct leads the rows update. */
  readonly leads: number;
  /** Of those, leads the listed scope already holds (no request). */
  readonly fromList: number;
  /** GET requests to make (one per lead not listed). */
  readonly requests: number;
  /**
   * The least time the requests take at the budget, ignoring the time the send itself needs:
   * a full budget spends `limit` requests at once, then `limit` more each window.
   */
  readonly leastMs: number;
}

export function readCost(
  leadIds: Iterable<string>,
  listed: ReadonlyMap<string, Lead> | undefined,
  limitPerWindow: number,
  windowMs: number,
): ReadCost {
  const leads = new Set(leadIds);
  let fromList = 0;
  for (const id of leads) if (listed?.has(id)) fromList++;
  const requests = leads.size - fromList;
  const leastMs = requests === 0 ? 0 : Math.floor((requests - 1) / Math.max(1, limitPerWindow)) * windowMs;
  return { leads: leads.size, fromList, requests, leastMs };
}

/** "240 leads: 180 requests (60 from the listed scope), at least 1 min at 150 requests a minute." */
export function describeReadCost(cost: ReadCost, limitPerWindow: number, windowMs: number): string {
  const listed = cost.fromList > 0 ? ` (${cost.fromList} from the listed scope at no cost)` : '';
  const minutes = cost.leastMs / 60_000;
  const rate = describeRate(limitPerWindow, windowMs);
  // No wait: said against the budget, not a minute (a budget's window may be a second).
  const time =
    cost.leastMs === 0
      ? `within the budget of ${rate}`
      : `at least ${minutes < 1 ? `${Math.ceil(cost.leastMs / 1000)} s` : `${Math.ceil(minutes)} min`} at ${rate}`;
  return `Reading current values of ${cost.leads} leads: ${cost.requests} requests${listed}, ${time}`;
}

export type LeadReading =
  | { readonly ok: true; readonly lead: Lead; readonly source: 'list' | 'get' }
  | { readonly ok: false; readonly error: PropexoError; readonly message: string };

/** A lead as read, or why it could not be read: what the preview and the undo plan take. */
export type LeadOrReason = Lead | { readonly unreadable: string };

/** The readings as the preview and the undo plan take them. */
export function leadsOrReasons(readings: ReadonlyMap<string, LeadReading>): Map<string, LeadOrReason> {
  const leads = new Map<string, LeadOrReason>();
  for (const [id, reading] of readings) leads.set(id, reading.ok ? reading.lead : { unreadable: reading.message });
  return leads;
}

export interface CurrentValuesOptions {
  readonly reads: Pick<PropexoReadClient, 'getLead'>;
  readonly queue: Pick<SendQueue, 'run'>;
  readonly clock: Pick<Clock, 'sleep'>;
  /** Leads the lookup step listed (`Map<leadId, Lead>`): taken from here, never read again. */
  readonly listed?: ReadonlyMap<string, Lead>;
  /** Retries of a read after a 5xx or a network failure (429s wait for the budget and do not count). */
  readonly backoff?: BackoffPolicy;
  readonly random?: RandomSource;
  readonly signal?: AbortSignal;
  /** After each lead: how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A throttled read is not a failure: the budget's gate holds the next try until the window resets. */
const MAX_THROTTLED = 20;

/**
 * Each distinct lead's current values, or why they could not be read. Credentials refused
 * (401/403) stop every read still to come with that error: the caller stops the preview.
 */
export async function readCurrentValues(leadIds: Iterable<string>, options: CurrentValuesOptions): Promise<Map<string, LeadReading>> {
  const ids = [...new Set(leadIds)];
  const readings = new Map<string, LeadReading>();
  const policy = options.backoff ?? defaultBackoffPolicy;
  // A refused key aborts the reads still queued: they spend no budget and send nothing.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Every queued read listens to it (thousands at once): not a leak, so no warning on stderr.
  setMaxListeners(0, signal);
  let fatal: PropexoError | undefined;
  let done = 0;
  const finish = (id: string, reading: LeadReading): void => {
    readings.set(id, reading);
    options.onProgress?.(++done, ids.length);
  };
  const ended = (id: string): void => {
    if (fatal) finish(id, { ok: false, error: fatal, message: fatal.message });
    else
      finish(id, {
        ok: false,
        error: { kind: 'cancelled', message: 'the preview was cancelled', outcomeUnknown: false },
        message: 'the preview was cancelled',
      });
  };

  async function readOne(id: string): Promise<void> {
    let retries = 0;
    let throttled = 0;
    for (;;) {
      if (signal.aborted) return ended(id);
      let answer;
      try {
        answer = await options.queue.run('check', () => options.reads.getLead(id, { signal }), signal);
      } catch (error) {
        if (isAbortError(error)) return ended(id);
        throw error;
      }
      if (answer.ok) return finish(id, { ok: true, lead: answer.value, source: 'get' });
      const error = answer.error;
      if (error.kind === 'auth') {
        fatal ??= error;
        stop.abort();
        return ended(id);
      }
      if (error.kind === 'cancelled') return ended(id);
      if (error.kind === 'throttled' && ++throttled <= MAX_THROTTLED) continue;
      if (error.kind === 'retryable') {
        const next = nextBackoff(retries++, policy, options.random, error.retryAfterMs ?? 0);
        if (next.retry) {
          try {
            await options.clock.sleep(next.delayMs, signal);
          } catch {
            return ended(id);
          }
          continue;
        }
      }
      return finish(id, { ok: false, error, message: `Could not read lead ${id}: ${error.message}` });
    }
  }

  const toRead: string[] = [];
  for (const id of ids) {
    const lead = options.listed?.get(id);
    if (lead) finish(id, { ok: true, lead, source: 'list' });
    else toRead.push(id);
  }
  // The queue bounds concurrency and pace: handing it every read at once is how it fills its slots.
  await Promise.all(toRead.map(readOne));
  return readings;
}
