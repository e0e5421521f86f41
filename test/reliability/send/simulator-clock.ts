// A simulator whose record can be placed on the wall clock: its `at` times count from its own
// start, and the journal stamps entries with Date.now(). The simulator reads its clock for the
// first time to note its start, so a clock that remembers its first reading gives that start.
// Also: the faults it injected, counted from its own record.
import {
  startSimulator,
  type RecordedRequest,
  type Simulator,
  type SimulatorEnvironment,
  type SimulatorOptions,
} from '../../../app/simulator/index.ts';

export interface ClockedSimulator {
  readonly sim: Simulator;
  /** Wall-clock ms of the simulator's start: `startedAt + record[i].at` is an arrival time. */
  readonly startedAt: number;
}

export async function startClockedSimulator(
  options: Partial<SimulatorOptions>,
  environment: Omit<SimulatorEnvironment, 'now'> = {},
): Promise<ClockedSimulator> {
  let first: number | undefined;
  const now = (): number => {
    const t = Date.now();
    first ??= t;
    return t;
  };
  const sim = await startSimulator(options, { ...environment, now });
  if (first === undefined) throw new Error('the simulator never read its clock');
  return { sim, startedAt: first };
}

export const updateRequests = (sim: Simulator): RecordedRequest[] => sim.record.filter((r) => r.endpoint === 'update-lead');

/** Faults as the simulator's record shows them (only kinds that happened are listed). */
export function faultsInRecord(sim: Simulator): Record<string, number> {
  const faults: Record<string, number> = {};
  const bump = (kind: string): void => {
    faults[kind] = (faults[kind] ?? 0) + 1;
  };
  for (const r of sim.record) {
    if (r.fault === 'server-error') bump('5xx');
    else if (r.fault === 'drop-before-apply') bump('drop-before');
    else if (r.fault === 'drop-after-apply') bump('drop-after');
    else if (r.fault === 'latency-spike') bump('spike');
    else if (r.fault === 'repeated-job-id') bump('repeated-id');
    if (r.status === 429) bump('429');
    if (r.status === 401) bump('401');
    if (r.clientGone === true) bump('timed-out');
  }
  return faults;
}

export function mergeFaults(...all: Readonly<Record<string, number>>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const faults of all) for (const [kind, n] of Object.entries(faults)) merged[kind] = (merged[kind] ?? 0) + n;
  return merged;
}
