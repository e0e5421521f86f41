// Load, fast size: a 20,000-row validate (against 2,000 rows, for flat memory) and a 2,000-row
// send with a fast rate window, each in a process of its own with its peak RSS measured;
// nothing dropped. `npm run test:soak` runs 1,000,000 and 200,000 rows.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from './load-scenarios.ts';
import { describeFailure } from '../send/scenario-report.ts';

describe('load (fast)', () => {
  it.each(loadScenarios.map((s) => [s.name, s] as const))(
    '%s: every row accounted for, peak RSS measured',
    async (_name, scenario) => {
      const report = await scenario.run('fast');
      expect(report.peakRssMb).toBeGreaterThan(0);
      expect(report.checks.filter((c) => !c.ok).map(describeFailure)).toEqual([]);
    },
    120_000,
  );
});
