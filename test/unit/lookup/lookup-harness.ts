// The lookup tests' world: the practice simulator over 127.0.0.1 with a small seeded scope, and
// a lookup reader wired as a run wires it (read client → send queue → rate budget).
import { createPropexoReadClient } from '../../../app/propexo/reads.ts';
import { createLookupReader, type LookupReader } from '../../../app/lookup/lookup-reader.ts';
import { createRateBudget, type RateBudget } from '../../../app/schedule/rate-budget.ts';
import { createSendQueue } from '../../../app/schedule/send-queue.ts';
import { systemClock } from '../../../app/schedule/clock.ts';
import { defaultOptions, type SeedDataOptions, type SimulatorOptions } from '../../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import type { Item } from '../../../app/simulator/seed-data.ts';

export const token = 'pxo_test_L00kup_abcdefghijklmnop';
export const rate = { limit: 150, windowMs: 60_000 };

export interface LookupWorld {
  readonly sim: Simulator;
  readonly reader: LookupReader;
  readonly budget: RateBudget;
  /** The seeded leads of the first integration, oldest first. */
  readonly scopeLeads: readonly Item[];
  close(): Promise<void>;
}

export async function startLookupWorld(data: Partial<SeedDataOptions> = {}, options: Partial<SimulatorOptions> = {}): Promise<LookupWorld> {
  const sim = await startSimulator({
    rateLimit: 100_000,
    token,
    data: { ...defaultOptions.data, integrations: 2, propertiesPerIntegration: 2, leads: 1_200, duplicateRate: 0.05, ...data },
    ...options,
  });
  const budget = createRateBudget({ clock: systemClock, limit: 100_000 });
  const reads = createPropexoReadClient({ baseUrl: sim.url, token, onResponse: (info) => budget.observe(info) });
  const queue = createSendQueue({ budget, clock: systemClock, concurrency: 4 });
  const reader = createLookupReader({ reads, queue, clock: systemClock });
  const scopeLeads = Array.from({ length: sim.world.leadCount }, (_, i) => sim.world.seededLead(i)).filter(
    (lead) => lead.integration_id === defaultOptions.integrationId,
  );
  return {
    sim,
    reader,
    budget,
    scopeLeads,
    async close() {
      budget.close();
      await sim.close();
    },
  };
}

export const integrationId = defaultOptions.integrationId;
