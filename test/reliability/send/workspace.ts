// Scratch space and run plumbing shared by the send, disk and load scenarios (which run both
// under vitest and under the soak runner, so nothing here may import vitest).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNS_DIR } from '../../../app/run/run-store.ts';
import type { SimulatorOptions } from '../../../app/simulator/index.ts';
import type { LeadFile } from './lead-file.ts';
import { fastTracking } from '../../support/fast-tracking.ts';

/** Runs `body` in a fresh temp folder, removed afterwards (kept when LEAD_IMPORT_KEEP_TMP is set). */
export async function inTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `lead-import-rel-${prefix.replace(/[^A-Za-z0-9]+/g, '-')}-`));
  try {
    return await body(dir);
  } finally {
    if (!process.env.LEAD_IMPORT_KEEP_TMP) await rm(dir, { recursive: true, force: true });
  }
}

export const runDirOf = (dataDir: string, runId: string): string => join(dataDir, RUNS_DIR, runId);

/** The one run in a data folder (the CLI prints its id only at the end, or not at all when killed). */
export async function onlyRun(dataDir: string): Promise<string> {
  const runs = await readdir(join(dataDir, RUNS_DIR));
  if (runs.length !== 1) throw new Error(`expected one run in ${dataDir}, found ${runs.length}`);
  return runs[0];
}

export { fastTracking };

/** Backoff scaled down with room for many retries: at a 20% fault rate, 11 failures in a row are ~2e-8. */
export const patientBackoff = { baseMs: 10, capMs: 200, maxRetries: 10 } as const;

/** The last line of a CLI's `--json` output. */
export function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.trim().split('\n');
  try {
    const parsed: unknown = JSON.parse(lines[lines.length - 1] ?? '');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A Node stack frame in a CLI's output: the user was shown a crash, not a message. */
export const hasStackTrace = (text: string): boolean => /^\s+at .+\(.+:\d+:\d+\)$/m.test(text) || /\n\s+at async /.test(text);

/**
 * The simulator as the scenarios meet it before any fault: requires `token`, a 1 s window with
 * room to spare, jobs pending 10–100 ms, outcomes as a PMS has them (mostly fine, some partial,
 * some failed) and the file's unknown leads answered 404.
 */
export function everydaySimulator(file: LeadFile, token: string): Partial<SimulatorOptions> {
  return {
    seed: 7,
    token,
    rateLimit: 100_000,
    windowMs: 1_000,
    latencyMs: 2,
    jobPendingMs: [10, 100],
    successRate: 0.93,
    partialRate: 0.03,
    missingLeadIds: [...file.missingLeads],
  };
}

/** `lead-import send` with the run's paths, quick to send (the CLI keeps production's tracking). */
export function sendArgv(file: LeadFile, url: string, dataDir: string, extra: readonly string[] = []): string[] {
  return ['send', file.path, '--env', url, '--data-dir', dataDir, '--json', '--concurrency', '8', '--rate', '100000', ...extra];
}

/**
 * Runs `body`, collecting the promise rejections nobody handled meanwhile (a process without a
 * listener dies of them: Node's default). Vitest reports them on its own as well.
 */
export async function collectUnhandledRejections<T>(
  body: () => Promise<T>,
): Promise<{ readonly result: T; readonly unhandled: readonly string[] }> {
  const unhandled: string[] = [];
  const listener = (reason: unknown): void => {
    unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  };
  process.on('unhandledRejection', listener);
  try {
    const result = await body();
    // Rejections are reported after the microtask queue drains: give stragglers a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { result, unhandled: countSame(unhandled) };
  } finally {
    process.off('unhandledRejection', listener);
  }
}

/** Identical messages once each, with how many times they came ("… (×1,623)"). */
export function countSame(messages: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts].map(([message, n]) => (n > 1 ? `${message} (×${n.toLocaleString('en-US')})` : message));
}
