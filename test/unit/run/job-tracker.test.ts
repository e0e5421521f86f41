import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/manual-clock.ts';
import { createJobTracker, type JobOutcome, type JobTrackerOptions } from '../../../app/run/job-tracker.ts';
import type { PropexoClient, PropexoResult } from '../../../app/propexo/client.ts';
import type { WriteLogs, WriteStatus } from '../../../app/propexo/codecs.ts';
import type { PropexoError } from '../../../app/propexo/failure.ts';

type Final = 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILURE';

/** A tiny PMS: each job becomes final at a given time; logs and status tell what it knows. */
class FakeJobs {
  readonly jobs = new Map<string, { doneAt: number; status: Final; error: string | null }>();
  statusCalls = 0;
  logsCalls = 0;
  /** Logs show these ids instead of ours (the API does not promise root job ids there). */
  logsIdPrefix = '';
  authFailure = false;
  /** Write status answers 404 for these: once each for `hiccups`, always for `unknown`. */
  readonly hiccups = new Set<string>();
  readonly unknown = new Set<string>();

  constructor(private readonly clock: ManualClock) {}

  add(id: string, doneAt: number, status: Final = 'SUCCESS', error: string | null = null): void {
    this.jobs.set(id, { doneAt, status, error });
  }

  client(): Pick<PropexoClient, 'writeStatus' | 'writeLogs'> {
    const auth: PropexoError = { kind: 'auth', status: 401, message: 'invalid key', code: undefined, body: undefined, bodyText: undefined };
    return {
      writeStatus: async (id): Promise<PropexoResult<WriteStatus>> => {
        this.statusCalls++;
        if (this.authFailure) return { ok: false, error: auth };
        if (this.unknown.has(id) || this.hiccups.delete(id)) {
          return {
            ok: false,
            error: {
              kind: 'rejected',
              status: 404,
              message: 'job not found',
              code: 'not_found',
              issues: [],
              body: undefined,
              bodyText: undefined,
            },
          };
        }
        const job = this.jobs.get(id);
        const done = job !== undefined && this.clock.now() >= job.doneAt;
        return {
          ok: true,
          status: 200,
          value: { write_status: done ? job.status : 'PENDING', errors: done && job.error ? [job.error] : [], created_record_id: null },
        };
      },
      writeLogs: async (query): Promise<PropexoResult<WriteLogs>> => {
        this.logsCalls++;
        const finished = [...this.jobs]
          .filter(([, j]) => this.clock.now() >= j.doneAt)
          .sort((a, b) => b[1].doneAt - a[1].doneAt)
          .map(([id, j]) => ({
            job_id: this.logsIdPrefix + id,
            status: j.status === 'FAILURE' ? ('FAILURE' as const) : ('SUCCESS' as const),
            error: j.status === 'SUCCESS' ? null : (j.error ?? (j.status === 'PARTIAL_SUCCESS' ? 'partly written' : null)),
            created_at: new Date(j.doneAt).toISOString(),
          }));
        const offset = query.offset ?? 0;
        return { ok: true, status: 200, value: { logs: finished.slice(offset, offset + (query.limit ?? 100)), unreadable: 0 } };
      },
    };
  }
}

function setup(overrides: Partial<JobTrackerOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const fake = new FakeJobs(clock);
  const fatal: PropexoError[] = [];
  const tracker = createJobTracker({
    client: fake.client(),
    queue: { run: (_kind, task) => task() },
    clock,
    firstCheckAfterMs: 1_000,
    logsBatchSize: 25,
    logsMaxWaitMs: 10_000,
    logsMinIntervalMs: 1_000,
    logsFallbackAfterMs: 30_000,
    pendingTimeoutMs: 120_000,
    onFatal: (e) => fatal.push(e),
    ...overrides,
  });
  return { clock, fake, tracker, fatal };
}

function trackAll(tracker: ReturnType<typeof setup>['tracker'], ids: string[], at: number): Map<string, JobOutcome> {
  const outcomes = new Map<string, JobOutcome>();
  for (const id of ids) void tracker.track(id, at).then((o) => outcomes.set(id, o));
  return outcomes;
}

describe('createJobTracker', () => {
  it('settles a batch of jobs with one write-logs call and no status checks', async () => {
    const { clock, fake, tracker } = setup();
    const ids = Array.from({ length: 30 }, (_, i) => `job-${i}`);
    ids.forEach((id) => fake.add(id, clock.now() + 800));
    const outcomes = trackAll(tracker, ids, clock.now());
    await clock.advance(1_500);
    expect(outcomes.size).toBe(30);
    expect([...outcomes.values()].every((o) => o.kind === 'final' && o.writeStatus === 'SUCCESS')).toBe(true);
    expect(fake.logsCalls).toBe(1);
    expect(fake.statusCalls).toBe(0);
  });

  it('waits for a batch before reading logs, unless the oldest job has waited long enough', async () => {
    const { clock, fake, tracker } = setup();
    fake.add('a', clock.now() + 500);
    const outcomes = trackAll(tracker, ['a'], clock.now());
    await clock.advance(5_000);
    expect(fake.logsCalls).toBe(0);
    await clock.advance(7_000);
    expect(fake.logsCalls).toBe(1);
    expect(outcomes.get('a')).toEqual({ kind: 'final', writeStatus: 'SUCCESS', errors: [] });
  });

  it('reads logs at once for what is left when no more updates are coming', async () => {
    const { clock, fake, tracker } = setup();
    fake.add('a', clock.now() + 500);
    const outcomes = trackAll(tracker, ['a'], clock.now());
    tracker.draining();
    await clock.advance(1_200);
    expect(fake.logsCalls).toBe(1);
    expect(outcomes.get('a')?.kind).toBe('final');
  });

  it('takes FAILURE from logs with its PMS error, and confirms a SUCCESS with an error through write status', async () => {
    const { clock, fake, tracker } = setup();
    fake.add('failed', clock.now() + 100, 'FAILURE', 'Entrata: Lead is locked');
    fake.add('partial', clock.now() + 100, 'PARTIAL_SUCCESS', 'MoveInDate ignored');
    const outcomes = trackAll(tracker, ['failed', 'partial'], clock.now());
    tracker.draining();
    await clock.advance(3_000);
    expect(outcomes.get('failed')).toEqual({ kind: 'final', writeStatus: 'FAILURE', errors: ['Entrata: Lead is locked'] });
    expect(outcomes.get('partial')).toEqual({ kind: 'final', writeStatus: 'PARTIAL_SUCCESS', errors: ['MoveInDate ignored'] });
    expect(fake.statusCalls).toBe(1);
  });

  it('gives up logs that never show our job ids and settles through write status', async () => {
    const { clock, fake, tracker } = setup();
    fake.logsIdPrefix = 'other-';
    const ids = Array.from({ length: 30 }, (_, i) => `job-${i}`);
    ids.forEach((id) => fake.add(id, clock.now() + 100));
    const outcomes = trackAll(tracker, ids, clock.now());
    await clock.advance(60_000);
    expect(outcomes.size).toBe(30);
    expect(fake.logsCalls).toBe(3);
    expect(fake.statusCalls).toBe(30);
  });

  it('polls write status with a growing interval when logs are off', async () => {
    const { clock, fake, tracker } = setup({ useWriteLogs: false, maxCheckIntervalMs: 8_000 });
    fake.add('slow', clock.now() + 20_000);
    const outcomes = trackAll(tracker, ['slow'], clock.now());
    await clock.advance(25_000);
    expect(outcomes.get('slow')?.kind).toBe('final');
    // Checks at 1 s, 2 s, 4 s, 8 s, 16 s, 24 s after acceptance: 6, where a fixed 1 s poll would make 20.
    expect(fake.statusCalls).toBeLessThanOrEqual(7);
    expect(fake.logsCalls).toBe(0);
  });

  it('ends a job that stays pending past the time limit as pending', async () => {
    const { clock, fake, tracker } = setup({ pendingTimeoutMs: 20_000 });
    fake.add('stuck', Number.POSITIVE_INFINITY);
    const outcomes = trackAll(tracker, ['stuck'], clock.now());
    await clock.advance(21_000);
    expect(outcomes.get('stuck')).toEqual({ kind: 'pending' });
    expect(tracker.size).toBe(0);
  });

  it('ends a job write status does not know (404 twice) as not found, and takes one 404 as a hiccup', async () => {
    const { clock, fake, tracker } = setup({ useWriteLogs: false });
    fake.unknown.add('gone');
    fake.add('late', clock.now() + 5_000);
    fake.hiccups.add('late');
    const outcomes = trackAll(tracker, ['gone', 'late'], clock.now());
    await clock.advance(10_000);
    expect(outcomes.get('gone')).toEqual({
      kind: 'not_found',
      message: expect.stringContaining('Propexo does not know job gone (HTTP 404'),
    });
    expect(outcomes.get('late')).toEqual({ kind: 'final', writeStatus: 'SUCCESS', errors: [] });
    expect(tracker.size).toBe(0);
  });

  it('reports a refused key once it shows up in a check', async () => {
    const { clock, fake, tracker, fatal } = setup({ useWriteLogs: false });
    fake.authFailure = true;
    fake.add('a', clock.now());
    trackAll(tracker, ['a'], clock.now());
    await clock.advance(1_500);
    expect(fatal[0]?.kind).toBe('auth');
  });

  // Propexo's document allows any string as a job id and promises no uniqueness (Prism's static
  // example answers "string" to every update). An id is followed once: the first update given it
  // is followed to its outcome, a later one ends `repeated` at once (its status cannot be told).
  it('settles both updates of two leads given the same job id: the first by its status, the later one as repeated', async () => {
    const { clock, fake, tracker } = setup();
    fake.add('same', clock.now() + 500, 'SUCCESS');
    const first = tracker.track('same', clock.now());
    const later = tracker.track('same', clock.now());
    const outcomes: JobOutcome[] = [];
    void first.then((o) => outcomes.push(o));
    void later.then((o) => outcomes.push(o));
    await clock.advance(200_000);
    // Long past the pending limit: a row whose promise is still open here never ends.
    expect(outcomes).toHaveLength(2);
    expect(await later).toEqual({ kind: 'repeated', message: expect.stringContaining('job id "same"') });
    expect(await first).toEqual({ kind: 'final', writeStatus: 'SUCCESS', errors: [] });
    expect(tracker.size).toBe(0);
  });

  it('ends a later update of the same lead given a job id already followed to its end as repeated, without asking again', async () => {
    const { clock, fake, tracker } = setup({ useWriteLogs: false });
    fake.add('same', clock.now() + 500, 'FAILURE', 'Entrata: lead locked');
    const first = tracker.track('same', clock.now());
    await clock.advance(5_000);
    expect(await first).toEqual({ kind: 'final', writeStatus: 'FAILURE', errors: ['Entrata: lead locked'] });
    const checks = fake.statusCalls;
    const later = tracker.track('same', clock.now());
    await clock.advance(200_000);
    expect(await later).toEqual({ kind: 'repeated', message: expect.stringContaining('job id "same"') });
    expect(fake.statusCalls).toBe(checks);
    expect(tracker.size).toBe(0);
  });

  it('resolves every followed job as pending on stop', async () => {
    const { clock, fake, tracker } = setup();
    fake.add('a', Number.POSITIVE_INFINITY);
    fake.add('b', Number.POSITIVE_INFINITY);
    const outcomes = trackAll(tracker, ['a', 'b'], clock.now());
    tracker.stop();
    await clock.advance(10);
    expect([...outcomes.values()]).toEqual([{ kind: 'pending' }, { kind: 'pending' }]);
    expect(await tracker.track('c', clock.now())).toEqual({ kind: 'pending' });
  });
});
