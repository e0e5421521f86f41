import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine } from '../../../app/cli/progress-reporter.ts';
import { emptyCounts, type RunProgress } from '../../../app/run/progress.ts';

const progress = (overrides: Partial<RunProgress>): RunProgress => ({
  runId: 'r',
  toSend: 200,
  done: 50,
  counts: { ...emptyCounts(), succeeded: 45, failed: 3, pending: 2, accepted: 4 },
  requests: { update: 60, status: 1, logs: 2, retries: 0, throttled: 0, lookup: 0, read: 0 },
  requestsPerMinute: 148,
  etaMs: 3_723_000,
  paused: false,
  state: 'running',
  ...overrides,
});

describe('progressLine', () => {
  it('shows a bar, rows done, outcomes so far, the request rate and the ETA', () => {
    const line = progressLine(progress({}), true);
    expect(line).toBe('[######..................] 50/200 rows · 45 ok, 3 failed, 2 pending, 4 awaiting job · 148 req/min · ETA 1h02m');
  });

  it('drops the bar when not on a terminal and says when the run is paused', () => {
    const line = progressLine(progress({ paused: true, etaMs: undefined }), false);
    expect(line.startsWith('50/200 rows')).toBe(true);
    expect(line.endsWith('ETA … (paused)')).toBe(true);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [61_000, '1m01s'],
    [3_600_000, '1h00m'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
