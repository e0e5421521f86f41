// Reads through the queue and budget against the simulator over 127.0.0.1: server errors are
// retried with backoff and the answer still right; 401 is not retried.
import { afterEach, describe, expect, it } from 'vitest';
import { createPropexoReadClient } from '../../../app/propexo/reads.ts';
import { createLookupReader, LookupReadError } from '../../../app/lookup/lookup-reader.ts';
import { matchLeads } from '../../../app/lookup/lead-matcher.ts';
import { createRateBudget } from '../../../app/schedule/rate-budget.ts';
import { createSendQueue } from '../../../app/schedule/send-queue.ts';
import { systemClock } from '../../../app/schedule/clock.ts';
import { defaultOptions, type SimulatorOptions } from '../../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { integrationId, rate, token } from './lookup-harness.ts';

let sim: Simulator | undefined;
let closeBudget: (() => void) | undefined;
afterEach(async () => {
  closeBudget?.();
  await sim?.close();
  sim = undefined;
});

async function readerOver(options: Partial<SimulatorOptions>) {
  sim = await startSimulator({
    rateLimit: 100_000,
    token,
    data: { ...defaultOptions.data, integrations: 1, propertiesPerIntegration: 1, leads: 600, duplicateRate: 0 },
    ...options,
  });
  const budget = createRateBudget({ clock: systemClock, limit: 100_000 });
  closeBudget = () => budget.close();
  const reads = createPropexoReadClient({ baseUrl: sim.url, token, onResponse: (info) => budget.observe(info) });
  const queue = createSendQueue({ budget, clock: systemClock, concurrency: 4 });
  return createLookupReader({ reads, queue, clock: systemClock, backoff: { baseMs: 1, capMs: 5, maxRetries: 20 } });
}

describe('lookup reader', () => {
  it('retries reads the server fails, counts every request sent, and still matches right', async () => {
    const reader = await readerOver({ readServerErrorRate: 0.3, seed: 5 });
    const world = sim?.world;
    const cells = [3, 250, 520].map((i) => String(world?.seededLead(i).x_id));
    const result = await matchLeads(reader, { kind: 'x_id', scope: { integrationId }, cells, rate, force: 'list' });
    expect(result.rows.map((row) => row?.outcome === 'matched' && row.leadId)).toEqual([3, 250, 520].map((i) => world?.leadIdAt(i)));
    const failed = sim?.record.filter((r) => r.status === 500 || r.status === 502 || r.status === 503).length ?? 0;
    expect(failed).toBeGreaterThan(0);
    expect(result.requests).toBe(5 + failed);
  });

  it('gives up at once on 401, saying which read failed', async () => {
    const reader = await readerOver({});
    sim?.configure({ token: 'another-token-entirely-0001' });
    await expect(reader.page('leads', { integration_id: integrationId }, 0, 1)).rejects.toThrow(LookupReadError);
    await expect(reader.page('leads', { integration_id: integrationId }, 0, 1)).rejects.toMatchObject({
      error: { kind: 'auth' },
      message: expect.stringMatching(/^Reading leads failed: /),
    });
    expect(reader.requests()).toBe(2);
  });
});
