// npm run bench:send — the send engine against the simulator with a short rate window (the
// 60 s minute scaled down), realistic latency, the 80% slowdown and jobs that take seconds.
// Reports, measured in one run each:
//   budget use      requests answered ÷ budget available while rows were being sent (≥ 0.95)
//   429 after w1    429 answers after the first window (target 0), in real time: where the
//                   trip from grant to the server's window takes what the machine gives it (the
//                   integration tests assert it on one virtual clock, test/integration/send/throttling)
//   checks / row    write-status + write-logs requests per row (≤ 0.05 with write logs)
//   requests / row  every request per row in a run without faults (≤ 1.1)
//   rows / min      rows finished per minute ÷ the ideal (the budget at one request per row)
// and the same run with write logs disabled, for comparison, and with a client that is not told
// the contract (it starts from 150 and learns the limit from the answers).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { sendFile, type RunResult } from '../../app/run/send-run.ts';
import type { ConnectionOptions } from '../../app/run/run-context.ts';
import { startSimulator, type SimulatorOptions } from '../../app/simulator/index.ts';
import { writeBenchLeads } from './send-bench-leads.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 600);
const RATE_LIMIT = 60;
const WINDOW_MS = 2_000;
/** Propexo slows answers by ~2 s of its 60 s window from 80% on: the same share of ours. */
const SLOWDOWN_MS = Math.round((2_000 * WINDOW_MS) / 60_000);

const simulatorOptions: Partial<SimulatorOptions> = {
  seed: 11,
  rateLimit: RATE_LIMIT,
  windowMs: WINDOW_MS,
  slowdownFrom: 0.8,
  slowdownMs: SLOWDOWN_MS,
  latencyMs: 30,
  jobPendingMs: [500, 2_000],
  // No faults and no failed or partial jobs: the run measures the engine, not the PMS.
  successRate: 1,
};

interface Measured {
  readonly label: string;
  readonly summary: RunResult;
  readonly seconds: number;
  readonly sendingSeconds: number;
  readonly budgetUse: number;
  readonly budgetUseWhole: number;
  readonly late429: number;
  /** Time, while sending, between a server window's end and the next one's opening. */
  readonly idleBetweenWindowsMs: number;
  readonly statusPerRow: number;
  readonly logsPerRow: number;
  readonly requestsPerRow: number;
  readonly rowsPerMinute: number;
  readonly idealRowsPerMinute: number;
}

/** Production's job-tracking timings (2 s first check, 15 s batch wait, 45 s fallback…) ÷ 30. */
const MINIATURE = 60_000 / WINDOW_MS;
const miniatureTracking: ConnectionOptions['tracking'] = {
  firstCheckAfterMs: 2_000 / MINIATURE,
  logsMaxWaitMs: 15_000 / MINIATURE,
  logsMinIntervalMs: 2_000 / MINIATURE,
  logsFallbackAfterMs: 45_000 / MINIATURE,
  maxCheckIntervalMs: 30_000 / MINIATURE,
};

interface Scenario {
  readonly label: string;
  readonly useWriteLogs: boolean;
  readonly simulator?: Partial<SimulatorOptions>;
  readonly tracking?: ConnectionOptions['tracking'];
  /** The rate the client starts from. Default: the contract's. */
  readonly clientRate?: number;
}

async function measure(scenario: Scenario): Promise<Measured> {
  const { label, useWriteLogs } = scenario;
  const dir = await mkdtemp(join(tmpdir(), 'bench-send-'));
  const sim = await startSimulator({ ...simulatorOptions, ...scenario.simulator });
  try {
    const file = await writeBenchLeads(join(dir, 'leads.csv'), ROWS);
    const started = Date.now();
    const run = await sendFile({
      path: file,
      environment: sim.url,
      token: 'bench-token-not-secret',
      dataDir: join(dir, 'data'),
      // What a user would pass: their contract's rate; the window is the scaled minute.
      rate: scenario.clientRate ?? RATE_LIMIT,
      windowMs: WINDOW_MS,
      useWriteLogs,
      ...(scenario.tracking ? { tracking: scenario.tracking } : {}),
    });
    if (E.isLeft(run)) throw new Error(run.left.message);
    const summary = await run.right.done;
    const seconds = (Date.now() - started) / 1000;
    if (summary.succeeded !== ROWS) throw new Error(`${label}: ${summary.succeeded} of ${ROWS} rows succeeded`);

    const record = sim.record;
    const counted = record.filter((r) => r.status !== 429 && r.status !== 401);
    const firstAt = record[0].at;
    const lastUpdateAt = Math.max(...record.filter((r) => r.endpoint === 'update-lead').map((r) => r.at));
    const lastAt = Math.max(...record.map((r) => r.at));
    // Budget available from the first request to the last update sent: the span in which the
    // budget, not the jobs' own pending time, decides how fast the run goes. The simulator's
    // windows follow each other at a fixed period from the first request; only the windows
    // that ended before the last update count: in the last one the run ran out of rows to
    // send, not of budget.
    const sendingMs = lastUpdateAt - firstAt;
    const windowsSending = Math.max(1, Math.floor(sendingMs / WINDOW_MS));
    const countedWhileSending = counted.filter((r) => r.at < firstAt + windowsSending * WINDOW_MS).length;
    const windowsWhole = Math.ceil((lastAt - firstAt) / WINDOW_MS + 1e-9);
    // Budget nobody used: in each full window while sending, the time from its start to its
    // first request.
    let idleBetweenWindowsMs = 0;
    for (let w = 1; w < windowsSending; w++) {
      const start = firstAt + w * WINDOW_MS;
      const first = record.find((r) => r.at >= start);
      if (first) idleBetweenWindowsMs += Math.min(WINDOW_MS, first.at - start);
    }
    const counts = sim.counts();
    const total = (endpoint: 'write-status' | 'write-logs'): number => Object.values(counts[endpoint]).reduce((a, b) => a + b, 0);
    const idealRowsPerMinute = (RATE_LIMIT * 60_000) / WINDOW_MS;
    return {
      label,
      summary,
      seconds,
      sendingSeconds: sendingMs / 1000,
      budgetUse: countedWhileSending / (windowsSending * RATE_LIMIT),
      budgetUseWhole: counted.length / (windowsWhole * RATE_LIMIT),
      late429: record.filter((r) => r.status === 429 && r.at >= firstAt + WINDOW_MS).length,
      idleBetweenWindowsMs,
      statusPerRow: total('write-status') / ROWS,
      logsPerRow: total('write-logs') / ROWS,
      requestsPerRow: record.length / ROWS,
      rowsPerMinute: (ROWS / seconds) * 60,
      idealRowsPerMinute,
    };
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const f2 = (n: number): string => n.toFixed(2);
const f3 = (n: number): string => n.toFixed(3);

process.stdout.write(
  `bench:send — ${ROWS} rows; simulator ${RATE_LIMIT} requests / ${WINDOW_MS} ms window, slowdown ${SLOWDOWN_MS} ms from 80%, ` +
    `latency ${simulatorOptions.latencyMs} ms, jobs pending 500–2000 ms\n`,
);
const withLogs = await measure({ label: 'write logs', useWriteLogs: true });
const withoutLogs = await measure({ label: 'logs disabled', useWriteLogs: false });
// Everything that is time in production divided by 30 (jobs of 0.5–2 s become 17–67 ms, the
// tracker's timings too): the 60 s minute in miniature, where checks queue behind updates for
// as long, relative to the window, as they do in production.
const miniature = await measure({
  label: 'minute ÷30',
  useWriteLogs: true,
  simulator: { jobPendingMs: [Math.round(500 / MINIATURE), Math.round(2_000 / MINIATURE)] },
  tracking: miniatureTracking,
});
const learning = await measure({ label: 'starts at 150', useWriteLogs: true, clientRate: 150 });
const runs = [withLogs, withoutLogs, miniature, learning];

const cells = (value: (m: Measured) => string): string[] => runs.map(value);
const rows: string[][] = [
  ['metric', ...cells((m) => m.label), 'target'],
  ['budget use while sending', ...cells((m) => f3(m.budgetUse)), '≥ 0.95'],
  ['budget use, whole run', ...cells((m) => f3(m.budgetUseWhole)), '(report)'],
  ['429 after the first window', ...cells((m) => String(m.late429)), '0'],
  ['  budget idle between windows (s)', ...cells((m) => f2(m.idleBetweenWindowsMs / 1000)), ''],
  ['status + logs requests / row', ...cells((m) => f3(m.statusPerRow + m.logsPerRow)), '≤ 0.05 with logs'],
  ['  write-status / row', ...cells((m) => f3(m.statusPerRow)), ''],
  ['  write-logs / row', ...cells((m) => f3(m.logsPerRow)), ''],
  ['total requests / row', ...cells((m) => f3(m.requestsPerRow)), '≤ 1.1'],
  ['rows / min (whole run)', ...cells((m) => m.rowsPerMinute.toFixed(0)), ''],
  ['  ÷ ideal (budget at 1 request/row)', ...cells((m) => f2(m.rowsPerMinute / m.idealRowsPerMinute)), '(report)'],
  ['  ÷ ideal at measured requests/row', ...cells((m) => f2((m.rowsPerMinute * m.requestsPerRow) / m.idealRowsPerMinute)), '(report)'],
  ['run time / sending time (s)', ...cells((m) => `${f2(m.seconds)} / ${f2(m.sendingSeconds)}`), ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r: readonly string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
process.stdout.write(`\n${rows.map(line).join('\n')}\n`);
const requests = (m: Measured): string =>
  `${m.label}: ${m.summary.requests.update} updates, ${m.summary.requests.status} status, ${m.summary.requests.logs} logs, ${m.summary.requests.throttled} throttled`;
process.stdout.write(`\n${runs.map(requests).join('\n')}\n`);
