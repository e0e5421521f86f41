// Rows of a long list fetched by range as the user scrolls: a 100,000-row file never crosses
// the bridge at once. The cache knows which pages it holds, which are on their way, and which
// are stale (the list changed underneath: a filter, an edit, a live run). Stale pages stay on
// screen until their replacement arrives, so a refresh never blanks the table.
//
// Pure logic (no React, no bridge): the table hooks drive it, the unit tests prove it.

export interface PageRequest {
  readonly page: number;
  readonly offset: number;
  readonly limit: number;
  /** The cache generation the request was made for: an answer for an older one is dropped. */
  readonly generation: number;
}

interface Page<T> {
  readonly generation: number;
  readonly items: readonly T[];
}

export class PageCache<T> {
  readonly pageSize: number;
  private pages = new Map<number, Page<T>>();
  /** page → generation of the request in flight. */
  private inFlight = new Map<number, number>();
  private gen = 0;
  private knownTotal: number | null = null;

  constructor(pageSize: number) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('page size must be a whole number ≥ 1');
    this.pageSize = pageSize;
  }

  get generation(): number {
    return this.gen;
  }

  /** Rows matching the list's filter, as the last answer said; null before any answer. */
  get total(): number | null {
    return this.knownTotal;
  }

  get(index: number): T | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.items[index % this.pageSize];
  }

  /** Is `index` covered by a page of the current generation? */
  isFresh(index: number): boolean {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page !== undefined && page.generation === this.gen;
  }

  /**
   * The requests needed to show rows `start`..`end` (inclusive), marked in flight: pages that
   * are missing or stale and not already requested for this generation.
   */
  request(start: number, end: number): PageRequest[] {
    if (end < start) return [];
    const last = this.knownTotal === null ? end : Math.min(end, Math.max(0, this.knownTotal - 1));
    const requests: PageRequest[] = [];
    for (let page = Math.floor(Math.max(0, start) / this.pageSize); page <= Math.floor(last / this.pageSize); page++) {
      const held = this.pages.get(page);
      if (held !== undefined && held.generation === this.gen) continue;
      if (this.inFlight.get(page) === this.gen) continue;
      this.inFlight.set(page, this.gen);
      requests.push({ page, offset: page * this.pageSize, limit: this.pageSize, generation: this.gen });
    }
    return requests;
  }

  /** Stores an answer. Returns false (and stores nothing) when it answers an older generation. */
  receive(request: PageRequest, items: readonly T[], total: number): boolean {
    if (this.inFlight.get(request.page) === request.generation) this.inFlight.delete(request.page);
    if (request.generation !== this.gen) return false;
    this.knownTotal = total;
    this.pages.set(request.page, { generation: this.gen, items });
    // Pages past the end of a shrunken list are gone, not stale.
    const lastPage = Math.floor(Math.max(0, total - 1) / this.pageSize);
    for (const page of [...this.pages.keys()]) if (page > lastPage) this.pages.delete(page);
    return true;
  }

  /** A request that failed may be asked again. */
  fail(request: PageRequest): void {
    if (this.inFlight.get(request.page) === request.generation) this.inFlight.delete(request.page);
  }

  /**
   * The list changed: every page becomes stale. With `keepItems` the old rows stay visible
   * until fresh ones replace them (a live refresh); without, the table starts empty (a new filter).
   */
  invalidate(keepItems: boolean): void {
    this.gen++;
    this.inFlight.clear();
    if (!keepItems) {
      this.pages.clear();
      this.knownTotal = null;
    }
  }

  /** Replaces one held item in place (an edited row), wherever it is. */
  replace(index: number, item: T): void {
    const pageNumber = Math.floor(index / this.pageSize);
    const page = this.pages.get(pageNumber);
    if (page === undefined) return;
    const items = page.items.slice();
    items[index % this.pageSize] = item;
    this.pages.set(pageNumber, { generation: page.generation, items });
  }
}
