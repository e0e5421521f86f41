// A check against Propexo over a run's connection (run-context.ts): its read client, its send
// queue and rate budget, so lookups and the writes after them spend one per-minute budget.
// The validate command uses it today; the send path and the desktop's "Check against Propexo"
// step call `checkOverRun` the same way (see app/lookup/README.md).
import type { RunContext } from '../run/run-context.ts';
import { checkRows, type CheckInput, type CheckResult } from './check-rows.ts';
import { createLookupReader, type BudgetRate, type LookupReader } from './lookup-reader.ts';

export function lookupReaderOf(context: Pick<RunContext, 'reads' | 'queue' | 'clock'>, signal?: AbortSignal): LookupReader {
  return createLookupReader({ reads: context.reads, queue: context.queue, clock: context.clock, signal });
}

/** The budget's current figures (the server's `x-ratelimit-limit` once it has said it). */
export function budgetRateOf(context: Pick<RunContext, 'budget'>): BudgetRate {
  const { limit, windowMs } = context.budget.stats().estimate;
  return { limit, windowMs };
}

export async function checkOverRun(
  context: Pick<RunContext, 'reads' | 'queue' | 'clock' | 'budget'>,
  input: Omit<CheckInput, 'rate'>,
  signal?: AbortSignal,
): Promise<CheckResult> {
  return checkRows(lookupReaderOf(context, signal), { ...input, rate: budgetRateOf(context) });
}
