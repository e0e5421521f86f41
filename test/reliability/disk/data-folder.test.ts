// Disk problems, fast size: an unwritable data folder (a file in the way, no permission, a read-only file system, a folder turned read-only under an interrupted run).
// A clear message (exit 2, the path named, no stack trace, JSON with --json), a readable
// journal, and nothing lost once the problem is fixed (disk-scenarios.ts). Parts that need tmpfs
// mounts are skipped, with the reason, where mounting is not allowed.
import { describe, it } from 'vitest';
import { unwritableDataDir } from './disk-scenarios.ts';
import { expectReportPasses } from '../send/expect-report.ts';

describe('disk problems (fast)', () => {
  it(
    'an unwritable data folder (a file in the way, no permission, a read-only file system, a folder turned read-only under an interrupted run): a clear error, the journal readable, nothing lost',
    { timeout: 120_000 },
    async (context) => {
      await expectReportPasses(await unwritableDataDir('fast'), context);
    },
  );
});
