import { describe, expect, it } from 'vitest';
import { describeFailure } from '../send/scenario-report.ts';
import { undoScenarios } from './undo-scenarios.ts';

describe('undo a run against the simulator (fast size)', () => {
  for (const scenario of undoScenarios) {
    it(
      scenario.name,
      async () => {
        const report = await scenario.run('fast');
        expect(report.checks.length).toBeGreaterThan(0);
        expect(report.checks.filter((c) => !c.ok).map(describeFailure)).toEqual([]);
      },
      120_000,
    );
  }
});
