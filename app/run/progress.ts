// Live counts of a run: rows by state, update requests per minute, and an ETA, kept up to date
// from row changes without ever walking all rows.
import type { Clock } from '../schedule/clock.ts';
import type { RowRecord } from './row-record.ts';
import type { RowState } from '../shared/row-states.ts';
import { isFinalState, ROW_STATES } from '../shared/outcomes.ts';
import type { RequestCounters } from './run-context.ts';

export type StateCounts = Record<RowState, number>;

export const emptyCounts = (): StateCounts => ({
  queued: 0,
  sending: 0,
  retrying: 0,
  accepted: 0,
  succeeded: 0,
  unchanged: 0,
  partial: 0,
  failed: 0,
  rejected: 0,
  not_found: 0,
  ambiguous: 0,
  unknown: 0,
  pending: 0,
  not_sent: 0,
  invalid: 0,
  skipped: 0,
});

export interface RunProgress {
  readonly runId: string;
  /** Valid rows of the run: the rows it sends (or sent before a resume). */
  readonly toSend: number;
  /** Rows of those that have reached a final state. */
  readonly done: number;
  readonly counts: Readonly<StateCounts>;
  readonly requests: Readonly<RequestCounters>;
  /** Update requests in the last minute. */
  readonly requestsPerMinute: number;
  /** Estimated time left, from the recent rate of finished rows; undefined until known. */
  readonly etaMs: number | undefined;
  readonly paused: boolean;
  readonly state: 'running' | 'paused' | 'finished' | 'cancelled' | 'stopped';
}

export class ProgressTracker {
  private readonly counts = emptyCounts();
  /**
   * Each row's state, by row number: 0 none yet, else its index in ROW_STATES + 1. A byte a row
   * of the file rather than a map entry (~40 B) a row sent: a run's live heap grows per row sent.
   */
  private states = new Uint8Array(1024);
  private readonly updateTimes: number[] = [];
  private readonly finishTimes: number[] = [];
  private finished = 0;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly toSend: number,
  ) {}

  /** Counts a row as it is now; only rows that finish in this process feed the ETA. */
  row(record: Readonly<RowRecord>): void {
    if (record.row >= this.states.length) {
      const grown = new Uint8Array(Math.max(record.row + 1, this.states.length * 2));
      grown.set(this.states);
      this.states = grown;
    }
    const code = this.states[record.row];
    const before: RowState | undefined = code === 0 ? undefined : ROW_STATES[code - 1];
    if (before === record.outcome) return;
    if (before !== undefined) this.counts[before]--;
    this.counts[record.outcome]++;
    this.states[record.row] = ROW_STATES.indexOf(record.outcome) + 1;
    if (isFinalState(record.outcome) && (before === undefined || !isFinalState(before))) {
      this.finished++;
      if (before !== undefined) this.finishTimes.push(this.clock.now());
    }
  }

  updateSent(): void {
    this.updateTimes.push(this.clock.now());
  }

  snapshot(runId: string, requests: RequestCounters, paused: boolean, state: RunProgress['state']): RunProgress {
    const now = this.clock.now();
    trimBefore(this.updateTimes, now - 60_000);
    trimBefore(this.finishTimes, now - 5 * 60_000);
    const done = Math.min(this.finished, this.toSend);
    let etaMs: number | undefined;
    if (this.finishTimes.length >= 2) {
      const span = now - this.finishTimes[0];
      const perMs = span > 0 ? this.finishTimes.length / span : 0;
      if (perMs > 0) etaMs = Math.round((this.toSend - done) / perMs);
    }
    return {
      runId,
      toSend: this.toSend,
      done,
      counts: { ...this.counts },
      requests: { ...requests },
      requestsPerMinute: this.updateTimes.length,
      etaMs: state === 'running' || state === 'paused' ? etaMs : 0,
      paused,
      state,
    };
  }
}

function trimBefore(times: number[], limit: number): void {
  let drop = 0;
  while (drop < times.length && times[drop] < limit) drop++;
  if (drop > 0) times.splice(0, drop);
}
