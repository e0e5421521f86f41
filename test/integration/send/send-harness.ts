// Shared by the send integration tests: lead files generated into a temp folder, simulators
// that close themselves after each test, and readers for what a run leaves behind (results
// file, error report, journal) and for what the simulator saw (its record).
import { afterEach } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import * as E from 'fp-ts/Either';
import {
  startSimulator,
  type RecordedRequest,
  type Simulator,
  type SimulatorEnvironment,
  type SimulatorOptions,
} from '../../../app/simulator/index.ts';
import { readJournal } from '../../../app/run/journal.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { RUNS_DIR } from '../../../app/run/run-store.ts';
import type { LiveRun, ResumeOptions, RunResult, SendOptions } from '../../../app/run/send-run.ts';
import type { RowRecord } from '../../../app/run/row-record.ts';
import { fastTracking } from '../../support/fast-tracking.ts';
import { EventClock } from '../../support/event-clock.ts';
import { countingFetch } from '../../support/counting-fetch.ts';

export { runCli, spawnCli, repoRoot } from '../cli/cli-harness.ts';

// ---- clean-up ----------------------------------------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

export async function tempDir(prefix = 'send'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `lead-import-${prefix}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A simulator on 127.0.0.1, closed after the test. */
export async function simulator(options: Partial<SimulatorOptions> = {}, environment: SimulatorEnvironment = {}): Promise<Simulator> {
  const sim = await startSimulator({ jobPendingMs: 50, successRate: 1, ...options }, environment);
  cleanups.push(() => sim.close());
  return sim;
}

// ---- lead files ---------------------------------------------------------------------------

export interface LeadRow {
  readonly leadId: string;
  /** Sent as first_name: the tests give each row its own value to recognise it in the record. */
  readonly firstName?: string;
  readonly status?: string;
  readonly beds?: string;
}

export const LEADS_HEADER = 'Lead ID,First Name,Status,Beds';

export async function writeLeads(path: string, rows: readonly LeadRow[]): Promise<string> {
  const lines = rows.map((r) => [r.leadId, r.firstName ?? '', r.status ?? '', r.beds ?? ''].join(','));
  await writeFile(path, `${LEADS_HEADER}\n${lines.join('\n')}\n`);
  return path;
}

/** The file row number of the i-th data row (the header is row 1). */
export const rowNumberOf = (index: number): number => index + 2;

/** The marker sent as first_name for a row, so the simulator's record names the row. */
export const markerOf = (rowNumber: number): string => `Row${rowNumber}`;

/** Gives every row that carries a marker the marker of its position in the file. */
export const remarked = (rows: readonly LeadRow[]): LeadRow[] =>
  rows.map((r, i) => (r.firstName !== undefined && /^Row\d+$/.test(r.firstName) ? { ...r, firstName: markerOf(rowNumberOf(i)) } : r));

/** `count` valid rows, each with its own marker; `leadOf(i)` chooses the lead of the i-th row. */
export function validRows(count: number, leadOf: (index: number) => string = (i) => `lead-${i + 1}`): LeadRow[] {
  return Array.from({ length: count }, (_, i) => ({
    leadId: leadOf(i),
    firstName: markerOf(rowNumberOf(i)),
    status: 'ACTIVE',
    beds: String(i % 4),
  }));
}

// ---- what the simulator saw ------------------------------------------------------------------

const bodyOf = (r: RecordedRequest): Record<string, unknown> =>
  typeof r.body === 'object' && r.body !== null && !Array.isArray(r.body) ? (r.body as Record<string, unknown>) : {};

/** The file row a recorded update came from (by its marker), or undefined. */
export function rowOfRequest(r: RecordedRequest): number | undefined {
  const name = bodyOf(r).first_name;
  const match = typeof name === 'string' ? /^Row(\d+)$/.exec(name) : null;
  return match ? Number(match[1]) : undefined;
}

export const updates = (sim: Simulator): RecordedRequest[] => sim.record.filter((r) => r.endpoint === 'update-lead');

/** File row → how many times an update from it was applied. */
export function appliedByRow(sim: Simulator): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of updates(sim)) {
    if (!r.applied) continue;
    const row = rowOfRequest(r);
    if (row !== undefined) counts.set(row, (counts.get(row) ?? 0) + 1);
  }
  return counts;
}

/** 429 answers of every endpoint. */
export function throttledCount(sim: Simulator): number {
  const counts = sim.counts();
  return (['update-lead', 'write-status', 'retry-write', 'write-logs', 'unknown'] as const).reduce(
    (n, e) => n + (counts[e]['429'] ?? 0),
    0,
  );
}

/**
 * When the client could first have known that `jobId` was final: the end of the first write-status
 * answer with a final status, or of the first write-logs answer listing the job.
 */
export function finalObservedAt(sim: Simulator, jobId: string): number | undefined {
  for (const r of sim.record) {
    if (r.finishedAt === null || r.status !== 200) continue;
    if (r.endpoint === 'write-status' && r.jobId === jobId) {
      const status = (r.response as { write_status?: string } | undefined)?.write_status;
      if (status !== undefined && status !== 'PENDING') return r.finishedAt;
    }
    if (r.endpoint === 'write-logs') {
      const logs = (r.response as { results?: { logs?: { job_id: string }[] } } | undefined)?.results?.logs ?? [];
      if (logs.some((l) => l.job_id === jobId)) return r.finishedAt;
    }
  }
  return undefined;
}

// ---- what the run left behind ---------------------------------------------------------------

export function parseCsv(text: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
}

export async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parseCsv(await readFile(path, 'utf8'));
}

/** Results file lines by file row number. */
export async function resultsByRow(path: string): Promise<Map<number, Record<string, string>>> {
  const lines = await readCsv(path);
  const byRow = new Map<number, Record<string, string>>();
  for (const line of lines) {
    const row = Number(line.import_row);
    if (byRow.has(row)) throw new Error(`${path}: row ${row} appears twice`);
    byRow.set(row, line);
  }
  return byRow;
}

export const runDir = (dataDir: string, runId: string): string => join(dataDir, RUNS_DIR, runId);

export async function journalOf(dataDir: string, runId: string): Promise<JournalEntry[]> {
  const read = await readJournal(runDir(dataDir, runId), { repair: false });
  if (E.isLeft(read)) throw new Error(read.left.message);
  return read.right.entries;
}

/** Rows with an `accepted` entry in the journal. */
export const acceptedRows = (entries: readonly JournalEntry[]): Set<number> =>
  new Set(entries.flatMap((e) => (e.t === 'accepted' ? [e.row] : [])));

export function summaryOf(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/** Resolves when `predicate` holds, checking every few ms; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Awaits a run started through the API. */
export async function finished(run: E.Either<{ readonly message: string }, LiveRun>): Promise<RunResult> {
  if (E.isLeft(run)) throw new Error(run.left.message);
  return run.right.done;
}

export { fastTracking } from '../../support/fast-tracking.ts';

// ---- runs through the API (app/run/send-run.ts) ---------------------------------------------

export const API_KEY = 'sk_test_integration-key-0042';

export interface ApiRunPaths {
  readonly dataDir: string;
  readonly resultsPath: string;
  readonly errorsPath: string;
}

export const apiPaths = (dir: string, name = 'run'): ApiRunPaths => ({
  dataDir: join(dir, 'data'),
  resultsPath: join(dir, `${name}-results.csv`),
  errorsPath: join(dir, `${name}-errors.csv`),
});

/** startSend against `sim` with test-sized windows, tracking and backoff; `options` override. */
export function sendOptions(sim: Simulator, path: string, paths: ApiRunPaths, options: Partial<SendOptions> = {}): SendOptions {
  return {
    path,
    environment: sim.url,
    token: API_KEY,
    ...paths,
    rate: sim.options.rateLimit,
    windowMs: sim.options.windowMs,
    tracking: fastTracking,
    backoff: { baseMs: 20, capMs: 200, maxRetries: 6 },
    ...options,
  };
}

/** resumeSend/recheckRun/retryRun options matching `sendOptions`. */
export function resumeOptions(sim: Simulator, runId: string, paths: ApiRunPaths, options: Partial<ResumeOptions> = {}): ResumeOptions {
  return {
    runId,
    environment: sim.url,
    token: API_KEY,
    ...paths,
    rate: sim.options.rateLimit,
    windowMs: sim.options.windowMs,
    tracking: fastTracking,
    backoff: { baseMs: 20, capMs: 200, maxRetries: 6 },
    ...options,
  };
}

// ---- one virtual clock for a run and its simulator -----------------------------------------

export interface SharedTime {
  readonly sim: Simulator;
  readonly clock: EventClock;
  /** For startSend/resumeSend: the clock, and what tells it when a request is on its way. */
  readonly runOptions: Pick<SendOptions, 'clock' | 'fetch' | 'onRow'>;
}

/**
 * A simulator whose clock the run shares (test/support/event-clock.ts). Time stands still while
 * a request is on its way: an update from its grant (its row turns 'sending', then the journal
 * is flushed) until the server has counted it and waits out its latency, and an answer from the
 * moment it is sent until the client has its headers. So the rate windows the tests assert on
 * are exact, whatever the machine is doing. Meant for runs whose requests all reach the server
 * (a fetch that fails is simply no longer on its way).
 */
export async function simulatorInSharedTime(
  options: Partial<SimulatorOptions> = {},
  environment: SimulatorEnvironment = {},
  /** What carries the requests (a test can hold them up on their way). */
  transport: typeof globalThis.fetch = globalThis.fetch,
): Promise<SharedTime> {
  const attemptsSeen = new Map<number, number>();
  let updatesGranted = 0;
  const traffic = countingFetch(transport);
  let record: readonly RecordedRequest[] = [];
  let firstOpen = 0;
  /** Requests the server has counted and holds for their latency: not on their way. */
  const heldByServer = (): number => {
    while (firstOpen < record.length && record[firstOpen].status !== 'in-flight') firstOpen++;
    let held = 0;
    for (let i = firstOpen; i < record.length; i++) if (record[i].status === 'in-flight' && record[i].delayedMs > 0) held++;
    return held;
  };
  const clock = new EventClock({ inTransit: () => updatesGranted > traffic.sent('PUT') || traffic.open() > heldByServer() });
  const sim = await simulator(options, { ...environment, now: () => clock.now(), sleep: (ms, signal) => clock.sleep(ms, signal) });
  record = sim.record;
  clock.start();
  cleanups.push(() => clock.stop());

  const onRow = (r: Readonly<RowRecord>): void => {
    if (r.outcome === 'sending' && r.attempts > (attemptsSeen.get(r.row) ?? 0)) {
      attemptsSeen.set(r.row, r.attempts);
      updatesGranted++;
    }
  };
  return { sim, clock, runOptions: { clock, fetch: traffic.fetch, onRow } };
}

export async function startOrThrow(started: Promise<E.Either<{ readonly message: string }, LiveRun>>): Promise<LiveRun> {
  const run = await started;
  if (E.isLeft(run)) throw new Error(run.left.message);
  return run.right;
}
