// Runs through the service's handlers: practice runs against the service's practice simulator
// (on a worker thread of its own), and
// "Sandbox" runs against a test simulator (the service's `servers` override) so a test can see
// exactly what was sent, follow jobs across a resume, and retry failed writes.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { createRuns } from '../../../app/desktop/runs.ts';
import type { ProductionConfirmation, RunProgressView, RunRowView, RunSummaryView } from '../../../app/shared/views.ts';
import { RESULTS_COLUMNS } from '../../../app/report/results-file.ts';
import {
  bridgeError,
  FAST_PRACTICE,
  finished,
  makeService,
  MIXED,
  readCsv,
  SANDBOX_KEY,
  sandboxSimulator,
  tempDir,
  validLines,
  writeCsv,
  type TestService,
} from './desktop-harness.ts';
import { countingFetch } from '../../support/counting-fetch.ts';
import { hashFile as realHash } from '../../../app/run/file-hash.ts';

const PRODUCTION_KEY = 'prd_live_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const TRACKING = { firstCheckAfterMs: 20, logsMinIntervalMs: 50, logsMaxWaitMs: 200 };

type Update = { runId: string; rows: RunRowView[]; progress: RunProgressView };

const updatesOf = (t: TestService, runId: string) =>
  t.events
    .filter((e) => e.event === 'run:update' && (e.payload as Update).runId === runId)
    .map((e) => ({ ...(e.payload as Update), at: e.at }));

const finishedCount = (t: TestService, runId: string): number =>
  t.events.filter((e) => e.event === 'run:finished' && (e.payload as { runId: string }).runId === runId).length;

async function finishedAgain(t: TestService, runId: string, times: number): Promise<RunSummaryView> {
  await vi.waitFor(() => expect(finishedCount(t, runId)).toBe(times), { timeout: 20_000, interval: 20 });
  const all = t.events.filter((e) => e.event === 'run:finished' && (e.payload as { runId: string }).runId === runId);
  return (all.at(-1)?.payload as { summary: RunSummaryView }).summary;
}

async function checkedImport(t: TestService, path: string): Promise<string> {
  const { importId } = await t.h['import:open']({ path, options: {} });
  await t.h['import:validate']({ importId });
  return importId;
}

async function rowNumbers(t: TestService, runId: string, filter: Parameters<TestService['h']['run:rows']>[0]['filter']) {
  const page = await t.h['run:rows']({ runId, filter, offset: 0, limit: 1000 });
  return { total: page.total, rows: page.rows.map((r) => r.rowNumber) };
}

describe('a practice run', () => {
  it('goes to the service’s one practice simulator, on a worker thread of its own (a fresh one if that thread ended)', async () => {
    const runs = createRuns({
      dataDir: await tempDir(),
      getToken: async () => undefined,
      connection: FAST_PRACTICE,
      servers: {},
      batchIntervalMs: 50,
      emit: () => undefined,
      imports: {
        forRun: () => {
          throw new Error('no import here');
        },
      },
      confirmProduction: async () => false,
    });
    try {
      const first = await runs.practiceSimulator();
      // Its requests are answered off the service's thread: the service's event loop and heap carry the run alone.
      expect(first.threadId).toEqual(expect.any(Number));
      expect(first.threadId).not.toBe(threadId);
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await runs.practiceSimulator()).toBe(first);
      await first.close(); // as if its thread had ended
      const second = await runs.practiceSimulator();
      expect(second).not.toBe(first);
      expect(second.running).toBe(true);
    } finally {
      await runs.closeAll();
    }
  });

  it('sends row changes in batches, at most ~10 messages a second, every row ending in its final state', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(500));
    const t = await makeService();
    const importId = await checkedImport(t, path);
    const startedAt = performance.now();
    const { runId } = await t.h['run:start']({ importId, environment: 'practice', concurrency: 8, rate: 1000 });
    const summary = await finished(t, runId, 30_000);
    const elapsed = performance.now() - startedAt;

    expect(summary).toEqual({
      runId,
      rows: 500,
      valid: 500,
      invalid: 0,
      skipped: 0,
      sent: 500,
      succeeded: 500,
      unchanged: 0,
      partial: 0,
      failed: 0,
      rejected: 0,
      notFound: 0,
      ambiguous: 0,
      unknown: 0,
      pending: 0,
      notSent: 0,
      stoppedReason: null,
    });
    const updates = updatesOf(t, runId);
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    // The timer never flushes twice within the interval (only the final flush may come sooner).
    for (let i = 1; i < updates.length - 1; i++) expect(updates[i].at - updates[i - 1].at).toBeGreaterThanOrEqual(90);
    // Only changed rows, each once per message; the last word on every row is its final state.
    const last = new Map<number, RunRowView>();
    for (const update of updates) {
      const numbers = update.rows.map((r) => r.rowNumber);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const row of update.rows) last.set(row.rowNumber, row);
    }
    expect(last.size).toBe(500);
    for (const row of last.values()) expect(row).toMatchObject({ outcome: 'succeeded', httpStatus: 200, attempts: 1, errors: [] });
    expect(updates.at(-1)?.progress).toMatchObject({ state: 'finished', toSend: 500, done: 500, stoppedReason: null });
    expect(updates.at(-1)?.progress.counts.succeeded).toBe(500);
    // The summary comes after the last update.
    const finishedAt = t.events.findIndex((e) => e.event === 'run:finished');
    expect(t.events.findLastIndex((e) => e.event === 'run:update')).toBeLessThan(finishedAt);
  });

  it('shows every row of the file by outcome, and exports results and errors', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const t = await makeService();
    const importId = await checkedImport(t, path);
    const { runId } = await t.h['run:start']({ importId, environment: 'practice', concurrency: 2, rate: 1000 });
    const summary = await finished(t, runId);
    expect(summary).toMatchObject({ rows: 6, valid: 2, invalid: 3, skipped: 1, sent: 2, succeeded: 2, notSent: 0 });

    expect(await rowNumbers(t, runId, 'all')).toEqual({ total: 6, rows: [2, 3, 4, 5, 6, 7] });
    expect(await rowNumbers(t, runId, 'problems')).toEqual({ total: 3, rows: [3, 6, 7] });
    expect(await rowNumbers(t, runId, 'succeeded')).toEqual({ total: 2, rows: [2, 5] });
    expect(await rowNumbers(t, runId, 'skipped')).toEqual({ total: 1, rows: [4] });
    expect(await rowNumbers(t, runId, 'invalid')).toEqual({ total: 3, rows: [3, 6, 7] });
    expect(await rowNumbers(t, runId, 'failed')).toEqual({ total: 0, rows: [] });
    const paged = await t.h['run:rows']({ runId, filter: 'all', offset: 1, limit: 2 });
    expect(paged.rows).toEqual([
      {
        rowNumber: 3,
        leadId: 'lead-2',
        outcome: 'invalid',
        jobId: null,
        httpStatus: null,
        errors: ["Status: 'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean ACTIVE?"],
        attempts: 0,
      },
      {
        rowNumber: 4,
        leadId: 'lead-3',
        outcome: 'skipped',
        jobId: null,
        httpStatus: null,
        errors: ['nothing to change: no cell besides the lead id has a value to send'],
        attempts: 0,
      },
    ]);
    const progress = await t.h['run:progress']({ runId });
    expect(progress).toMatchObject({ state: 'finished', toSend: 2, done: 2, stoppedReason: null });
    expect(progress.counts).toMatchObject({ succeeded: 2, invalid: 3, skipped: 1, queued: 0 });
    expect(progress.requests.update).toBe(2);

    const resultsPath = join(dir, 'results.csv');
    expect(await t.h['run:exportResults']({ runId, path: resultsPath })).toEqual({ path: resultsPath });
    const results = await readCsv(resultsPath);
    expect(Object.keys(results[0])).toEqual([...RESULTS_COLUMNS]);
    expect(results.map((r) => [r.import_row, r.lead_id, r.outcome, r.http_status, r.attempts])).toEqual([
      ['2', 'lead-1', 'succeeded', '200', '1'],
      ['3', 'lead-2', 'invalid', '', '0'],
      ['4', 'lead-3', 'skipped', '', '0'],
      ['5', 'lead-1', 'succeeded', '200', '1'],
      ['6', '', 'invalid', '', '0'],
      ['7', 'lead-4', 'invalid', '', '0'],
    ]);
    expect(results[0].job_id).toMatch(/^job_/);

    const errorsPath = join(dir, 'run-errors.csv');
    await t.h['run:exportErrors']({ runId, path: errorsPath });
    const errors = await readCsv(errorsPath);
    expect(errors.map((r) => [r.import_row, r.import_stage, r['Lead ID'], r.import_errors])).toEqual([
      ['3', 'validation', 'lead-2', "Status: 'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean ACTIVE?"],
      ['4', 'validation', 'lead-3', 'nothing to change: no cell besides the lead id has a value to send'],
      ['6', 'validation', '', 'Lead ID: lead id is missing'],
      ['7', 'validation', 'lead-4', "Beds: 'x' is not a number"],
    ]);
  });
});

describe('what a run refuses', () => {
  it('refuses a file that changed on disk since it was checked: what is sent is what the person reviewed', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(3));
    const t = await makeService();
    const importId = await checkedImport(t, path);
    // Another row appears after the check (the export was still being written, say).
    await writeCsv(dir, 'leads.csv', validLines(4));
    const refused = await bridgeError(() => t.h['run:start']({ importId, environment: 'practice', concurrency: 4, rate: 1000 }));
    expect(refused.message).toBe(`${path} changed on disk since it was checked: check it again before sending.`);
    expect(await t.h['runs:list'](undefined)).toEqual([]);
  });

  it('refuses Production unless the person confirms it outside the page, and any environment without its key', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const noKeys = await makeService();
    const importId = await checkedImport(noKeys, path);
    const noKey = await bridgeError(() => noKeys.h['run:start']({ importId, environment: 'production', concurrency: 4, rate: 150 }));
    expect(noKey.message).toBe('No API key for Production: add it in Send settings, then start again.');
    const noSandboxKey = await bridgeError(() => noKeys.h['run:start']({ importId, environment: 'sandbox', concurrency: 4, rate: 150 }));
    expect(noSandboxKey.message).toBe('No API key for Sandbox: add it in Send settings, then start again.');

    // Without a way to ask, Production is refused; asked and declined, too.
    const sim = await sandboxSimulator(PRODUCTION_KEY);
    const unasked = await makeService({ servers: { production: sim.url } }, { production: PRODUCTION_KEY });
    const unaskedImport = await checkedImport(unasked, path);
    expect(
      await bridgeError(() => unasked.h['run:start']({ importId: unaskedImport, environment: 'production', concurrency: 4, rate: 150 })),
    ).toMatchObject({
      code: 'cancelled',
      message: 'Nothing was sent: sending to Production was not confirmed.',
    });
    const asked: ProductionConfirmation[] = [];
    const declined = await makeService(
      { servers: { production: sim.url }, confirmProduction: async (request) => (asked.push(request), false) },
      { production: PRODUCTION_KEY },
    );
    const declinedImport = await checkedImport(declined, path);
    expect(
      (await bridgeError(() => declined.h['run:start']({ importId: declinedImport, environment: 'production', concurrency: 4, rate: 150 })))
        .code,
    ).toBe('cancelled');
    expect(asked).toEqual([{ action: 'start', runId: null, fileName: 'leads.csv', rows: 2 }]);
    // Nothing was created, nothing reached the server.
    for (const t of [noKeys, unasked, declined]) {
      await expect(readdir(t.dataDir)).rejects.toThrow();
      expect(await t.h['runs:list'](undefined)).toEqual([]);
    }
    expect(sim.record).toEqual([]);
  });

  it('asks before every write to Production: start, resume, retry (not a re-check, which only reads)', async () => {
    const sim = await sandboxSimulator(PRODUCTION_KEY, { leadOutcomes: { 'lead-3': 'FAILURE' }, retrySuccessRate: 1, latencyMs: 15 });
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(5));
    const answers: boolean[] = [];
    const asked: ProductionConfirmation[] = [];
    const t = await makeService(
      {
        servers: { production: sim.url },
        connection: { windowMs: 1000, tracking: TRACKING },
        confirmProduction: async (request) => {
          asked.push(request);
          return answers.shift() ?? false;
        },
      },
      { production: PRODUCTION_KEY },
    );
    const importId = await checkedImport(t, path);
    answers.push(true);
    const { runId } = await t.h['run:start']({ importId, environment: 'production', concurrency: 1, rate: 1000 });
    // Stopped at once: the rest waits for a resume.
    t.h['run:cancel']({ runId });
    await finished(t, runId);
    const sent = (): number => sim.record.filter((r) => r.endpoint === 'update-lead' || r.endpoint === 'retry-write').length;
    const before = sent();
    expect(before).toBeLessThan(5);

    // Resume, declined: nothing is sent. Then confirmed.
    expect((await bridgeError(() => t.h['runs:resume']({ runId }))).code).toBe('cancelled');
    expect(sent()).toBe(before);
    answers.push(true);
    expect(await t.h['runs:resume']({ runId })).toEqual({ runId });
    expect(await finishedAgain(t, runId, 2)).toMatchObject({ succeeded: 4, failed: 1 });

    // Retry, declined: nothing is sent. Then confirmed.
    const afterResume = sent();
    expect((await bridgeError(() => t.h['run:retry']({ runId }))).code).toBe('cancelled');
    expect(sent()).toBe(afterResume);
    answers.push(true);
    expect(await t.h['run:retry']({ runId })).toEqual({ runId });
    expect(await finishedAgain(t, runId, 3)).toMatchObject({ succeeded: 5, failed: 0 });

    // A re-check only reads job statuses: no question.
    const questions = asked.length;
    expect(await t.h['runs:recheck']({ runId })).toEqual({ runId });
    expect(await finishedAgain(t, runId, 4)).toMatchObject({ succeeded: 5 });
    expect(asked.length).toBe(questions);
    expect(asked.map((a) => [a.action, a.runId, a.fileName])).toEqual([
      ['start', null, 'leads.csv'],
      ['resume', runId, 'leads.csv'],
      ['resume', runId, 'leads.csv'],
      ['retry', runId, 'leads.csv'],
      ['retry', runId, 'leads.csv'],
    ]);
  });

  it('refuses an import that is not checked, or that has nothing valid to send', async () => {
    const dir = await tempDir();
    const t = await makeService();
    const unchecked = await t.h['import:open']({ path: await writeCsv(dir, 'leads.csv', [...MIXED]), options: {} });
    const notChecked = await bridgeError(() =>
      t.h['run:start']({ importId: unchecked.importId, environment: 'practice', concurrency: 4, rate: 150 }),
    );
    expect(notChecked.message).toBe('Check leads.csv with its current mapping before you send it.');

    const bad = await checkedImport(t, await writeCsv(dir, 'bad.csv', ['Lead ID,Status', 'lead-1,Nope', ',ACTIVE', 'lead-3,']));
    const nothing = await bridgeError(() => t.h['run:start']({ importId: bad, environment: 'practice', concurrency: 4, rate: 150 }));
    expect(nothing.message).toBe(
      'Nothing to send: none of the 3 rows of bad.csv is valid (2 with errors, 1 with nothing to change). Fix the errors in Review first.',
    );
  });
});

describe('Sandbox runs (against a test simulator)', () => {
  it("reads each lead's current values first unless told not to: a second run of the same file changes nothing and sends nothing", async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY);
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(6));
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const importId = await checkedImport(t, path);
    const updates = (): number => sim.record.filter((r) => r.endpoint === 'update-lead').length;

    const first = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 2, rate: 600 });
    expect(await finished(t, first.runId)).toMatchObject({ valid: 6, succeeded: 6, unchanged: 0 });
    expect(updates()).toBe(6);
    // The run kept what each lead held before it, for undo.
    const journal = await readFile(join(t.dataDir, 'runs', first.runId, 'journal.jsonl'), 'utf8');
    expect(journal.split('\n').filter((line) => line.includes('"t":"before"'))).toHaveLength(6);

    const again = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 2, rate: 600 });
    expect(await finished(t, again.runId)).toMatchObject({ valid: 6, succeeded: 0, unchanged: 6 });
    expect(updates()).toBe(6);

    const unread = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 2, rate: 600, preview: false });
    expect(await finished(t, unread.runId)).toMatchObject({ valid: 6, succeeded: 6, unchanged: 0 });
    expect(updates()).toBe(12);
  });

  it('sends the fixed cell, not the file’s, and keeps the fix in the run for history and reports', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY);
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const importId = await checkedImport(t, path);
    await t.h['import:editCell']({ importId, rowNumber: 3, columnIndex: 2, value: 'COLD' });
    const { runId } = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 2, rate: 600 });
    // A later fix does not change the run under way.
    await t.h['import:editCell']({ importId, rowNumber: 7, columnIndex: 3, value: '4' });
    const summary = await finished(t, runId);
    expect(summary).toMatchObject({ valid: 3, invalid: 2, succeeded: 3 });
    expect(sim.updatesFor('lead-2').map((r) => r.body)).toEqual([{ first_name: 'Bob', status: 'COLD', desired_num_bedrooms: 3 }]);
    expect(sim.updatesFor('lead-4')).toEqual([]);

    const errorsPath = join(dir, 'errors.csv');
    await t.h['run:exportErrors']({ runId, path: errorsPath });
    expect((await readCsv(errorsPath)).map((r) => r.import_row)).toEqual(['4', '6', '7']);

    // Another session (history) reads the fix from the run.
    const later = await makeService({ dataDir: t.dataDir, servers: { sandbox: sim.url } }, { sandbox: SANDBOX_KEY });
    expect(await later.h['runs:open']({ runId })).toEqual(summary);
    expect((await later.h['run:rows']({ runId, filter: 'succeeded', offset: 0, limit: 10 })).rows.map((r) => r.rowNumber)).toEqual([
      2, 3, 5,
    ]);
  });

  it('pauses, resumes and cancels; a cancelled run resumes without sending any row twice', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, { latencyMs: 15 });
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(150));
    const traffic = countingFetch();
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING, fetch: traffic.fetch } },
      { sandbox: SANDBOX_KEY },
    );
    const importId = await checkedImport(t, path);
    const { runId } = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 1, rate: 1000 });
    await vi.waitFor(async () => expect((await t.h['run:progress']({ runId })).done).toBeGreaterThanOrEqual(5), {
      timeout: 10_000,
      interval: 20,
    });

    t.h['run:pause']({ runId });
    expect((await t.h['run:progress']({ runId })).state).toBe('paused');
    await vi.waitFor(() => expect(updatesOf(t, runId).at(-1)?.progress.state).toBe('paused'), { timeout: 2_000, interval: 10 });
    // Requests granted before the pause may still land: wait until none is on its way, then watch.
    await vi.waitFor(
      async () =>
        expect({ sending: (await t.h['run:progress']({ runId })).counts.sending, open: traffic.open() }).toEqual({ sending: 0, open: 0 }),
      {
        timeout: 20_000,
        interval: 10,
      },
    );
    const sentWhilePaused = sim.counts()['update-lead']['200'] ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.counts()['update-lead']['200'] ?? 0).toBe(sentWhilePaused);
    expect((await bridgeError(() => t.h['run:exportResults']({ runId, path: join(dir, 'r.csv') }))).message).toBe(
      `Run ${runId} is still going: export its results when it has ended (or cancel it).`,
    );
    // Another start of the same import is refused while this one goes.
    expect((await bridgeError(() => t.h['run:start']({ importId, environment: 'sandbox', concurrency: 1, rate: 1000 }))).message).toBe(
      `A run of leads.csv is already going (run ${runId}): let it end or cancel it first.`,
    );

    t.h['run:resume']({ runId });
    expect((await t.h['run:progress']({ runId })).state).toBe('running');
    await vi.waitFor(() => expect(sim.counts()['update-lead']['200'] ?? 0).toBeGreaterThan(sentWhilePaused + 3), {
      timeout: 10_000,
      interval: 20,
    });
    t.h['run:cancel']({ runId });
    const cancelled = await finished(t, runId);
    expect(cancelled.notSent).toBeGreaterThan(0);
    expect(cancelled.stoppedReason).toBeNull();
    expect((await t.h['run:progress']({ runId })).state).toBe('cancelled');
    expect((await rowNumbers(t, runId, 'not_sent')).total).toBe(cancelled.notSent);
    expect((await bridgeError(() => t.h['run:pause']({ runId }))).message).toBe(`Run ${runId} has already ended: nothing to pause.`);
    expect((await t.h['runs:list'](undefined)).map((r) => [r.runId, r.state])).toEqual([[runId, 'cancelled']]);

    expect(await t.h['runs:resume']({ runId })).toEqual({ runId });
    const resumed = await finishedAgain(t, runId, 2);
    expect(resumed).toMatchObject({ rows: 150, sent: 150, succeeded: 150, notSent: 0, pending: 0 });
    // Every lead got exactly one update.
    for (let i = 1; i <= 150; i++) expect(sim.updatesFor(`lead-${i}`).filter((r) => r.applied)).toHaveLength(1);
    expect((await t.h['runs:list'](undefined))[0]).toMatchObject({ runId, state: 'finished', rows: 150, outcomes: { succeeded: 150 } });
    expect((await bridgeError(() => t.h['runs:resume']({ runId }))).message).toBe(
      `Run ${runId} has finished: there is nothing to resume. Retry its failed rows, or re-check its pending jobs.`,
    );
  });

  it('retries failed writes in the same run, and re-checks its jobs', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, { leadOutcomes: { 'lead-3': 'FAILURE' }, retrySuccessRate: 1 });
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(5));
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const importId = await checkedImport(t, path);
    const { runId } = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 2, rate: 1000 });
    expect(await finished(t, runId)).toMatchObject({ succeeded: 4, failed: 1 });
    expect(await rowNumbers(t, runId, 'failed')).toEqual({ total: 1, rows: [4] });
    expect(await rowNumbers(t, runId, 'problems')).toEqual({ total: 1, rows: [4] });

    expect(await t.h['run:retry']({ runId })).toEqual({ runId });
    expect(await finishedAgain(t, runId, 2)).toMatchObject({ succeeded: 5, failed: 0 });
    expect(sim.counts()['retry-write']['200']).toBe(1);
    const row4 = (await t.h['run:rows']({ runId, filter: 'all', offset: 2, limit: 1 })).rows[0];
    expect(row4).toMatchObject({ rowNumber: 4, leadId: 'lead-3', outcome: 'succeeded' });
    expect(row4.jobId).not.toBe(sim.updatesFor('lead-3')[0].jobId);

    expect(await t.h['runs:recheck']({ runId })).toEqual({ runId });
    expect(await finishedAgain(t, runId, 3)).toMatchObject({ succeeded: 5, notSent: 0 });
    // Re-checking sends no update.
    expect(sim.counts()['update-lead']['200']).toBe(5);
  });
});

describe('history', () => {
  it('lists past runs and reopens one from its journal and file: rows, progress and reports', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const t = await makeService();
    const importId = await checkedImport(t, path);
    const { runId } = await t.h['run:start']({ importId, environment: 'practice', concurrency: 2, rate: 1000 });
    const summary = await finished(t, runId);
    const liveRows = await t.h['run:rows']({ runId, filter: 'all', offset: 0, limit: 10 });
    const liveResults = join(dir, 'live.csv');
    await t.h['run:exportResults']({ runId, path: liveResults });

    const later = await makeService({ dataDir: t.dataDir });
    const listed = await later.h['runs:list'](undefined);
    expect(listed).toEqual([
      {
        runId,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
        fileName: 'leads.csv',
        filePath: path,
        environment: 'practice',
        state: 'finished',
        rows: 6,
        outcomes: expect.objectContaining({ succeeded: 2, not_sent: 0 }) as unknown as Record<string, number>,
        undoOf: null,
        undoneBy: [],
      },
    ]);
    expect(await later.h['runs:open']({ runId })).toEqual(summary);
    expect(await later.h['run:rows']({ runId, filter: 'all', offset: 0, limit: 10 })).toEqual(liveRows);
    expect(await later.h['run:progress']({ runId })).toMatchObject({
      state: 'finished',
      toSend: 2,
      done: 2,
      counts: { succeeded: 2, invalid: 3, skipped: 1 },
    });
    const pastResults = join(dir, 'past.csv');
    await later.h['run:exportResults']({ runId, path: pastResults });
    expect(await readFile(pastResults, 'utf8')).toBe(await readFile(liveResults, 'utf8'));

    // The file changed since: the journal still shows what was sent; reports need the file.
    await writeFile(path, `${MIXED.join('\n')}\nlead-9,Zed,ACTIVE,1,\n`);
    const after = await makeService({ dataDir: t.dataDir });
    expect(await after.h['runs:open']({ runId })).toMatchObject({ rows: 6, succeeded: 2, sent: 2 });
    expect((await rowNumbers(after, runId, 'all')).rows).toEqual([2, 5]);
    expect((await bridgeError(() => after.h['run:exportErrors']({ runId, path: join(dir, 'x.csv') }))).message).toBe(
      `Cannot write the error report of run ${runId}: ${path} changed since the run: its reports need the file as the run read it.`,
    );
    expect((await bridgeError(() => after.h['runs:open']({ runId: '20260101-000000-zzzz' }))).message).toContain(
      'There is no run 20260101-000000-zzzz',
    );
  });
});

describe('run:start', () => {
  /** A hash that waits to be released (a big file being read), counting the calls. */
  function heldHash(fail?: Error) {
    let release: () => void = () => undefined;
    const held = { calls: 0, release: () => release() };
    const hashFile = async (path: string) => {
      held.calls++;
      await new Promise<void>((resolve) => (release = resolve));
      if (fail !== undefined) throw fail;
      return realHash(path);
    };
    return { held, hashFile };
  }

  it('answers at once with the run id and reports the preparation as progress, then the run goes', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(20));
    const { held, hashFile } = heldHash();
    const t = await makeService({ files: { hashFile } });
    const importId = await checkedImport(t, path);
    let answered: { runId: string } | undefined;
    void Promise.resolve(t.h['run:start']({ importId, environment: 'practice', concurrency: 4, rate: 1000 })).then(
      (answer) => (answered = answer),
    );
    await vi.waitFor(() => expect(held.calls).toBe(1), { timeout: 10_000, interval: 10 });
    // The file is still being hashed: the answer is there already.
    await vi.waitFor(() => expect(answered).toBeDefined(), { timeout: 5_000, interval: 10 });
    const runId = answered?.runId ?? '';
    expect(updatesOf(t, runId)[0]?.progress).toMatchObject({ state: 'running', preparing: 'checking', toSend: 20, done: 0 });
    expect(await t.h['run:progress']({ runId })).toMatchObject({ state: 'running', preparing: 'hashing', counts: { queued: 20 } });
    // Another start of the same import is refused meanwhile.
    expect((await bridgeError(() => t.h['run:start']({ importId, environment: 'practice', concurrency: 4, rate: 1000 }))).message).toBe(
      `A run of leads.csv is already going (run ${runId}): let it end or cancel it first.`,
    );
    held.release();
    const summary = await finished(t, runId);
    expect(summary).toMatchObject({ runId, succeeded: 20, stoppedReason: null });
    expect((await t.h['runs:list'](undefined)).map((r) => r.runId)).toEqual([runId]);
  });

  it('a run cancelled while it prepares sends nothing; one whose preparation fails says why', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(5));
    const { held, hashFile } = heldHash();
    const t = await makeService({ files: { hashFile } });
    const { runId } = await t.h['run:start']({
      importId: await checkedImport(t, path),
      environment: 'practice',
      concurrency: 4,
      rate: 1000,
    });
    t.h['run:cancel']({ runId });
    await vi.waitFor(() => expect(held.calls).toBe(1), { timeout: 10_000, interval: 10 });
    held.release();
    expect(await finished(t, runId)).toMatchObject({ sent: 0, notSent: 5 });
    expect((await t.h['run:progress']({ runId })).state).toBe('cancelled');

    const failing = heldHash(new Error('the disk went away'));
    const other = await makeService({ files: { hashFile: failing.hashFile } });
    const second = await other.h['run:start']({
      importId: await checkedImport(other, path),
      environment: 'practice',
      concurrency: 4,
      rate: 1000,
    });
    await vi.waitFor(() => expect(failing.held.calls).toBe(1), { timeout: 10_000, interval: 10 });
    failing.held.release();
    const refused = await finished(other, second.runId);
    expect(refused).toMatchObject({ sent: 0, notSent: 5, stoppedReason: 'Nothing was sent: the disk went away' });
    expect(await other.h['runs:open']({ runId: second.runId })).toEqual(refused);
    expect(await other.h['run:progress']({ runId: second.runId })).toMatchObject({
      state: 'stopped',
      stoppedReason: refused.stoppedReason,
    });
  });
});

describe('ended runs', () => {
  it('are released once another run ends, and read again from their journal on demand, the same', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const t = await makeService();
    const importId = await checkedImport(t, path);
    const first = await t.h['run:start']({ importId, environment: 'practice', concurrency: 2, rate: 1000 });
    const firstSummary = await finished(t, first.runId);
    const firstRows = await t.h['run:rows']({ runId: first.runId, filter: 'all', offset: 0, limit: 10 });
    const second = await t.h['run:start']({ importId, environment: 'practice', concurrency: 2, rate: 1000 });
    await finished(t, second.runId);
    // Released: the first run's file changed, and the service now reads the run from its journal (reports need the unchanged file).
    await writeFile(path, `${MIXED.join('\n')}\nlead-9,Zed,ACTIVE,1,\n`);
    expect((await bridgeError(() => t.h['run:exportErrors']({ runId: first.runId, path: join(dir, 'x.csv') }))).message).toContain(
      'changed since the run',
    );
    expect(await t.h['runs:open']({ runId: first.runId })).toEqual(firstSummary);
    expect(
      (await t.h['run:rows']({ runId: first.runId, filter: 'all', offset: 0, limit: 10 })).rows.map((r) => [r.rowNumber, r.outcome]),
    ).toEqual(firstRows.rows.filter((r) => r.outcome === 'succeeded').map((r) => [r.rowNumber, r.outcome]));
  });
});

describe('credentials:test', () => {
  it('tries the stored key with one cheap request and says what happened, never echoing the key', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY);
    const good = await makeService({ servers: { sandbox: sim.url } }, { sandbox: SANDBOX_KEY });
    expect(await good.h['credentials:test']({ environment: 'sandbox' })).toEqual({
      ok: true,
      message: 'The key works: Sandbox accepted it.',
    });
    expect(sim.record.map((r) => `${r.method} ${r.path}${r.search}`)).toEqual(['GET /v1/admin/logs/writes/?limit=1&offset=0']);

    const wrongKey = 'sbx_wrong_0000000000000';
    const wrong = await makeService({ servers: { sandbox: sim.url } }, { sandbox: wrongKey });
    const refused = await wrong.h['credentials:test']({ environment: 'sandbox' });
    expect(refused).toEqual({
      ok: false,
      message: 'Propexo refused the key (401): check that it is the Sandbox key and that it is still active.',
    });

    const none = await makeService({ servers: { sandbox: sim.url } });
    expect(await none.h['credentials:test']({ environment: 'sandbox' })).toEqual({
      ok: false,
      message: 'No API key is stored for Sandbox: add it in Send settings.',
    });

    const unreachable = await makeService({ servers: { production: 'http://127.0.0.1:9' } }, { production: SANDBOX_KEY });
    const away = await unreachable.h['credentials:test']({ environment: 'production' });
    expect(away.ok).toBe(false);
    expect(away.message).toMatch(/^Could not reach Propexo: /);

    for (const answer of [refused, away]) {
      expect(answer.message).not.toContain(SANDBOX_KEY);
      expect(answer.message).not.toContain(wrongKey);
    }
  });
});

describe('closing the service', () => {
  it('cancels live runs (they stay resumable), then refuses requests', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, { latencyMs: 15 });
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', validLines(200));
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const importId = await checkedImport(t, path);
    const { runId } = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 1, rate: 1000 });
    await vi.waitFor(() => expect(sim.counts()['update-lead']['200'] ?? 0).toBeGreaterThan(2), { timeout: 10_000, interval: 20 });
    await t.service.close();
    const summary = (t.events.find((e) => e.event === 'run:finished')?.payload as { summary: RunSummaryView }).summary;
    expect(summary.notSent).toBeGreaterThan(0);
    const refused = await bridgeError(() => t.h['runs:list'](undefined));
    expect(refused.code).toBe('unavailable');

    const next = await makeService(
      { dataDir: t.dataDir, servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    expect((await next.h['runs:list'](undefined))[0]).toMatchObject({ runId, state: 'cancelled' });
    await next.h['runs:resume']({ runId });
    expect(await finished(next, runId)).toMatchObject({ succeeded: 200, notSent: 0 });
  });
});
