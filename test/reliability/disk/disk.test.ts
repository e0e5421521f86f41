// Disk problems met by the real CLI, fast size: an unwritable data folder (a file in the way, no
// permission, a read-only file system, a folder turned read-only under an interrupted run), an
// unwritable report path, a disk that fills mid-run. A clear message (exit 2, the path named,
// no stack trace), a readable journal, and nothing lost once the problem is fixed.
// Parts that need tmpfs mounts are skipped, with the reason, where mounting is not allowed.
import { describe, expect, it } from 'vitest';
import { diskScenarios } from './disk-scenarios.ts';
import { describeFailure } from '../send/scenario-report.ts';

describe('disk problems (fast)', () => {
  it.for(diskScenarios.map((s) => [s.name, s] as const))('%s: a clear error, the journal readable, nothing lost', { timeout: 120_000 }, async ([, scenario], context) => {
    const report = await scenario.run('fast');
    if (report.checks.length === 0 && report.skipped) context.skip(report.skipped);
    if (report.skipped) await context.annotate(`partly skipped: ${report.skipped}`);
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.filter((c) => !c.ok).map(describeFailure)).toEqual([]);
  });
});
