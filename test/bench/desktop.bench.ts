// `npm run bench:desktop` (issue #19's evidence): the real desktop service
// (createDesktopService) in plain Node, its requests answered through main's own
// registerHandlers (main/ipc.ts: every argument decoded by the contract's codecs, every answer a
// Result), as the e2e harness binds them; only the contract's channels and events are used, so
// the bench survives a restructuring of the service's modules.
//
// On the benchmark generator's file at each row count (BENCH_ROWS=100000,1000000 by default):
// - check ÷ CLI: `import:open` + `import:validate` against `lead-import validate` as a whole
//   process, alternated (BENCH_ROUNDS, default 2), median of each;
// - review pages (`import:rows`, all rows, 100 a page) at the start, middle and end;
// - Send → first request: `run:start` answered, and the first request the run's fetch makes;
//   the bytes this process read from files meanwhile (/proc/self/io rchar, every thread; Linux);
//   against the service's practice simulator (BENCH_SIMULATOR=practice, the default, as a
//   person practising would; on its worker thread, so its heap is in this process's RSS) or a
//   simulator in a child process on 127.0.0.1
//   (BENCH_SIMULATOR=process, the run going to "Sandbox" pointed at it: the service's own
//   memory without the simulator's record);
// - live heap per row sent after GC (--expose-gc), once BENCH_RUN_ROWS rows are sent (default
//   50,000, at most the file's) or BENCH_RUN_SECONDS have passed (default 180; 0: no run), and
//   over its second half alone (from half those rows: each further row, without fixed costs such
//   as the practice simulator's schema and its bounded state); peak RSS of this process;
// - the largest 'run:update' message (JSON length), and how many;
// - cancel → 'run:finished';
// - the event loop's delay (perf_hooks monitorEventLoopDelay, max and p99) during the check,
//   the review pages and the run (the run's without this bench's own forced GCs), and the
//   longest of it the main thread spent CPU on ("busy": waiting for a core on a loaded machine is
//   not, nor the work of other threads: the practice simulator's, the check's second reader);
// Figures are printed (a markdown table, then one JSON line), not asserted (DEVELOPERS.md).
//
// Measured 2026-12-05 01:38–01:57 UTC (2 cores shared with three other sessions: `uptime` load
// 1.5–6.1, so raw maxima include waiting for a core; "busy" does not), one round, run until
// 50,000 rows are sent or BENCH_RUN_SECONDS (40 at 100,000 rows, 60 at 1,000,000). Before:
// af28571 with this bench (the practice simulator on the service's thread); after: its worker
// thread, the client's lighter redaction and timeouts, the check's slices. The run's event loop
// max / p99 / busy max, peak RSS, live heap per row sent (whole run / second half), check busy max:
//   100k practice  before 320 / 83 / 179 ms, 563 MB, 1406 / 215 B, 23 ms (load 6.1)
//                  after  234 / 49 /  59 ms, 485 MB,  692 / 162 B, 19 ms (load 5.1)
//   100k process   before 189 / 44 /  61 ms, 429 MB,  777 /  12 B, 19 ms (load 5.2)
//                  after   66 / 42 /  37 ms, 414 MB,  665 / 167 B, 22 ms (load 5.9)
//   1M practice    before 352 / 157 / 185 ms, 601 MB, 1858 / 843 B, 343 ms (load 1.5)
//                  after  141 / 55 /  35 ms, 608 MB,  687 / 132 B, 95 ms (load 2.8)
//   1M process     before 115 / 47 /  71 ms, 503 MB,  749 / 132 B, 341 ms (load 5.9)
//                  after  280 / 51 /  40 ms, 508 MB,  706 / 164 B, 95 ms (load 5.1)
//
// Measured 2026-12-05 02:03–02:28 UTC (load 0.6–5.8; the clean pairs at 0.6–1.5), 1M rows, one
// round, until 50,000 rows sent. Before: undici's fetch (BENCH_FETCH=global, on 0d1d16c);
// after: the client's node:http transport (app/propexo/http-fetch.ts). Run's loop max / p99 /
// busy max, peak RSS, the run's largest heap (heapTotal every 5 s), live heap per row sent (whole run /
// second half), seconds to 50,000 rows:
//   1M practice  before  94 / 26 / 81 ms, 567 MB, 313 MB, 673 / 209 B, 26 s (load 1.0–1.5)
//                after   31 / 25 / 19 ms, 453 MB, 176 MB, 541 / 110 B, 24 s (load 0.8–1.4)
//   1M process   before  60 / 23 / 44 ms, 496 MB, 302 MB, 670 / 130 B, 23 s (load 1.4–1.9)
//                after   28 / 26 / 16 ms, 431 MB, 246 MB, 524 /  76 B, 21 s (load 0.6–1.0)
// (3a550d3 at load 5.8: practice 561 MB, 689 / 119 B, 42 s.) Where the memory was (BENCH_MEMORY=1,
// BENCH_ALLOC=promoted, BENCH_HEAP_SNAPSHOT): after the check and its worker, RSS falls back to
// ~200–310 MB (heap 31 MB used of ~70, 22 MB of typed arrays); the run's live heap is only
// ~55–64 MB after GC, but undici's per-request objects were ~70% of the garbage promoted to the
// old generation, which V8 then let grow to ~300 MB between major GCs. Now the peak of the run is
// ~400–450 MB, the second check's (mapping changed, checked again) ~417 MB. The whole run's heap
// per row is fixed costs: the heap grows ~23 MB in the first half (compiled code ~4 MB, the
// run's copy of the row index, up to 2,000 rows in flight with their payloads, promises and
// signals) and ~2–3 MB in the second (76–110 B/row: job ids, row records, the tracker's ids).
// Until 150,000 rows sent (process, 77 s, load 1.0–2.4): 298 B/row over the whole run, 174 B over
// the second half, peak RSS 483 MB (the live heap 74 MB after GC, so V8 lets it reach ~309 MB).
//
// Measured 2026-12-05 02:38–02:58 UTC on main with every #19 change in (the check's slices of
// 4,096 rows from their own turn), machine otherwise idle (load 0.6–2.0: the bench's own threads):
//   BENCH_ROWS=100000,1000000 BENCH_ROUNDS=2 BENCH_RUN_SECONDS=60, practice:
//     check ÷ CLI 0.82 (100k) / 1.05 (1M; rounds 1.06 and 1.06); review pages ≤ 15 ms; Send →
//     first request 533 / 637 ms; run loop max 52 / 44 ms (busy 39 / 24); peak RSS 433 / 465 MB;
//     heap per row 521 / 545 B whole run (90 / −7 B second half); largest run:update 165 KB;
//     cancel → finished 237 / 236 ms; the 1M check's loop max 117 ms (busy 101) before the slices,
//     82–84 ms after (busy 58–71)
//   1M, until 200,000 rows sent (BENCH_RUN_ROWS=200000 BENCH_RUN_SECONDS=300), 2 rounds:
//     practice: check ÷ CLI 1.24 (rounds 1.24 and 1.13), check loop max 84 ms, run loop max 65 ms
//       (busy 37), heap per row 245 B whole run / 137 B second half, peak RSS 576 MB (over the
//       500 MB target: the practice thread's heap comes on top of the service's ~420 MB)
//     process (1 round): check ÷ CLI 1.13, check loop max 72 ms, run loop max 68 ms (busy 77),
//       heap per row 242 / 127 B, peak RSS 424 MB, cancel 303 ms
//
// Measured 2026-12-05 04:33–04:52 UTC (load 1.4–2.4, no other work but the bench's), after the
// rest of #19: the client's own body reading and abort listener, the job tracker's step without
// lists, the engine admitting rows as the queue takes them, the desktop heap policy
// (app/desktop/heap-policy.ts; BENCH_HEAP_POLICY=v8 without it), the worker's part copied in
// whole (two-thread-check.ts) and stream mode from the start for files far past the memory limit:
//   BENCH_ROWS=100000,1000000 BENCH_ROUNDS=3 BENCH_RUN_SECONDS=60, practice:
//     check ÷ CLI 0.82 (100k) / 0.90 (1M; rounds 0.92, 0.88, 0.99); check loop max 22 / 39 ms
//     (busy 12 / 25); review pages ≤ 14 ms; Send → first request 475 / 543 ms; run loop max
//     30 / 48 ms (busy 21 / 20); peak RSS 301 / 375 MB; heap per row 495 / 500 B whole run
//     (62 / 36 B second half); largest run:update 165 KB; cancel → finished 234 / 229 ms
//   1M, until 200,000 rows sent (BENCH_RUN_ROWS=200000 BENCH_RUN_SECONDS=300), 2 rounds:
//     practice: check ÷ CLI 1.03 and 0.84; run loop max 44 ms (busy 36); heap per row 221 B
//       whole run / 129 B second half; peak RSS 400 MB (392 MB in an earlier run; with
//       BENCH_HEAP_POLICY=v8 the same way: 533 MB)
//     process: peak RSS 369 MB, heap per row 207 / 109 B, cancel 230 ms
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ArgOf, Handlers, PayloadOf, RequestChannel, ResultOf } from '../../app/shared/contract-kit.ts';
import { contract, type ImporterContract } from '../../app/shared/contract.ts';
import { createDesktopService, type DesktopServiceDeps } from '../../app/desktop/service.ts';
import { applyDesktopHeapPolicy, desktopHeapFlags } from '../../app/desktop/heap-policy.ts';
import { registerHandlers, type InvokeEvent } from '../../main/ipc.ts';
import { isReferenceField } from '../../app/lookup/reference-resolver.ts';
import { httpFetch, type PropexoFetch } from '../../app/propexo/http-fetch.ts';
import type { ColumnMappingView } from '../../app/shared/views.ts';
import { fastPractice } from '../e2e/harness/practice.ts';
import { ShellStandIn } from '../e2e/harness/shell-stand-in.ts';
import { writeLeadCsv } from './lead-file-generator.ts';

const ROW_COUNTS = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RUN_SECONDS = Number(process.env.BENCH_RUN_SECONDS ?? 180);
/** The run is measured until this many rows are sent (or RUN_SECONDS pass): enough for heap per row to show. */
const RUN_ROWS = Number(process.env.BENCH_RUN_ROWS ?? 50_000);
const SIMULATOR = process.env.BENCH_SIMULATOR === 'process' ? 'process' : 'practice';
/**
 * The desktop's heap policy, applied as main applies it at startup (main/lifecycle.ts,
 * app/desktop/heap-policy.ts); BENCH_HEAP_POLICY=v8 leaves V8's own (the figures before it).
 */
const HEAP_POLICY = process.env.BENCH_HEAP_POLICY === 'v8' ? 'v8' : 'desktop';
if (HEAP_POLICY === 'desktop') applyDesktopHeapPolicy();
/** BENCH_PREVIEW=1: the run reads each lead's current values first (the app's default); the bench measures sending. */
const PREVIEW = process.env.BENCH_PREVIEW === '1';
const PAGE = 100;
const SIMULATOR_FLAGS = [
  '--rate',
  '10000',
  '--window-ms',
  '1000',
  '--pending-ms',
  '50',
  '--latency-ms',
  '0',
  '--success-rate',
  '1',
  '--seed',
  '7',
];

/**
 * BENCH_HEAP_PROFILE=file: V8's sampling heap profiler over the run's second half, written (after
 * GC) at its end: the allocation sites of what the second half added and kept (per row sent).
 * With BENCH_ALLOC=1, of everything it allocated, garbage included (what drives GC and peak RSS);
 * with BENCH_ALLOC=promoted, also the garbage that outlived the young generation (collected only
 * by a major GC: what grows the old generation between major GCs, and so the peak RSS).
 */
const HEAP_PROFILE = process.env.BENCH_HEAP_PROFILE;
async function heapSampling(): Promise<(() => Promise<void>) | null> {
  if (HEAP_PROFILE === undefined) return null;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error === null ? resolve(result) : reject(error))));
  const garbageToo = process.env.BENCH_ALLOC === '1';
  const promotedToo = garbageToo || process.env.BENCH_ALLOC === 'promoted';
  await post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: promotedToo,
    includeObjectsCollectedByMinorGC: garbageToo,
  });
  return async () => {
    const { profile } = (await post('HeapProfiler.getSamplingProfile')) as { profile: unknown };
    await post('HeapProfiler.stopSampling');
    session.disconnect();
    writeFileSync(HEAP_PROFILE, JSON.stringify(profile));
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench:desktop needs --expose-gc (npm run bench:desktop passes it)');
const collect = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/**
 * BENCH_MEMORY=1: this process's memory at each phase's end (RSS now and its peak so far, the
 * main heap, external and ArrayBuffer memory), to find which phase sets the peak RSS.
 */
const TRACE_MEMORY = process.env.BENCH_MEMORY === '1';
/** BENCH_HEAP_SNAPSHOT=prefix: heap snapshots (after GC) before the run and at its end, prefix-before/end.heapsnapshot. */
const HEAP_SNAPSHOT = process.env.BENCH_HEAP_SNAPSHOT;
function snapshot(phase: string): void {
  if (HEAP_SNAPSHOT !== undefined) writeHeapSnapshot(`${HEAP_SNAPSHOT}-${phase}.heapsnapshot`);
}
function traceMemory(phase: string): void {
  if (!TRACE_MEMORY) return;
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;
  const usage = process.memoryUsage();
  // Threads (Linux): a worker left running (the check's second reader) would show here.
  const threads = existsSync('/proc/self/task') ? `, ${readdirSync('/proc/self/task').length} threads` : '';
  process.stdout.write(
    `  memory ${phase}: RSS ${mb(usage.rss)} (peak ${mb(process.resourceUsage().maxRSS * 1024)}), heap ${mb(usage.heapUsed)} of ${mb(usage.heapTotal)}, external ${mb(usage.external)}, array buffers ${mb(usage.arrayBuffers)}${threads}\n`,
  );
}

/** The event loop's delay over one phase, in ms. */
interface LoopDelay {
  readonly maxMs: number;
  readonly p99Ms: number;
  /** Samples taken (one per 10 ms): none means the phase was shorter than one. */
  readonly samples: number;
  /**
   * The longest delay this thread spent CPU on: per 10 ms timer, the lesser of its lateness and
   * the CPU time the main thread used meanwhile (mainThreadCpuMs). On a loaded machine a niced
   * process waits for a core too; that wait is in maxMs, not here.
   */
  readonly maxBusyMs: number;
}

/**
 * CPU time of this (the main) thread so far, in ms: Linux's schedstat of the thread whose id is
 * the process's (ns on a core, GC pauses included). Not process.cpuUsage(): it counts every
 * thread, and the practice simulator's worker and the check's second reader work beside the
 * event loop without blocking it. Elsewhere (no /proc), the whole process's, an upper bound.
 */
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const threadClock = existsSync(schedstat);
function mainThreadCpuMs(): number {
  if (threadClock) return Number(readFileSync(schedstat, 'latin1').split(' ')[0]) / 1e6;
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}
function watchLoop(): () => Promise<LoopDelay> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let maxBusyMs = 0;
  let stopped = false;
  let expected = performance.now() + 10;
  let cpuAt = mainThreadCpuMs();
  const tick = (): void => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    maxBusyMs = Math.max(maxBusyMs, Math.min(now - expected, cpu - cpuAt));
    cpuAt = cpu;
    expected = performance.now() + 10;
    if (!stopped) setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
  return async () => {
    // The phase's last block (the end of a check) is recorded only when the histogram's timer
    // fires after it: let it, before stopping.
    await sleep(30);
    stopped = true;
    histogram.disable();
    return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, samples: histogram.count, maxBusyMs };
  };
}

/**
 * Phases measured apart taken as one: the largest delay, and the worst phase's p99 (an upper
 * bound of the whole's). The run is measured in phases so that this bench's own forced GCs
 * (heap after GC at half and at the end: hundreds of ms on a big heap) are not counted as the
 * service's blocks.
 */
function combined(...phases: readonly LoopDelay[]): LoopDelay {
  return {
    maxMs: Math.max(...phases.map((p) => p.maxMs)),
    p99Ms: Math.max(...phases.map((p) => p.p99Ms)),
    samples: phases.reduce((sum, p) => sum + p.samples, 0),
    maxBusyMs: Math.max(...phases.map((p) => p.maxBusyMs)),
  };
}

/** Bytes this process has read through read(2) and the like (every thread), or null off Linux. */
function bytesReadSoFar(): number | null {
  try {
    const match = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

const ms = (n: number | null): string => (n === null ? '–' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall time and CPU time (user + system, every thread) of one step, in ms. */
interface Timed {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * `lead-import validate` as a whole process (niced like this one, if this one is), under
 * /usr/bin/time for its CPU time: on a loaded machine CPU time compares better than wall time.
 */
function cliValidate(file: string, errors: string): Timed {
  const start = performance.now();
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', 'cpu_s=%U+%S', process.execPath, 'bin/lead-import.mjs', 'validate', file, '--json', '--errors', errors],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const wallMs = performance.now() - start;
  const summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { rows?: number };
  if (summary.rows === undefined) throw new Error(`lead-import validate gave no summary: ${result.stderr}`);
  const cpu = /cpu_s=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  if (cpu === null) throw new Error(`no CPU time reading: ${result.stderr}`);
  return { wallMs, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 };
}

/** app/simulator/cli.ts in a child process; resolves with its URL once it listens. */
async function startSimulatorProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/simulator/cli.ts', '--quiet', ...SIMULATOR_FLAGS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.pid !== undefined) setPriority(child.pid, 19);
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (match !== null) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before listening: ${text}`)));
  });
  return {
    url,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** The run's figures (none with BENCH_RUN_SECONDS=0). */
interface RunFigures {
  readonly simulator: string;
  readonly runStartAnsweredMs: number;
  readonly firstRequestMs: number | null;
  /** Bytes read from files between Send and the first request (null off Linux, or no request). */
  readonly bytesReadToFirstRequest: number | null;
  readonly loopRun: LoopDelay;
  readonly rowsSent: number;
  /** How long the run was measured (Send → the last heap reading). */
  readonly runSeconds: number;
  /** Heap after GC at the end of the run window less before `run:start`, ÷ rows sent. */
  readonly heapPerRowSentBytes: number | null;
  /** The same over the window's second half only: what each further row costs, without the run's fixed costs (the practice simulator's compiled schema…). */
  readonly heapPerRowSentLaterBytes: number | null;
  readonly runUpdates: number;
  readonly largestRunUpdateBytes: number;
  readonly cancelToFinishedMs: number | null;
  readonly finishedBeforeCancel: boolean;
}

interface Figures {
  readonly rows: number;
  readonly fileMb: number;
  readonly checkMs: number;
  readonly cliValidateMs: number;
  readonly checkOverCli: number;
  /** CPU time of the check (this process, every thread) and of the CLI's validate. */
  readonly checkCpuMs: number;
  readonly cliValidateCpuMs: number;
  readonly loopCheck: LoopDelay;
  readonly pagesMs: { readonly start: number; readonly middle: number; readonly end: number };
  readonly loopPages: LoopDelay;
  readonly heapAfterCheckMb: number;
  readonly peakRssMb: number;
  readonly run: RunFigures | null;
}

async function measure(rows: number, dir: string): Promise<Figures> {
  const file = join(dir, `leads-${rows}.csv`);
  if (!existsSync(file)) {
    process.stdout.write(`Generating ${file}…\n`);
    await writeLeadCsv(file, rows);
  }
  const fileMb = statSync(file).size / 1e6;
  const work = await mkdtemp(join(tmpdir(), 'bench-desktop-'));
  const simulator = SIMULATOR === 'process' ? await startSimulatorProcess() : null;

  // Every request the run makes goes through this fetch: the first one's time is Send → first request.
  let firstRequestAt: number | null = null;
  let bytesReadAtFirstRequest: number | null = null;
  // The client's own default transport (http-fetch.ts); BENCH_FETCH=global: undici's fetch, as before.
  const transport: PropexoFetch = process.env.BENCH_FETCH === 'global' ? globalThis.fetch : httpFetch;
  const countingFetch: PropexoFetch = (url, init) => {
    if (firstRequestAt === null) bytesReadAtFirstRequest = bytesReadSoFar();
    firstRequestAt ??= performance.now();
    return transport(url, init);
  };
  const connection: DesktopServiceDeps['connection'] = { ...fastPractice(), fetch: countingFetch };
  const shell = new ShellStandIn();
  const service = createDesktopService({
    dataDir: join(work, 'data'),
    getToken: async () => 'bench-token-not-secret',
    connection,
    servers: simulator === null ? {} : { sandbox: simulator.url },
  });
  const handlers: Handlers<ImporterContract> = { ...shell.handlers(), ...service.handlers };
  const routes = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  registerHandlers(
    { handle: (channel, listener) => routes.set(channel, listener), removeHandler: (channel) => routes.delete(channel) },
    contract,
    handlers,
    {
      isTrustedSender: () => true,
      files: shell.fileGate,
    },
  );
  const sender: InvokeEvent = { sender: { id: 1 }, senderFrame: { url: 'bench', parent: null } };
  async function invoke<K extends RequestChannel<ImporterContract>>(
    channel: K,
    arg: ArgOf<ImporterContract, K>,
  ): Promise<ResultOf<ImporterContract, K>> {
    const route = routes.get(channel);
    if (route === undefined) throw new Error(`${channel}: not registered`);
    const result = (await route(sender, arg)) as
      { ok: true; value: ResultOf<ImporterContract, K> } | { ok: false; error: { code: string; message: string } };
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  let runUpdates = 0;
  let largestRunUpdate = 0;
  const last: { progress: PayloadOf<ImporterContract, 'run:update'>['progress'] | null } = { progress: null };
  const finished = new Map<string, number>();
  const off = service.subscribe((event, payload) => {
    if (event === 'run:update') {
      runUpdates++;
      largestRunUpdate = Math.max(largestRunUpdate, JSON.stringify(payload).length);
      last.progress = (payload as PayloadOf<ImporterContract, 'run:update'>).progress;
    } else if (event === 'run:finished') {
      finished.set((payload as PayloadOf<ImporterContract, 'run:finished'>).runId, performance.now());
    }
  });
  shell.openedFromOutside(file);

  /** Send, run until RUN_ROWS are sent or RUN_SECONDS pass (heap after GC at half and at the end), then cancel. */
  async function sendAndCancel(importId: string, columns: readonly ColumnMappingView[]): Promise<RunFigures> {
    // Names of units need the check against Propexo's scope and its reads (bench:send-lookup
    // measures those): the run sends the other columns.
    const referred = columns.filter((column) => column.field !== null && isReferenceField(column.field));
    if (referred.length > 0) {
      await invoke('import:setMapping', {
        importId,
        columns: columns.map(({ index, field, options: { placeholders, ...options } }) => ({
          index,
          field: referred.some((column) => column.index === index) ? null : field,
          options: placeholders === undefined ? options : { ...options, placeholders: [...placeholders] },
        })),
      });
      await invoke('import:validate', { importId });
    }
    const heapBeforeRun = collect();
    traceMemory('before the run (GC)');
    snapshot('before');
    let stopRun = watchLoop();
    const bytesReadAtSend = bytesReadSoFar();
    const sendAt = performance.now();
    const { runId } = await invoke('run:start', {
      importId,
      environment: simulator === null ? 'practice' : 'sandbox',
      concurrency: 32,
      rate: 100_000,
      preview: PREVIEW,
    });
    const runStartAnsweredMs = performance.now() - sendAt;
    const halfway = performance.now() + (RUN_SECONDS * 1000) / 2;
    const deadline = halfway + (RUN_SECONDS * 1000) / 2;
    const rowTarget = Math.min(RUN_ROWS, rows);
    const sent = (): number => last.progress?.requests.update ?? 0;
    const traceEvery = TRACE_MEMORY ? setInterval(() => traceMemory(`${sent()} rows sent`), 5000) : null;
    while (performance.now() < halfway && sent() < rowTarget / 2 && !finished.has(runId)) await sleep(100);
    const rowsHalfway = sent();
    const loopFirstHalf = await stopRun();
    traceMemory('halfway, before GC');
    const heapHalfway = collect();
    traceMemory('halfway (GC)');
    const stopSampling = await heapSampling();
    stopRun = watchLoop();
    while (performance.now() < deadline && sent() < rowTarget && !finished.has(runId)) await sleep(100);
    const rowsSent = sent();
    const runSeconds = (performance.now() - sendAt) / 1000;
    const loopSecondHalf = await stopRun();
    traceMemory('at the end, before GC');
    const heapDuringRun = collect();
    traceMemory('at the end (GC)');
    snapshot('end');
    if (traceEvery !== null) clearInterval(traceEvery);
    await stopSampling?.();
    stopRun = watchLoop();
    const finishedBeforeCancel = finished.has(runId);
    let cancelToFinishedMs: number | null = null;
    if (!finishedBeforeCancel) {
      const cancelAt = performance.now();
      await invoke('run:cancel', { runId });
      while (!finished.has(runId)) await sleep(5);
      cancelToFinishedMs = (finished.get(runId) ?? cancelAt) - cancelAt;
    }
    return {
      simulator: simulator === null ? 'practice, its worker thread' : 'child process, 127.0.0.1',
      runStartAnsweredMs,
      firstRequestMs: firstRequestAt === null ? null : firstRequestAt - sendAt,
      bytesReadToFirstRequest:
        bytesReadAtSend === null || bytesReadAtFirstRequest === null ? null : bytesReadAtFirstRequest - bytesReadAtSend,
      loopRun: combined(loopFirstHalf, loopSecondHalf, await stopRun()),
      rowsSent,
      runSeconds,
      heapPerRowSentBytes: rowsSent === 0 ? null : (heapDuringRun - heapBeforeRun) / rowsSent,
      heapPerRowSentLaterBytes: rowsSent - rowsHalfway < 100 ? null : (heapDuringRun - heapHalfway) / (rowsSent - rowsHalfway),
      runUpdates,
      largestRunUpdateBytes: largestRunUpdate,
      cancelToFinishedMs,
      finishedBeforeCancel,
    };
  }

  try {
    // Check, alternated with the CLI; the last round's import is reviewed and sent.
    const checks: Timed[] = [];
    const clis: Timed[] = [];
    let importId = '';
    let columns: readonly ColumnMappingView[] = [];
    let loopCheck: LoopDelay = { maxMs: 0, p99Ms: 0, samples: 0, maxBusyMs: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      clis.push(cliValidate(file, join(work, 'errors.csv')));
      if (importId !== '') await invoke('import:close', { importId });
      collect();
      const stop = watchLoop();
      const start = performance.now();
      const cpuAtStart = process.cpuUsage();
      traceMemory(`before check ${round + 1}`);
      const overview = await invoke('import:open', { path: file, options: {} });
      const counts = await invoke('import:validate', { importId: overview.importId });
      traceMemory(`after check ${round + 1}`);
      const cpu = process.cpuUsage(cpuAtStart);
      checks.push({ wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 });
      loopCheck = await stop();
      importId = overview.importId;
      columns = overview.columns;
      if (counts.rows !== rows) throw new Error(`the check read ${counts.rows} rows, expected ${rows}`);
      process.stdout.write(
        `  ${rows} rows, round ${round + 1}: CLI validate ${ms(clis[round].wallMs)} (CPU ${ms(clis[round].cpuMs)}), check ${ms(checks[round].wallMs)} (CPU ${ms(checks[round].cpuMs)})\n`,
      );
    }
    const heapAfterCheck = collect();
    traceMemory('after the check (GC)');

    const stopPages = watchLoop();
    const page = async (offset: number): Promise<number> => {
      const start = performance.now();
      const answer = await invoke('import:rows', { importId, filter: 'all', offset, limit: PAGE });
      if (answer.rows.length === 0) throw new Error(`no rows at ${offset}`);
      return performance.now() - start;
    };
    const pagesMs = { start: await page(0), middle: await page(Math.floor(rows / 2)), end: await page(rows - PAGE) };
    const loopPages = await stopPages();
    traceMemory('after the review pages');

    const run = RUN_SECONDS > 0 ? await sendAndCancel(importId, columns) : null;
    const cliValidateMs = median(clis.map((c) => c.wallMs));
    const checkMs = median(checks.map((c) => c.wallMs));
    return {
      rows,
      fileMb,
      checkMs,
      cliValidateMs,
      checkOverCli: checkMs / cliValidateMs,
      checkCpuMs: median(checks.map((c) => c.cpuMs)),
      cliValidateCpuMs: median(clis.map((c) => c.cpuMs)),
      loopCheck,
      pagesMs,
      loopPages,
      heapAfterCheckMb: heapAfterCheck / 1024 / 1024,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      run,
    };
  } finally {
    off();
    await service.close();
    await simulator?.close();
    await rm(work, { recursive: true, force: true });
  }
}

const dir = join(process.cwd(), '.bench');
mkdirSync(dir, { recursive: true });
const load = loadavg()[0];
const results: Figures[] = [];
for (const rows of ROW_COUNTS) results.push(await measure(rows, dir));

const bytes = (n: number | null): string => (n === null ? '–' : `${n.toFixed(0)} B`);
const loop = (d: LoopDelay): string =>
  d.samples === 0 ? 'under 10 ms (no sample)' : `max ${ms(d.maxMs)}, p99 ${ms(d.p99Ms)}; busy max ${ms(d.maxBusyMs)}`;
const column = (f: Figures, value: (f: Figures) => string): string => value(f);
/** A run figure, or – when no run was measured. */
const ran =
  (value: (r: RunFigures) => string) =>
  (f: Figures): string =>
    f.run === null ? '–' : value(f.run);
const table: [string, (f: Figures) => string, string][] = [
  ['file', (f) => `${f.rows.toLocaleString('en-US')} rows, ${f.fileMb.toFixed(0)} MB`, ''],
  ['check ÷ CLI `validate`', (f) => `${f.checkOverCli.toFixed(2)} (${ms(f.checkMs)} / ${ms(f.cliValidateMs)})`, '≤ 1.1'],
  [
    'check ÷ CLI, CPU time (the CLI uses 2 threads above 24 MB)',
    (f) => `${(f.checkCpuMs / f.cliValidateCpuMs).toFixed(2)} (${ms(f.checkCpuMs)} / ${ms(f.cliValidateCpuMs)})`,
    '',
  ],
  ['event loop during check', (f) => loop(f.loopCheck), 'none > 100 ms'],
  [
    'review page start / middle / end',
    (f) => `${ms(f.pagesMs.start)} / ${ms(f.pagesMs.middle)} / ${ms(f.pagesMs.end)}`,
    '≤ 100 ms anywhere',
  ],
  ['event loop during review pages', (f) => loop(f.loopPages), 'none > 100 ms'],
  [
    'Send → `run:start` answered / first request',
    ran((r) => `${ms(r.runStartAnsweredMs)} / ${ms(r.firstRequestMs)} (${r.simulator})`),
    '≤ 2 s after a check',
  ],
  [
    'bytes read, Send → first request (÷ file size)',
    (f) => {
      const read = f.run?.bytesReadToFirstRequest ?? null;
      return read === null ? '–' : `${(read / 1e6).toFixed(0)} MB (${(read / 1e6 / f.fileMb).toFixed(2)}×)`;
    },
    '',
  ],
  ['event loop during the run (start → finished)', ran((r) => loop(r.loopRun)), 'none > 100 ms'],
  [
    'live heap per row sent (after GC): whole run / second half',
    ran(
      (r) =>
        `${bytes(r.heapPerRowSentBytes)} over ${r.rowsSent.toLocaleString('en-US')} rows in ${r.runSeconds.toFixed(0)} s / ${bytes(r.heapPerRowSentLaterBytes)}`,
    ),
    '≤ 300 B/row',
  ],
  ['heap after the check (GC)', (f) => `${f.heapAfterCheckMb.toFixed(0)} MB`, ''],
  ['peak RSS (this process)', (f) => `${f.peakRssMb.toFixed(0)} MB`, '≤ 500 MB'],
  ['largest `run:update` (JSON) / messages', ran((r) => `${(r.largestRunUpdateBytes / 1024).toFixed(1)} KB / ${r.runUpdates}`), '≤ 256 KB'],
  ['cancel → `run:finished`', ran((r) => (r.finishedBeforeCancel ? 'finished before cancel' : ms(r.cancelToFinishedMs))), '≤ 1 s'],
];
const lines = [
  `| figure | ${results.map((f) => `${f.rows.toLocaleString('en-US')} rows`).join(' | ')} | target |`,
  `|---|${results.map(() => '---|').join('')}---|`,
  ...table.map(([label, value, target]) => `| ${label} | ${results.map((f) => column(f, value)).join(' | ')} | ${target} |`),
];
process.stdout.write(
  `\nbench:desktop: ${ROUNDS} rounds of check and CLI alternated; ${RUN_SECONDS > 0 ? `run until ${RUN_ROWS.toLocaleString('en-US')} rows sent or ${RUN_SECONDS} s, then cancelled` : 'no run (BENCH_RUN_SECONDS=0)'}; heap policy: ${HEAP_POLICY === 'desktop' ? `the desktop's (${desktopHeapFlags})` : "V8's own"}; load ${load.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (2 cores, shared)\n\n${lines.join('\n')}\n\n`,
);
process.stdout.write(
  `${JSON.stringify({ bench: 'desktop', heapPolicy: HEAP_POLICY, rounds: ROUNDS, runSeconds: RUN_SECONDS, load: [load, loadavg()[0]], results })}\n`,
);
