import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../../renderer/data/page-cache.ts';

const rows = (offset: number, n: number): number[] => Array.from({ length: n }, (_, i) => offset + i);

describe('PageCache', () => {
  it('asks only for the pages covering the rows shown, once', () => {
    const cache = new PageCache<number>(100);
    const first = cache.request(0, 59);
    expect(first.map((r) => [r.offset, r.limit])).toEqual([[0, 100]]);
    // Asked again while in flight: nothing new.
    expect(cache.request(0, 59)).toEqual([]);
    expect(cache.receive(first[0], rows(0, 100), 1_000)).toBe(true);
    expect(cache.total).toBe(1_000);
    expect(cache.get(42)).toBe(42);
    // Scrolling to 150..260 needs pages 1 and 2 only.
    expect(cache.request(150, 260).map((r) => r.page)).toEqual([1, 2]);
    expect(cache.request(0, 99)).toEqual([]);
  });

  it('never asks past the end once the total is known', () => {
    const cache = new PageCache<number>(100);
    const [page] = cache.request(0, 99);
    cache.receive(page, rows(0, 100), 130);
    expect(cache.request(0, 5_000).map((r) => r.page)).toEqual([1]);
  });

  it('drops the answer to a request made before the list changed', () => {
    const cache = new PageCache<number>(10);
    const [old] = cache.request(0, 9);
    cache.invalidate(false);
    expect(cache.receive(old, rows(0, 10), 10)).toBe(false);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.total).toBeNull();
    const [fresh] = cache.request(0, 9);
    expect(fresh.generation).toBe(old.generation + 1);
    expect(cache.receive(fresh, rows(100, 10), 10)).toBe(true);
    expect(cache.get(0)).toBe(100);
  });

  it('keeps stale rows visible during a refresh, and replaces them when fresh ones come', () => {
    const cache = new PageCache<number>(10);
    const [page] = cache.request(0, 9);
    cache.receive(page, rows(0, 10), 10);
    cache.invalidate(true);
    expect(cache.get(3)).toBe(3);
    expect(cache.isFresh(3)).toBe(false);
    const [again] = cache.request(0, 9);
    cache.receive(again, rows(50, 10), 10);
    expect(cache.get(3)).toBe(53);
    expect(cache.isFresh(3)).toBe(true);
  });

  it('forgets pages past the end when the list shrinks, and lets a failed page be asked again', () => {
    const cache = new PageCache<number>(10);
    for (const r of cache.request(0, 29)) cache.receive(r, rows(r.offset, 10), 30);
    expect(cache.get(25)).toBe(25);
    cache.invalidate(true);
    const [p0] = cache.request(0, 9);
    cache.receive(p0, rows(0, 10), 12);
    expect(cache.get(25)).toBeUndefined();
    const [p1] = cache.request(10, 11);
    cache.fail(p1);
    expect(cache.request(10, 11).map((r) => r.page)).toEqual([1]);
  });

  it('replaces one row in place (an edited row)', () => {
    const cache = new PageCache<string>(4);
    const [page] = cache.request(0, 3);
    cache.receive(page, ['a', 'b', 'c', 'd'], 4);
    cache.replace(2, 'C');
    expect([0, 1, 2, 3].map((i) => cache.get(i))).toEqual(['a', 'b', 'C', 'd']);
  });

  it('holds an empty list without asking for it again and again', () => {
    const cache = new PageCache<number>(10);
    const [page] = cache.request(0, 9);
    cache.receive(page, [], 0);
    expect(cache.total).toBe(0);
    expect(cache.request(0, 9)).toEqual([]);
  });
});
