import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher } from '../../../app/desktop/batcher.ts';

describe('createBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands on each key once per batch, with its latest value, once the wait is over', async () => {
    const batches: string[][] = [];
    const batcher = createBatcher<number, string>({ wait: 100, process: (items) => void batches.push([...items]) });
    batcher.add(1, 'a1');
    batcher.add(2, 'b1');
    batcher.add(1, 'a2');
    await vi.advanceTimersByTimeAsync(99);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['a2', 'b1']]);
  });

  it('never flushes more than once per wait, however fast the changes come', async () => {
    const flushedAt: number[] = [];
    const batcher = createBatcher<number, number>({ wait: 100, process: () => void flushedAt.push(Date.now()) });
    const start = Date.now();
    for (let ms = 0; ms < 1_000; ms++) {
      batcher.add(ms % 37, ms);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(flushedAt.length).toBeLessThanOrEqual(10);
    expect(flushedAt.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < flushedAt.length; i++) expect(flushedAt[i] - flushedAt[i - 1]).toBeGreaterThanOrEqual(100);
    expect(flushedAt[0] - start).toBe(100);
  });

  it('flushes an empty batch when touched; flushAndWait sends what is pending once the wait since the last batch is over, and resolves when processed', async () => {
    const seen: string[][] = [];
    let release: () => void = () => undefined;
    const batcher = createBatcher<string, string>({
      wait: 100,
      process: async (items) => {
        seen.push([...items]);
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    batcher.touch();
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual([[]]);
    release();
    batcher.add('x', 'x1');
    let done = false;
    const flushing = batcher.flushAndWait().then(() => (done = true));
    // The last batch went just now: this one waits out the rest of the wait (no 11th message in a second).
    await vi.advanceTimersByTimeAsync(99);
    expect(seen).toEqual([[]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([[], ['x1']]);
    expect(done).toBe(false);
    release();
    await flushing;
    expect(done).toBe(true);
    // Nothing pending: no further batch; a flush long after the last batch goes at once.
    await vi.advanceTimersByTimeAsync(500);
    expect(seen).toHaveLength(2);
    batcher.add('y', 'y1');
    void batcher.flushAndWait();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([[], ['x1'], ['y1']]);
    release();
  });

  it('drops what is pending when closed and ignores later changes', async () => {
    const seen: number[][] = [];
    const batcher = createBatcher<number, number>({ wait: 100, process: (items) => void seen.push([...items]) });
    batcher.add(1, 1);
    batcher.close();
    batcher.add(2, 2);
    batcher.touch();
    await vi.advanceTimersByTimeAsync(1_000);
    await batcher.flushAndWait();
    expect(seen).toEqual([]);
  });

  it('keeps going after a batch whose processing fails', async () => {
    const seen: number[][] = [];
    const batcher = createBatcher<number, number>({
      wait: 10,
      process: (items) => {
        seen.push([...items]);
        if (seen.length === 1) throw new Error('window gone');
      },
    });
    batcher.add(1, 1);
    await vi.advanceTimersByTimeAsync(10);
    batcher.add(2, 2);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual([[1], [2]]);
  });
});

describe('createBatcher with bounds', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps each batch within maxSize by weight, and sends the rest in later batches, one per wait', async () => {
    const batches: number[][] = [];
    const flushedAt: number[] = [];
    const batcher = createBatcher<number, number>({
      wait: 100,
      maxSize: 10,
      weigh: (value) => (value === 99 ? 25 : 2),
      process: (items) => {
        batches.push([...items]);
        flushedAt.push(Date.now());
      },
    });
    const start = Date.now();
    for (let i = 0; i < 12; i++) batcher.add(i, i);
    batcher.add(99, 99);
    await vi.advanceTimersByTimeAsync(1_000);
    // Five items of weight 2 a batch; the heavy item goes alone.
    expect(batches).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11], [99]]);
    expect(flushedAt.map((at) => at - start)).toEqual([100, 200, 300, 400]);
  });

  it('flushAndWait sends everything pending in bounded batches, the first at once, then one per wait', async () => {
    const batches: number[][] = [];
    const flushedAt: number[] = [];
    const batcher = createBatcher<number, number>({
      wait: 100,
      maxSize: 3,
      process: (items) => {
        batches.push([...items]);
        flushedAt.push(Date.now());
      },
    });
    const start = Date.now();
    for (let i = 0; i < 7; i++) batcher.add(i, i);
    const flushing = batcher.flushAndWait();
    await vi.advanceTimersByTimeAsync(300);
    await flushing;
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(flushedAt.map((at) => at - start)).toEqual([0, 100, 200]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toHaveLength(3);
  });

  it('past maxPending drops what waits and says so in the next batch', async () => {
    const batches: { items: number[]; overflowed: boolean }[] = [];
    const batcher = createBatcher<number, number>({
      wait: 100,
      maxSize: 2,
      maxPending: 4,
      process: (items, overflowed) => void batches.push({ items: [...items], overflowed }),
    });
    for (let i = 0; i < 5; i++) batcher.add(i, i);
    batcher.add(10, 10);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toEqual([{ items: [10], overflowed: true }]);
  });
});
