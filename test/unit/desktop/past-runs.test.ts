import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPast } from '../../../app/desktop/past-runs.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { createRunStore } from '../../../app/run/run-store.ts';
import { headerInput } from '../run/fixtures.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'past-runs-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const at = Date.UTC(2026, 10, 27, 13, 45, 1);

async function pastRun(entries: readonly JournalEntry[]): Promise<string> {
  const handle = await createRunStore(dataDir).create(headerInput());
  for (const entry of entries) handle.journal.append(entry);
  await handle.close();
  return handle.runId;
}

describe('openPast: why a past run stopped', () => {
  it('gives the reason its journal recorded when the run stopped', async () => {
    const runId = await pastRun([
      { t: 'run_started', at, resumed: false },
      { t: 'sent', at, row: 2, leadId: 'a', attempt: 1 },
      { t: 'stopped', at, reason: 'Propexo refused the API key (HTTP 401).' },
    ]);
    const entry = await openPast(dataDir, runId);
    expect(entry).toMatchObject({ state: 'stopped', stoppedReason: 'Propexo refused the API key (HTTP 401).' });
    expect(entry.summary?.stoppedReason).toBe('Propexo refused the API key (HTTP 401).');
  });

  it('gives no reason for a run that was resumed after a stop and then finished', async () => {
    const runId = await pastRun([
      { t: 'run_started', at, resumed: false },
      { t: 'stopped', at, reason: 'HTTP 401' },
      { t: 'run_started', at, resumed: true },
      { t: 'finished', at, summary: {} },
    ]);
    expect(await openPast(dataDir, runId)).toMatchObject({ state: 'finished', stoppedReason: null });
  });
});
