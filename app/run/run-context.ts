// What every command that talks to Propexo for a run needs: the environment resolved (with a
// simulator for "practice": in-process for the CLI, on a worker thread for the desktop
// service), one client, one rate budget, one send queue and one job tracker, wired together and
// torn down together.
import * as E from 'fp-ts/Either';
import { createPropexoClient, type PropexoClient, type PropexoClientOptions } from '../propexo/client.ts';
import { createPropexoReadClient, type PropexoReadClient } from '../propexo/reads.ts';
import { namedServerOf, resolveBaseUrl } from '../propexo/base-url.ts';
import { createRateBudget, type RateBudget } from '../schedule/rate-budget.ts';
import { createSendQueue, type SendQueue } from '../schedule/send-queue.ts';
import { systemClock, type Clock } from '../schedule/clock.ts';
import type { Simulator } from '../simulator/index.ts';
import type { SimulatorOptions } from '../simulator/options.ts';
import { startPracticeThread as startThread, type PracticeServer, type PracticeThread } from '../simulator/practice-thread.ts';
import { createJobTracker, type JobTracker, type JobTrackerOptions } from './job-tracker.ts';
import type { PropexoError } from '../propexo/failure.ts';
import { defaultConcurrency, defaultRate, rateWindowMs } from '../shared/run-policy.ts';

export type EnvironmentName = 'practice' | 'sandbox' | 'production' | 'custom';

/** The token the in-process practice simulator is given: not a secret, it reaches nothing real. */
const PRACTICE_TOKEN = 'practice-environment';
/** Requests the practice simulator keeps in its record (it counts the rest). */
export const PRACTICE_RECORD_LIMIT = 2_000;
/**
 * Jobs and changed leads the practice simulator keeps (about 1 KB each): a rehearsal of up to
 * this many rows behaves as an unbounded one; beyond, the oldest finished jobs are forgotten
 * (followed long before) and the least recently written leads read as seeded again.
 */
export const PRACTICE_STATE_LIMIT = 10_000;

export interface ConnectionOptions {
  /** practice, sandbox, production, or an explicit base URL. */
  readonly environment: string;
  readonly token?: string;
  readonly concurrency?: number;
  /** Requests per minute to start from (the server's x-ratelimit-limit takes over). */
  readonly rate?: number;
  /** The rate window; 60 s in production, shorter in tests. */
  readonly windowMs?: number;
  readonly useWriteLogs?: boolean;
  readonly pendingTimeoutMs?: number;
  /** Makes the job tracker (tests inject faults through it). Default: createJobTracker. */
  readonly createTracker?: (options: JobTrackerOptions) => JobTracker;
  /** Fine-tuning of job tracking (tests and benchmarks). */
  readonly tracking?: Partial<Omit<JobTrackerOptions, 'client' | 'queue' | 'clock' | 'onFatal' | 'onRequest'>>;
  /** Practice only: options for the practice simulator on top of the practice preset. */
  readonly simulator?: Partial<SimulatorOptions>;
  /**
   * Practice only: a practice simulator the caller keeps across runs (the desktop service's, on
   * its worker thread: an undo must see what the run changed). Used instead of a fresh
   * in-process one, and not closed with the run.
   */
  readonly practice?: PracticeServer;
  readonly clock?: Clock;
  readonly fetch?: PropexoClientOptions['fetch'];
  /** Per request. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface RequestCounters {
  update: number;
  status: number;
  logs: number;
  retries: number;
  throttled: number;
  /** Lookups (lists read by the check against Propexo: leads, lead sources, units…). */
  lookup: number;
  /** Current values read one lead at a time for the preview. */
  read: number;
}

export interface RunContext {
  readonly environment: EnvironmentName;
  readonly baseUrl: string;
  readonly client: PropexoClient;
  /** Reads (lookups), with the same key and rate headers: they spend the same budget. */
  readonly reads: PropexoReadClient;
  readonly budget: RateBudget;
  readonly queue: SendQueue;
  readonly tracker: JobTracker;
  readonly clock: Clock;
  readonly counters: RequestCounters;
  /** The in-process simulator this context started for practice (none when given `practice`). */
  readonly simulator: Simulator | undefined;
  /** Set by whoever runs the engine: called when a check answers 401/403. */
  onFatal: (error: PropexoError) => void;
  close(): Promise<void>;
}

/** What a run records as its environment: told by the address requests go to, not by its spelling. */
export function environmentName(environment: string): EnvironmentName {
  if (environment.trim() === 'practice') return 'practice';
  const resolved = resolveBaseUrl(environment);
  return (E.isRight(resolved) ? namedServerOf(resolved.right) : undefined) ?? 'custom';
}

/** The in-process practice simulator: the practice preset, `options` on top, a bounded record. */
export async function startPracticeSimulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  // Loaded on demand: the simulator compiles the OpenAPI schema, which only practice needs.
  const { startSimulator, practicePreset } = await import('../simulator/index.ts');
  // Bounded: a rehearsal of a 1,000,000-row file must not keep every request (~3 KB each), job and changed lead.
  return startSimulator({ ...practicePreset, ...options }, { recordLimit: PRACTICE_RECORD_LIMIT, stateLimit: PRACTICE_STATE_LIMIT });
}

/**
 * The practice simulator on a worker thread of its own (the desktop service's, kept across its
 * runs): the preset, `options` on top, the same bounded record as in-process.
 */
export function startPracticeThread(options: Partial<SimulatorOptions> = {}): Promise<PracticeThread> {
  return startThread({ options, recordLimit: PRACTICE_RECORD_LIMIT, stateLimit: PRACTICE_STATE_LIMIT });
}

export async function openRunContext(options: ConnectionOptions): Promise<E.Either<string, RunContext>> {
  const name = environmentName(options.environment);
  const clock = options.clock ?? systemClock;
  /** The simulator this context started, and closes. */
  let owned: Simulator | undefined;
  let baseUrl: string;
  let token: string;
  if (name === 'practice') {
    baseUrl = (options.practice ?? (owned = await startPracticeSimulator(options.simulator))).url;
    token = options.token ?? PRACTICE_TOKEN;
  } else {
    const resolved = resolveBaseUrl(options.environment);
    if (E.isLeft(resolved)) return E.left(resolved.left);
    baseUrl = resolved.right;
    if (!options.token) return E.left(`No API key for ${options.environment}: set PROPEXO_API_KEY or use --api-key-file`);
    token = options.token;
  }

  const counters: RequestCounters = { update: 0, status: 0, logs: 0, retries: 0, throttled: 0, lookup: 0, read: 0 };
  const budget = createRateBudget({ clock, limit: options.rate ?? defaultRate, windowMs: options.windowMs ?? rateWindowMs });
  let client: PropexoClient;
  let reads: PropexoReadClient;
  try {
    const clientOptions: PropexoClientOptions = {
      baseUrl,
      token,
      clock,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      onResponse: (info) => {
        if (info.status === 429) counters.throttled++;
        budget.observe(info);
      },
    };
    client = createPropexoClient(clientOptions);
    reads = createPropexoReadClient(clientOptions);
  } catch (error) {
    budget.close();
    await owned?.close();
    return E.left(error instanceof Error ? error.message : String(error));
  }
  const queue = createSendQueue({ budget, clock, concurrency: options.concurrency ?? defaultConcurrency });
  const context: RunContext = {
    environment: name,
    baseUrl,
    client,
    reads,
    budget,
    queue,
    clock,
    counters,
    simulator: owned,
    onFatal: () => undefined,
    tracker: (options.createTracker ?? createJobTracker)({
      client,
      queue,
      clock,
      useWriteLogs: options.useWriteLogs ?? true,
      pendingTimeoutMs: options.pendingTimeoutMs,
      ...options.tracking,
      onFatal: (error) => context.onFatal(error),
      onRequest: (kind) => {
        counters[kind]++;
      },
    }),
    async close() {
      context.tracker.stop();
      queue.clear();
      budget.close();
      await owned?.close();
    },
  };
  return E.right(context);
}
