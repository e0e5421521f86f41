// The one store of a run's rows on screen, fed by the batched 'run:update' events (at most
// ~10 a second, each row once with its latest state) and by pages fetched with runRows for
// rows no batch has brought yet.
//
// Events are merged as they arrive (latest state per row wins, so a window in the background
// holds at most one pending state per row), and applied once per animation frame, as GitHub
// Desktop's app store does: however many batches came in, React renders once a frame.
// A page answer never overwrites a state a batch delivered after the page was asked for.
//
// Pure logic; the frame scheduler and the clock are injected (tests drive them by hand).
import type { RunProgressView, RunRowView } from '../../app/shared/views.ts';

export interface RunUpdate {
  readonly runId: string;
  readonly rows: readonly RunRowView[];
  readonly progress: RunProgressView;
  /** More rows changed than the batches listed: the rows on screen must be read again. */
  readonly refresh?: true;
}

export interface FrameScheduler {
  /** Calls `callback` before the next paint (requestAnimationFrame in the page). */
  request(callback: () => void): void;
}

/** Measures how long a batch took from arriving to being on screen (performance marks in the page). */
export interface PaintTiming {
  now(): number;
  /** A batch that arrived at `arrivedAt` was painted by `paintedBy`. */
  painted(arrivedAt: number, paintedBy: number): void;
}

export interface RunRowsStoreOptions {
  readonly runId: string;
  readonly frames: FrameScheduler;
  readonly timing?: PaintTiming;
}

export class RunRowsStore {
  readonly runId: string;
  private readonly frames: FrameScheduler;
  private readonly timing: PaintTiming | undefined;
  private readonly rows = new Map<number, RunRowView>();
  /** rowNumber → the batch sequence that last set it. */
  private readonly setBy = new Map<number, number>();
  private applied = 0;
  private pendingRows = new Map<number, RunRowView>();
  private pendingProgress: RunProgressView | null = null;
  private pendingArrivals: number[] = [];
  private frameRequested = false;
  private listeners = new Set<() => void>();
  private currentProgress: RunProgressView | null = null;
  private ver = 0;
  private batchesSinceRefresh = 0;
  private refreshWanted = false;

  constructor(options: RunRowsStoreOptions) {
    this.runId = options.runId;
    this.frames = options.frames;
    this.timing = options.timing;
  }

  /** Bumped on every change that should re-render (useSyncExternalStore's snapshot). */
  get version(): number {
    return this.ver;
  }

  get progress(): RunProgressView | null {
    return this.currentProgress;
  }

  /** The sequence number of the last applied batch: a page request remembers it. */
  get sequence(): number {
    return this.applied;
  }

  /** Distinct rows held (from batches and pages). */
  get size(): number {
    return this.rows.size;
  }

  row(rowNumber: number): RunRowView | undefined {
    return this.rows.get(rowNumber);
  }

  /** Batches applied since the table last refreshed its visible rows (then reset to 0). */
  takeBatchesSinceRefresh(): number {
    const n = this.batchesSinceRefresh;
    this.batchesSinceRefresh = 0;
    return n;
  }

  /** Whether a batch said rows changed that it did not list (then reset). */
  takeRefreshWanted(): boolean {
    const wanted = this.refreshWanted;
    this.refreshWanted = false;
    return wanted;
  }

  /** A 'run:update' event. Another run's events are ignored. */
  receive(update: RunUpdate): void {
    if (update.runId !== this.runId) return;
    if (update.refresh === true) this.refreshWanted = true;
    for (const row of update.rows) this.pendingRows.set(row.rowNumber, row);
    this.pendingProgress = update.progress;
    if (this.timing !== undefined) this.pendingArrivals.push(this.timing.now());
    if (!this.frameRequested) {
      this.frameRequested = true;
      this.frames.request(() => this.applyPending());
    }
  }

  /** Applies everything received since the last frame, then tells the listeners once. */
  applyPending(): void {
    this.frameRequested = false;
    if (this.pendingRows.size === 0 && this.pendingProgress === null) return;
    const sequence = ++this.applied;
    for (const [rowNumber, row] of this.pendingRows) {
      this.rows.set(rowNumber, row);
      this.setBy.set(rowNumber, sequence);
    }
    this.pendingRows = new Map();
    if (this.pendingProgress !== null) this.currentProgress = this.pendingProgress;
    this.pendingProgress = null;
    this.batchesSinceRefresh++;
    this.changed();
    const arrivals = this.pendingArrivals;
    this.pendingArrivals = [];
    const timing = this.timing;
    if (timing !== undefined && arrivals.length > 0) {
      // React commits these changes before this frame paints; the next frame starts after it.
      this.frames.request(() => {
        const paintedBy = timing.now();
        for (const arrivedAt of arrivals) timing.painted(arrivedAt, paintedBy);
      });
    }
  }

  /**
   * Rows from a runRows page asked for when `askedAt` was the sequence: a row a later batch
   * changed keeps the batch's state (it is newer than the page).
   */
  mergePage(rows: readonly RunRowView[], askedAt: number): void {
    let changed = false;
    for (const row of rows) {
      const setBy = this.setBy.get(row.rowNumber);
      if (setBy !== undefined && setBy > askedAt) continue;
      if (this.pendingRows.has(row.rowNumber)) continue;
      this.rows.set(row.rowNumber, row);
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Progress read directly (runProgress), for a run opened while it was already going. */
  setProgress(progress: RunProgressView): void {
    if (this.currentProgress !== null && this.applied > 0 && progress.done < this.currentProgress.done) return;
    this.currentProgress = progress;
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    this.ver++;
    for (const listener of [...this.listeners]) listener();
  }
}
