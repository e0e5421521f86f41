// `lead-import send`, `retry`, `status` and `resume` run in-process (the CLI's own `main`) against
// Prism, each checked the same way: the command ended (exit 0 or 1, a JSON summary, a results file
// and an error report), every row has an end, the summary agrees with the results file, the
// requests counted agree with the requests Prism received, and Prism logged no request violation.
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { main } from '../../../app/cli/main.ts';
import type { CliIo, CliOverrides } from '../../../app/cli/io.ts';
import { fastTracking } from '../../support/fast-tracking.ts';
import type { Prism } from './prism.ts';

export const KEY = 'sk_test_contract-prism-0001';
/**
 * How long a job may stay PENDING, scaled down from the CLI's 10 minutes: with a seed, Prism
 * answers every write-status request alike, so a seed that says PENDING says it for ever.
 */
const PENDING_LIMIT_MS = 2_000;
export const ROWS = 27;
const FINAL = ['succeeded', 'partial', 'failed', 'rejected', 'unknown', 'pending', 'not_sent'] as const;
const SUMMARY_KEY: Readonly<Record<(typeof FINAL)[number], string>> = {
  succeeded: 'succeeded',
  partial: 'partial',
  failed: 'failed',
  rejected: 'rejected',
  unknown: 'unknown',
  pending: 'pending',
  not_sent: 'notSent',
};

/** 27 rows: 20 leads, the first 7 of them twice (rows for one lead go in file order, one at a time). */
export async function writeLeadFile(path: string, rows = ROWS): Promise<string> {
  const lines = Array.from({ length: rows }, (_, i) =>
    [`lead-${(i % 20) + 1}`, `Row${i + 2}`, ['ACTIVE', 'COLD', 'WAITLISTED'][i % 3], String(i % 4)].join(','),
  );
  await writeFile(path, `Lead ID,First Name,Status,Beds\n${lines.join('\n')}\n`);
  return path;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCliIn(dir: string, argv: readonly string[], overrides: CliOverrides = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { PROPEXO_API_KEY: KEY },
    cwd: dir,
  };
  const code = await main(argv, io, overrides);
  return { code, stdout, stderr };
}

export interface CommandReport {
  readonly command: string;
  readonly code: number;
  readonly summary: Record<string, unknown>;
  /** Rows per outcome, from the results file. */
  readonly outcomes: Record<string, number>;
  readonly resultLines: number;
  readonly requestsCounted: number;
  readonly prismReceived: number;
  readonly violations: readonly string[];
  /** What does not hold (empty when all is well). */
  readonly problems: readonly string[];
  readonly stderr: string;
}

const parseCsv = (text: string): Record<string, string>[] =>
  Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;

/** Runs one command and checks it. */
export async function checkedCommand(
  prism: Prism,
  dir: string,
  name: string,
  argv: readonly string[],
  overrides: CliOverrides = {},
): Promise<CommandReport> {
  const receivedBefore = prism.received();
  const violationsBefore = prism.violations().length;
  const results = join(dir, `${name}-results.csv`);
  const errors = join(dir, `${name}-errors.csv`);
  const run = await runCliIn(dir, [...argv, '--data-dir', join(dir, 'data'), '--results', results, '--errors', errors, '--json'], {
    ...overrides,
    connection: { tracking: fastTracking, pendingTimeoutMs: PENDING_LIMIT_MS, ...overrides.connection },
  });
  const problems: string[] = [];
  if (run.code !== 0 && run.code !== 1) problems.push(`exit code ${run.code}: ${run.stderr.trim()}`);
  let summary: Record<string, unknown> = {};
  try {
    summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
  } catch {
    problems.push(`no JSON summary on stdout: ${run.stdout.slice(0, 200)} ${run.stderr.slice(0, 400)}`);
  }
  const outcomes: Record<string, number> = {};
  let resultLines = 0;
  if (!existsSync(results)) problems.push('no results file');
  else {
    const lines = parseCsv(await readFile(results, 'utf8'));
    resultLines = lines.length;
    for (const line of lines) outcomes[line.outcome] = (outcomes[line.outcome] ?? 0) + 1;
    if (lines.length !== ROWS) problems.push(`results file has ${lines.length} rows, the file ${ROWS}`);
    const open = lines.filter((l) => !(FINAL as readonly string[]).includes(l.outcome));
    if (open.length > 0) problems.push(`rows without an end: ${open.map((l) => `${l.import_row} ${l.outcome}`).join(', ')}`);
  }
  if (!existsSync(errors)) problems.push('no error report');
  for (const outcome of FINAL) {
    const inSummary = Number(summary[SUMMARY_KEY[outcome]] ?? Number.NaN);
    if (inSummary !== (outcomes[outcome] ?? 0))
      problems.push(`summary says ${inSummary} ${outcome}, the results file ${outcomes[outcome] ?? 0}`);
  }
  const requests = (summary.requests ?? {}) as Record<string, number>;
  // Every request the run made: writes and their follow-up, and the reads before them (leads' current values, lookups).
  const requestsCounted =
    (requests.update ?? 0) +
    (requests.status ?? 0) +
    (requests.logs ?? 0) +
    (requests.retries ?? 0) +
    (requests.read ?? 0) +
    (requests.lookup ?? 0);
  const prismReceived = (await prism.receivedAtLeast(receivedBefore + requestsCounted)) - receivedBefore;
  // (A request or two more may still be on its way into Prism's log: look once more after a moment.)
  await new Promise((resolve) => setTimeout(resolve, 150));
  const settledReceived = prism.received() - receivedBefore;
  if (settledReceived !== requestsCounted)
    problems.push(`the summary counts ${requestsCounted} requests, Prism received ${settledReceived}`);
  const violations = prism.violations().slice(violationsBefore);
  if (violations.length > 0) problems.push(`Prism logged ${violations.length} request violations: ${violations.slice(0, 3).join(' | ')}`);
  return {
    command: name,
    code: run.code,
    summary,
    outcomes,
    resultLines,
    requestsCounted,
    prismReceived: Math.max(prismReceived, settledReceived),
    violations,
    problems,
    stderr: run.stderr,
  };
}

/** Pending jobs for `status` and `resume` to follow: the send stops asking at once. */
const SHORT_PENDING = { connection: { pendingTimeoutMs: 1 } } as const;
/** Commands that follow jobs again wait for them as usual (the run remembers the send's limit). */
const USUAL_PENDING = { connection: { pendingTimeoutMs: PENDING_LIMIT_MS } } as const;

/**
 * send → retry; send (jobs left pending) → status; send (jobs left pending) → resume.
 * Every command is checked; the first send is the plain one whose figures the issue asks for.
 * A continued run names its server again (--env): the key goes only where the command line says.
 */
export async function commandSequence(prism: Prism, dir: string, leads: string): Promise<CommandReport[]> {
  const send = ['send', leads, '--env', prism.url, '--rate', '6000'];
  const reports: CommandReport[] = [];
  const runIdOf = (r: CommandReport): string => String(r.summary.runId);
  const first = await checkedCommand(prism, dir, 'send', send);
  reports.push(first, await checkedCommand(prism, dir, 'retry', ['retry', runIdOf(first), '--env', prism.url]));
  const second = await checkedCommand(prism, dir, 'send-pending-1', send, SHORT_PENDING);
  reports.push(second, await checkedCommand(prism, dir, 'status', ['status', runIdOf(second), '--env', prism.url], USUAL_PENDING));
  const third = await checkedCommand(prism, dir, 'send-pending-2', send, SHORT_PENDING);
  reports.push(third, await checkedCommand(prism, dir, 'resume', ['resume', runIdOf(third), '--env', prism.url], USUAL_PENDING));
  return reports;
}
