// Disk problems, fast size: a disk that fills mid-run (a small tmpfs), through the CLI and through the API.
// A clear message (exit 2, the path named, no stack trace, JSON with --json), a readable
// journal, and nothing lost once the problem is fixed (disk-scenarios.ts). Parts that need tmpfs
// mounts are skipped, with the reason, where mounting is not allowed.
import { describe, it } from 'vitest';
import { fullDisk } from './disk-scenarios.ts';
import { expectReportPasses } from '../send/expect-report.ts';

describe('disk problems (fast)', () => {
  it(
    'a disk that fills mid-run (a small tmpfs), through the CLI and through the API: a clear error, the journal readable, nothing lost',
    { timeout: 120_000 },
    async (context) => {
      await expectReportPasses(await fullDisk('fast'), context);
    },
  );
});
