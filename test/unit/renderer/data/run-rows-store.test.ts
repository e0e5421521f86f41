import { describe, expect, it } from 'vitest';
import type { RowStateName, RunProgressView, RunRowView } from '../../../../app/shared/views.ts';
import { RunRowsStore, type FrameScheduler } from '../../../../renderer/data/run-rows-store.ts';

/** Frames run when the test says so. */
class ManualFrames implements FrameScheduler {
  private queue: (() => void)[] = [];
  request(callback: () => void): void {
    this.queue.push(callback);
  }
  get pending(): number {
    return this.queue.length;
  }
  tick(): void {
    const due = this.queue;
    this.queue = [];
    for (const callback of due) callback();
  }
}

const row = (rowNumber: number, outcome: RowStateName, jobId: string | null = null): RunRowView => ({
  rowNumber,
  leadId: `lead-${rowNumber}`,
  outcome,
  jobId,
  httpStatus: null,
  errors: [],
  attempts: outcome === 'queued' ? 0 : 1,
});

const progress = (done: number, state: RunProgressView['state'] = 'running'): RunProgressView => ({
  runId: 'run-1',
  state,
  toSend: 100,
  done,
  counts: {} as RunProgressView['counts'],
  requests: { update: done, status: 0, logs: 0, retries: 0, throttled: 0 },
  requestsPerMinute: 60,
  etaMs: null,
  stoppedReason: null,
});

function setup() {
  const frames = new ManualFrames();
  const painted: [number, number][] = [];
  let clock = 0;
  const store = new RunRowsStore({
    runId: 'run-1',
    frames,
    timing: { now: () => clock, painted: (a, b) => painted.push([a, b]) },
  });
  let notified = 0;
  store.subscribe(() => notified++);
  return { store, frames, painted, advance: (ms: number) => (clock += ms), notified: () => notified };
}

describe('RunRowsStore', () => {
  it('applies every batch received in a frame once, latest state per row, and tells the listeners once', () => {
    const { store, frames, notified } = setup();
    store.receive({ runId: 'run-1', rows: [row(2, 'sending'), row(3, 'sending')], progress: progress(0) });
    store.receive({ runId: 'run-1', rows: [row(2, 'accepted', 'job-2')], progress: progress(1) });
    store.receive({ runId: 'run-1', rows: [row(2, 'succeeded', 'job-2')], progress: progress(2) });
    expect(frames.pending).toBe(1);
    expect(store.row(2)).toBeUndefined();
    expect(notified()).toBe(0);
    frames.tick();
    expect(store.row(2)?.outcome).toBe('succeeded');
    expect(store.row(3)?.outcome).toBe('sending');
    expect(store.progress?.done).toBe(2);
    expect(notified()).toBe(1);
    expect(store.size).toBe(2);
  });

  it("ignores another run's events", () => {
    const { store, frames } = setup();
    store.receive({ runId: 'run-2', rows: [row(2, 'failed')], progress: { ...progress(5), runId: 'run-2' } });
    expect(frames.pending).toBe(0);
    expect(store.row(2)).toBeUndefined();
  });

  it('keeps a state a batch brought over an older page of rows', () => {
    const { store, frames } = setup();
    const askedAt = store.sequence;
    store.receive({ runId: 'run-1', rows: [row(5, 'succeeded', 'job-5')], progress: progress(1) });
    frames.tick();
    // The page was asked for before that batch: its row 5 is older; row 6 is new to the store.
    store.mergePage([row(5, 'queued'), row(6, 'queued')], askedAt);
    expect(store.row(5)?.outcome).toBe('succeeded');
    expect(store.row(6)?.outcome).toBe('queued');
    // A page asked for after the batch is newer.
    store.mergePage([row(5, 'succeeded', 'job-5b')], store.sequence);
    expect(store.row(5)?.jobId).toBe('job-5b');
  });

  it('does not let a page overwrite a state waiting for the next frame', () => {
    const { store, frames } = setup();
    store.receive({ runId: 'run-1', rows: [row(7, 'failed')], progress: progress(1) });
    store.mergePage([row(7, 'queued')], store.sequence);
    frames.tick();
    expect(store.row(7)?.outcome).toBe('failed');
  });

  it('holds one state per row however many batches arrive before a frame (a hidden window)', () => {
    const { store, frames } = setup();
    for (let batch = 0; batch < 50; batch++) {
      store.receive({
        runId: 'run-1',
        rows: Array.from({ length: 100 }, (_, i) => row(i + 2, batch % 2 === 0 ? 'sending' : 'accepted')),
        progress: progress(batch),
      });
    }
    frames.tick();
    expect(store.size).toBe(100);
    expect(store.row(2)?.outcome).toBe('accepted');
    expect(store.takeBatchesSinceRefresh()).toBe(1);
    expect(store.takeBatchesSinceRefresh()).toBe(0);
  });

  it('reports when each batch reached the screen: the frame after it was applied', () => {
    const { store, frames, painted, advance } = setup();
    store.receive({ runId: 'run-1', rows: [row(2, 'sending')], progress: progress(0) });
    advance(30);
    store.receive({ runId: 'run-1', rows: [row(3, 'sending')], progress: progress(0) });
    advance(5);
    frames.tick();
    expect(painted).toEqual([]);
    advance(16);
    frames.tick();
    expect(painted).toEqual([
      [0, 51],
      [30, 51],
    ]);
  });

  it('does not go back to older progress read directly once batches flow', () => {
    const { store, frames } = setup();
    store.receive({ runId: 'run-1', rows: [], progress: progress(40) });
    frames.tick();
    store.setProgress(progress(10));
    expect(store.progress?.done).toBe(40);
    store.setProgress(progress(41, 'paused'));
    expect(store.progress?.state).toBe('paused');
  });

  it('remembers a batch that could not list every changed row, until the screen takes it', () => {
    const { store, frames } = setup();
    expect(store.takeRefreshWanted()).toBe(false);
    store.receive({ runId: 'run-1', rows: [row(2, 'sending')], progress: progress(0) });
    store.receive({ runId: 'run-1', rows: [], progress: progress(5), refresh: true });
    frames.tick();
    expect(store.takeRefreshWanted()).toBe(true);
    expect(store.takeRefreshWanted()).toBe(false);
    store.receive({ runId: 'run-2', rows: [], progress: progress(5), refresh: true });
    expect(store.takeRefreshWanted()).toBe(false);
  });
});
