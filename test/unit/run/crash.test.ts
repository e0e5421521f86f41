// Crash safety against the in-memory file system that forgets whatever was not fsync'd:
// the process dies at an arbitrary file-system operation, the machine comes back, and the
// run must read back consistently.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { openJournal, readJournal, type Journal } from '../../../app/run/journal.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { RunHeader } from '../../../app/run/run-header.ts';
import { createRunStore } from '../../../app/run/run-store.ts';
import { MemoryFs, type CrashMode } from './fs-doubles.ts';
import { headerInput } from './fixtures.ts';

type Raced<T> = { readonly done: true; readonly value: T } | { readonly done: false };

/** Waits for `promise` unless the process "dies" first (the memory fs reached its hang point). */
const race = <T>(mem: MemoryFs, promise: Promise<T>): Promise<Raced<T>> =>
  Promise.race([promise.then((value): Raced<T> => ({ done: true, value })), mem.hung.then((): Raced<T> => ({ done: false }))]);

const crashMode: fc.Arbitrary<CrashMode> = fc.oneof(
  fc.constant<CrashMode>({ unsynced: 'lost' }),
  fc.nat({ max: 300 }).map((keep): CrashMode => ({ unsynced: 'torn', keep })),
  fc.nat({ max: 300 }).map((keep): CrashMode => ({ unsynced: 'zeros', keep })),
);

type Step = { readonly kind: 'append'; readonly n: number } | { readonly kind: 'flush' } | { readonly kind: 'tick' };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((n): Step => ({ kind: 'append', n })),
  fc.constant<Step>({ kind: 'flush' }),
  fc.constant<Step>({ kind: 'tick' }),
);

describe('journal across a crash', () => {
  const dir = '/data/runs/20261127-134501-3f9a';

  it('property: every flushed entry survives; what is read is a prefix of what was appended; appending resumes cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.nat({ max: 40 }), crashMode, async (script, hangAt, mode) => {
        const mem = new MemoryFs();
        mem.seedDir(dir);
        mem.hangAt = hangAt;
        const appended: JournalEntry[] = [];
        let acknowledged = 0;
        let row = 2;
        const opened = await race(mem, openJournal(dir, { fs: mem, commitDelayMs: 1 }));
        if (opened.done) {
          const journal: Journal = opened.value;
          for (const s of script) {
            if (s.kind === 'append') {
              for (let i = 0; i < s.n; i++) {
                const entry: JournalEntry = { t: 'sent', at: 1_764_000_000_000 + row, row, leadId: `lead-${row}`, attempt: 1 };
                row += 1;
                journal.append(entry);
                appended.push(entry);
              }
            } else if (s.kind === 'flush') {
              const count = appended.length;
              if (!(await race(mem, journal.flush())).done) break;
              acknowledged = count;
            } else if (!(await race(mem, new Promise((r) => setTimeout(r, 3)))).done) break;
          }
        }

        mem.crash(mode);
        const read = await readJournal(dir, { fs: mem });
        expect(E.isRight(read)).toBe(true);
        if (E.isLeft(read)) return;
        const { entries } = read.right;
        expect(entries.length).toBeGreaterThanOrEqual(acknowledged);
        expect(entries).toEqual(appended.slice(0, entries.length));

        const extra: JournalEntry = { t: 'run_started', at: 1, resumed: true };
        const reopened = await openJournal(dir, { fs: mem });
        reopened.append(extra);
        await reopened.close();
        const again = await readJournal(dir, { fs: mem });
        expect(again).toEqual(E.right({ entries: [...entries, extra], repaired: false, problems: [], size: expect.any(Number) }));
      }),
      { numRuns: 150 },
    );
  });
});

describe('run creation across a crash', () => {
  const dataDir = '/data';
  const options = { now: () => Date.UTC(2026, 10, 27, 13, 45, 1), newId: () => '3f9a', pid: 4242, host: 'desk' };
  const runId = '20261127-134501-3f9a';
  const runDir = `${dataDir}/runs/${runId}`;

  it('dies at every file-system step of create(): run.json is absent or whole, never half-written', async () => {
    // How many steps a full create takes.
    const probe = new MemoryFs();
    probe.seedDir(dataDir);
    const created = await createRunStore(dataDir, { ...options, fs: probe, isProcessAlive: () => true }).create(headerInput());
    await created.close();
    const steps = probe.mutationCount;
    expect(steps).toBeGreaterThan(8);

    for (let hangAt = 0; hangAt <= steps; hangAt++) {
      for (const mode of [{ unsynced: 'lost' }, { unsynced: 'torn', keep: 100 }, { unsynced: 'zeros', keep: 1000 }] as const) {
        const mem = new MemoryFs();
        mem.seedDir(dataDir);
        mem.hangAt = hangAt;
        const attempt = createRunStore(dataDir, { ...options, fs: mem, isProcessAlive: () => true }).create(headerInput());
        const outcome = await race(
          mem,
          attempt.then((handle) => handle.journal.close()),
        );
        mem.crash(mode);

        // After the restart, the old process is gone.
        const store = createRunStore(dataDir, { ...options, pid: 777, fs: mem, isProcessAlive: () => false });
        const header = mem.text(`${runDir}/run.json`);
        const listing = await store.list();
        const opened = await store.open(runId);
        // Once create() has resolved, the run is durable.
        if (outcome.done) expect(header, `step ${hangAt}`).toBeDefined();
        if (header === undefined) {
          expect(listing.runs).toEqual([]);
          expect(E.isLeft(opened) && opened.left.kind).toBe('not_found');
        } else {
          const decoded = RunHeader.decode(JSON.parse(header));
          expect(E.isRight(decoded), `step ${hangAt}: ${header}`).toBe(true);
          expect(listing.runs.map((r) => [r.runId, r.state])).toEqual([[runId, 'interrupted']]);
          expect(E.isRight(opened)).toBe(true);
          if (E.isRight(opened)) {
            expect(opened.right.entries).toEqual([]);
            await opened.right.close();
          }
        }
      }
    }
  });
});
