// Disk problems, fast size: a report path that cannot be written (a folder, a missing folder, a read-only disk).
// A clear message (exit 2, the path named, no stack trace, JSON with --json), a readable
// journal, and nothing lost once the problem is fixed (disk-scenarios.ts). Parts that need tmpfs
// mounts are skipped, with the reason, where mounting is not allowed.
import { describe, it } from 'vitest';
import { unwritableReportPath } from './disk-scenarios.ts';
import { expectReportPasses } from '../send/expect-report.ts';

describe('disk problems (fast)', () => {
  it(
    'a report path that cannot be written (a folder, a missing folder, a read-only disk): a clear error, the journal readable, nothing lost',
    { timeout: 120_000 },
    async (context) => {
      await expectReportPasses(await unwritableReportPath('fast'), context);
    },
  );
});
