// Faults while sending, fast size (300 rows each): 5xx, connections cut before and after the
// update was applied, latency spikes past the timeout, 429 storms, a key revoked mid-run, jobs
// pending past the limit, repeated job ids. Each asserts the invariants from the simulator's own record
// (invariants.ts). `npm run test:soak` runs the same scenarios with 5,000 rows.
import { describe, expect, it } from 'vitest';
import { faultScenarios } from './fault-scenarios.ts';
import { describeFailure } from './scenario-report.ts';

describe('faults while sending (fast)', () => {
  it.each(faultScenarios.map((s) => [s.name, s] as const))(
    '%s: every invariant holds',
    async (_name, scenario) => {
      const report = await scenario.run('fast');
      expect(report.checks.length).toBeGreaterThan(5);
      expect(report.checks.filter((c) => !c.ok).map(describeFailure)).toEqual([]);
    },
    120_000,
  );
});
