// Every read a lookup makes goes through here: the run's send queue (its concurrency and its
// rate budget, so reads and writes spend one per-minute budget), with 429s sent again once the
// budget's gate reopens and server errors retried with the run's backoff. Reads are counted,
// for `requests.lookup` and for the strategy's figures.
import type { PropexoResult } from '../propexo/client.ts';
import type { PropexoError } from '../propexo/failure.ts';
import type { ListItem, ListEndpoint, ListPage } from '../propexo/read-codecs.ts';
import type { ListFilters, PropexoReadClient } from '../propexo/reads.ts';
import { nextBackoff, type BackoffPolicy, type RandomSource } from '../schedule/backoff.ts';
import type { Clock } from '../schedule/clock.ts';
import type { SendQueue } from '../schedule/send-queue.ts';
import { defaultBackoffPolicy } from '../shared/run-policy.ts';

/** A read that could not be made: the lookups of the rows that needed it cannot be decided. */
export class LookupReadError extends Error {
  override readonly name = 'LookupReadError';
  constructor(
    message: string,
    readonly error: PropexoError,
  ) {
    super(message);
  }
}

export interface LookupReaderOptions {
  readonly reads: PropexoReadClient;
  readonly queue: Pick<SendQueue, 'run'>;
  readonly clock: Clock;
  readonly backoff?: BackoffPolicy;
  readonly random?: RandomSource;
  readonly signal?: AbortSignal;
}

/** The rate budget's figures the strategy prices requests at. */
export interface BudgetRate {
  readonly limit: number;
  readonly windowMs: number;
}

export interface LookupReader {
  /** One page; throws `LookupReadError` once retrying is pointless (401/403, 4xx, retries spent). */
  page<E extends ListEndpoint>(
    endpoint: E,
    filters: ListFilters,
    offset: number,
    limit: number,
    orderBy?: string,
  ): Promise<ListPage<ListItem<E>>>;
  /** Requests sent so far (retries and 429s included: they spend budget too). */
  requests(): number;
}

/** 429s in a row for one read before it is given up (each waits for the budget's gate: minutes). */
export const maxThrottledInARow = 10;

export function createLookupReader(options: LookupReaderOptions): LookupReader {
  const { reads, queue, clock, signal } = options;
  const policy = options.backoff ?? defaultBackoffPolicy;
  let sent = 0;

  async function page<E extends ListEndpoint>(
    endpoint: E,
    filters: ListFilters,
    offset: number,
    limit: number,
    orderBy?: string,
  ): Promise<ListPage<ListItem<E>>> {
    let retries = 0;
    let throttledInARow = 0;
    for (;;) {
      // A lookup stands in for the update it makes possible: it queues as an update, so status
      // checks keep their share while a send looks leads up in between.
      const answer: PropexoResult<ListPage<ListItem<E>>> = await queue.run(
        'update',
        () => {
          sent++;
          return reads.listPage(endpoint, filters, offset, limit, { signal, ...(orderBy === undefined ? {} : { orderBy }) });
        },
        signal,
      );
      if (answer.ok) return answer.value;
      const { error } = answer;
      // The budget has closed its gate for everyone; the queue waits for it to reopen. A server
      // that refuses without end is given up on like one that keeps failing.
      if (error.kind === 'throttled' && throttledInARow++ < maxThrottledInARow) continue;
      if (error.kind === 'retryable') {
        const decision = nextBackoff(retries, policy, options.random, error.retryAfterMs ?? 0);
        if (decision.retry) {
          retries++;
          await clock.sleep(decision.delayMs, signal);
          continue;
        }
      }
      throw new LookupReadError(`Reading ${endpoint} failed: ${error.message}`, error);
    }
  }

  return { page, requests: () => sent };
}
