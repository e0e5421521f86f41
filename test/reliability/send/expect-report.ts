// For the vitest files only (the soak runner has its own table): a scenario report passes when
// it made checks and none failed; a scenario that could not run here at all is skipped with
// its reason, one that ran in part is annotated.
import { expect, type TestContext } from 'vitest';
import { describeFailure, type ScenarioReport } from './scenario-report.ts';

export async function expectReportPasses(report: ScenarioReport, context: TestContext): Promise<void> {
  if (report.checks.length === 0 && report.skipped) context.skip(report.skipped);
  if (report.skipped) await context.annotate(`partly skipped: ${report.skipped}`);
  expect(report.checks.length).toBeGreaterThan(0);
  expect(report.checks.filter((c) => !c.ok).map(describeFailure)).toEqual([]);
}
