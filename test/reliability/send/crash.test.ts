// Crash and resume, fast size: `lead-import send` killed with SIGKILL three times (once as the
// simulator answers an accepted update, once while the client journals it, once as the next
// update arrives), a torn journal line between kill and resume, `lead-import resume` until the
// run is done; then the send invariants over all the processes. `npm run test:soak` kills it
// 24 times over 5,000 rows.
import { describe, expect, it } from 'vitest';
import { crashAndResume } from './crash-scenario.ts';
import { describeFailure } from './scenario-report.ts';

describe('crash and resume (fast)', () => {
  it('SIGKILL at three kinds of moments, a torn last line, resume each time: every invariant holds', async () => {
    const report = await crashAndResume('fast');
    expect(report.faults.SIGKILL).toBeGreaterThanOrEqual(3);
    expect(report.checks.filter((c) => !c.ok).map(describeFailure)).toEqual([]);
  }, 120_000);
});
