// Shared by the preview tests: a practice simulator over 127.0.0.1 with a manual clock (jobs
// settle when the test says so), the read client on it, and a PUT that settles at once.
import { createPropexoReadClient, type PropexoReadClient } from '../../../app/propexo/reads.ts';
import { Lead } from '../../../app/propexo/read-codecs.ts';
import { defaultOptions, type SimulatorOptions } from '../../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { manualClock, putLead, type ManualClock } from '../simulator/helpers.ts';

export const token = 'pxo_test_Pr3view_abcdefghijklmnop';
export const PENDING_MS = 1_000;

export interface Practice {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly reads: PropexoReadClient;
  /** PUT a body and let its job settle (SUCCESS unless the simulator was told otherwise). */
  put(leadId: string, body: Readonly<Record<string, unknown>>): Promise<void>;
  /** The lead as the read client decodes it. */
  read(leadId: string): Promise<Lead>;
  close(): Promise<void>;
}

export async function startPractice(options: Partial<SimulatorOptions> = {}): Promise<Practice> {
  const clock = manualClock();
  const sim = await startSimulator(
    { rateLimit: 100_000, token, jobPendingMs: PENDING_MS, successRate: 1, data: { ...defaultOptions.data, leads: 60 }, ...options },
    { now: clock.now },
  );
  const reads = createPropexoReadClient({ baseUrl: sim.url, token });
  return {
    sim,
    clock,
    reads,
    async put(leadId, body) {
      const answer = await putLead(sim, leadId, body, { token });
      if (answer.status !== 200) throw new Error(`PUT ${leadId} answered ${answer.status}: ${answer.text}`);
      clock.advance(PENDING_MS);
    },
    async read(leadId) {
      const answer = await reads.getLead(leadId);
      if (!answer.ok) throw new Error(`GET ${leadId}: ${answer.error.message}`);
      return answer.value;
    },
    close: () => sim.close(),
  };
}

/** A lead with every decoded field blank. */
export function blankLead(): Lead {
  const lead: Record<string, unknown> = {};
  for (const name of Object.keys(Lead.props)) lead[name] = null;
  return {
    ...(lead as Lead),
    id: 'lead_blank',
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
    x_id: 'X-1',
    integration_id: 'int_1',
    integration_vendor: 'YARDI',
    property_id: 'prop_1',
    unit_id_preferred: [],
    x_unit_id_preferred: [],
  };
}
