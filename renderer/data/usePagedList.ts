// A long list read by range through the bridge (reviewRows, runRows): the table says which
// rows it shows, the hook fetches the pages missing there, and nothing else.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Result } from '../../app/shared/contract-kit.ts';
import type { RowPage } from '../../app/shared/views.ts';
import { PageCache, type PageRequest } from './page-cache.ts';

export interface PagedList<T> {
  readonly cache: PageCache<T>;
  /** Changes whenever rows arrive (a dependency for memoized rendering). */
  readonly version: number;
  readonly total: number | null;
  readonly error: string | null;
  /** The table shows rows `start`..`end`: fetch what is missing there. */
  readonly show: (start: number, end: number) => void;
  /** Re-reads the rows on screen; the old ones stay visible meanwhile. */
  readonly refresh: () => void;
  /**
   * The list changed under the rows held (an edited row left the filter): they stay as they
   * are until the next page is needed, then everything on screen is read again.
   */
  readonly markShifted: () => void;
  readonly replace: (index: number, item: T) => void;
}

export interface PagedListOptions<T, R> {
  readonly pageSize: number;
  /** Fetches one page. Changing this function (a new filter) starts the list over. */
  readonly fetchPage: (offset: number, limit: number) => Promise<Result<RowPage<R>>>;
  /** What the cache keeps of each row (run rows keep only the row number: the store has the rest). */
  readonly select: (row: R) => T;
  /** Every row of a page, as it arrives (run rows go to the store). */
  readonly onRows?: (rows: readonly R[], request: PageRequest) => void;
  /** Rows shown before the table has measured itself. */
  readonly initialRows?: number;
  /** False while the list cannot be read yet (the rows are still being checked). */
  readonly enabled?: boolean;
}

export function usePagedList<T, R>(options: PagedListOptions<T, R>): PagedList<T> {
  const { pageSize, fetchPage, select, onRows, initialRows = 60, enabled = true } = options;
  const [cache] = useState(() => new PageCache<T>(pageSize));
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<string | null>(null);
  const range = useRef<[number, number]>([0, initialRows - 1]);
  const shifted = useRef(false);
  const live = useRef(true);
  const on = useRef(enabled);
  on.current = enabled;
  const callbacks = useRef({ fetchPage, select, onRows });
  callbacks.current = { fetchPage, select, onRows };

  const fetchMissing = useCallback(() => {
    if (!on.current) return;
    const [start, end] = range.current;
    let requests = cache.request(start, end);
    if (requests.length > 0 && shifted.current) {
      shifted.current = false;
      cache.invalidate(true);
      requests = cache.request(start, end);
    }
    const { fetchPage: fetchOne, select: pick, onRows: deliver } = callbacks.current;
    for (const request of requests) {
      void fetchOne(request.offset, request.limit).then((result) => {
        if (!live.current) return;
        if (!result.ok) {
          cache.fail(request);
          setError(result.error.message);
          return;
        }
        if (request.generation !== cache.generation) {
          cache.fail(request);
          return;
        }
        deliver?.(result.value.rows, request);
        if (cache.receive(request, result.value.rows.map(pick), result.value.total)) {
          setError(null);
          bump();
        }
      });
    }
  }, [cache]);

  // A new fetch function is a new list (another filter, another import or run).
  useEffect(() => {
    live.current = true;
    cache.invalidate(false);
    shifted.current = false;
    setError(null);
    bump();
    range.current = [0, Math.max(range.current[1] - range.current[0], initialRows - 1)];
    fetchMissing();
    return () => {
      live.current = false;
    };
  }, [fetchPage, cache, fetchMissing, initialRows, enabled]);

  const show = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      fetchMissing();
    },
    [fetchMissing],
  );

  const refresh = useCallback(() => {
    cache.invalidate(true);
    fetchMissing();
  }, [cache, fetchMissing]);

  const markShifted = useCallback(() => {
    shifted.current = true;
  }, []);

  const replace = useCallback(
    (index: number, item: T) => {
      cache.replace(index, item);
      bump();
    },
    [cache],
  );

  return { cache, version, total: cache.total, error, show, refresh, markShifted, replace };
}
