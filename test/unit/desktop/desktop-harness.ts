// Shared by the desktop service tests: temp folders and lead files, a service wired to a fast
// practice simulator (or to a test simulator standing in for Sandbox), the events it sends,
// and small readers for the CSV files it writes. Everything is closed after each test.
import { afterEach, expect, vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { BridgeError } from '../../../app/shared/contract-kit.ts';
import type { CredentialEnvironment } from '../../../app/shared/contract.ts';
import { createDesktopService, type DesktopEvent, type DesktopService, type DesktopServiceDeps } from '../../../app/desktop/service.ts';
import type { RunSummaryView } from '../../../app/shared/views.ts';
import type { ConnectionOptions } from '../../../app/run/run-context.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../app/simulator/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

export async function tempDir(prefix = 'desktop'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `lead-import-${prefix}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The practice environment, fast: jobs settle in 20 ms, the budget refills every second. */
export const FAST_PRACTICE: Partial<ConnectionOptions> = {
  windowMs: 1000,
  simulator: {
    windowMs: 1000,
    // Above what the runs ask (`rate` 1000 a window): requests granted late in one of the
    // client's windows can reach the server in its next one on a busy machine (a 429, then a
    // second attempt), and these tests are not about throttling (test/integration/send/throttling is).
    rateLimit: 10_000,
    jobPendingMs: 20,
    slowdownMs: 0,
    latencyMs: 0,
    latencySpikes: null,
    successRate: 1,
    partialRate: 0,
  },
  tracking: { firstCheckAfterMs: 20, logsMinIntervalMs: 50, logsMaxWaitMs: 200 },
};

export interface RecordedEvent {
  readonly event: DesktopEvent;
  readonly payload: unknown;
  /** performance.now() when it was sent. */
  readonly at: number;
}

export interface TestService {
  readonly service: DesktopService;
  readonly h: DesktopService['handlers'];
  readonly events: RecordedEvent[];
  readonly dataDir: string;
}

export async function makeService(
  overrides: Partial<DesktopServiceDeps> = {},
  keys: Partial<Record<CredentialEnvironment, string>> = {},
): Promise<TestService> {
  const dataDir = overrides.dataDir ?? join(await tempDir('data'), 'runs-data');
  const service = createDesktopService({
    dataDir,
    getToken: async (environment) => keys[environment],
    connection: FAST_PRACTICE,
    ...overrides,
  });
  const events: RecordedEvent[] = [];
  service.subscribe((event, payload) => events.push({ event, payload, at: performance.now() }));
  cleanups.push(() => service.close());
  return { service, h: service.handlers, events, dataDir };
}

/** A simulator standing in for Sandbox: requires `token`, jobs settle fast. */
export async function sandboxSimulator(token: string, options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ token, windowMs: 1000, rateLimit: 1000, jobPendingMs: 20, successRate: 1, latencyMs: 0, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

export const SANDBOX_KEY = 'sbx_test_4f2a9c1e7b3d5a60';

// ---- files -------------------------------------------------------------------------------------

export async function writeCsv(dir: string, name: string, lines: readonly string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * Six rows, one of each kind (file rows 2–7):
 * 2 valid · 3 invalid status · 4 nothing to change · 5 duplicate of 2 · 6 no lead id · 7 invalid beds.
 */
export const MIXED = [
  'Lead ID,First Name,Status,Beds,Max Rent',
  'lead-1,Ann,ACTIVE,2,1500',
  'lead-2,Bob,Actve,3,',
  'lead-3,,,,',
  'lead-1,Ann2,ACTIVE,2,',
  ',Carl,ACTIVE,1,',
  'lead-4,Dee,ACTIVE,x,',
] as const;

/** `count` valid rows for leads lead-1…, each with its own first name (Row<file row>). */
export function validLines(count: number): string[] {
  return ['Lead ID,First Name,Status,Beds', ...Array.from({ length: count }, (_, i) => `lead-${i + 1},Row${i + 2},ACTIVE,${i % 4}`)];
}

export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

// ---- waiting and failing -----------------------------------------------------------------------

export async function finished(t: TestService, runId: string, timeout = 20_000): Promise<RunSummaryView> {
  let summary: RunSummaryView | undefined;
  await vi.waitFor(
    () => {
      const found = t.events.find((e) => e.event === 'run:finished' && (e.payload as { runId: string }).runId === runId);
      expect(found).toBeDefined();
      summary = (found?.payload as { summary: RunSummaryView }).summary;
    },
    { timeout, interval: 20 },
  );
  return summary as RunSummaryView;
}

/** The BridgeError a handler throws (or rejects with). */
export async function bridgeError(call: () => unknown): Promise<BridgeError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof BridgeError) return error;
    throw new Error(`expected a BridgeError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}
