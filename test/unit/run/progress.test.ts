import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../../app/run/progress.ts';
import type { RowRecord } from '../../../app/run/row-record.ts';

const requests = { update: 0, status: 0, logs: 0, retries: 0, throttled: 0, lookup: 0, read: 0 };

function record(row: number, outcome: RowRecord['outcome']): RowRecord {
  return { row, leadId: `ld_${row}`, outcome, errors: [], attempts: 1 };
}

describe('ProgressTracker', () => {
  it('counts each row once, in its latest state, and says how many are done', () => {
    let now = 0;
    const progress = new ProgressTracker({ now: () => now }, 3);
    progress.row(record(2, 'queued'));
    progress.row(record(3, 'queued'));
    progress.row(record(2, 'sending'));
    progress.row(record(2, 'accepted'));
    now = 1_000;
    progress.row(record(2, 'succeeded'));
    progress.row(record(4, 'rejected'));
    const snapshot = progress.snapshot('run-1', requests, false, 'running');
    expect(snapshot.counts).toMatchObject({ queued: 1, sending: 0, accepted: 0, succeeded: 1, rejected: 1 });
    expect(snapshot.done).toBe(2);
    expect(snapshot.toSend).toBe(3);
  });

  it('counts update requests of the last minute and estimates the time left from recent finishes', () => {
    let now = 0;
    const progress = new ProgressTracker({ now: () => now }, 10);
    for (let row = 1; row <= 10; row++) progress.row(record(row, 'queued'));
    for (let row = 1; row <= 4; row++) {
      now = row * 1_000;
      progress.updateSent();
      progress.row(record(row, 'succeeded'));
    }
    const snapshot = progress.snapshot('run-1', requests, false, 'running');
    expect(snapshot.requestsPerMinute).toBe(4);
    // 4 rows finished over the last 3 s: about 1.33 a second, 6 left.
    expect(snapshot.etaMs).toBeGreaterThan(3_000);
    expect(snapshot.etaMs).toBeLessThan(6_000);
    now = 120_000;
    expect(progress.snapshot('run-1', requests, false, 'running').requestsPerMinute).toBe(0);
    expect(progress.snapshot('run-1', requests, false, 'finished').etaMs).toBe(0);
  });
});
