// The engine when its journal cannot be written (a full disk): the run halts for the journal,
// nothing is sent without its `sent` entry on disk, and every row still ends with an outcome.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEngine, type EngineRow, type PrepareRow } from '../../../app/run/engine.ts';
import { openJournal, readJournal } from '../../../app/run/journal.ts';
import { nodeRunFs } from '../../../app/run/run-fs.ts';
import type { JobTracker } from '../../../app/run/job-tracker.ts';
import { foldRowStates, type RowJournalState } from '../../../app/run/journal-entry.ts';
import { startingRecord } from '../../../app/run/row-record.ts';
import { countRun } from '../../../app/shared/outcomes.ts';
import type { PropexoClient } from '../../../app/propexo/client.ts';
import { systemClock } from '../../../app/schedule/clock.ts';
import { abortError } from '../../../app/schedule/abort.ts';
import * as E from 'fp-ts/Either';
import { fsError, recordingFs } from './fs-doubles.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = (n: number): EngineRow[] =>
  Array.from({ length: n }, (_, i) => ({ rowNumber: i + 2, leadId: `lead-${i}`, payload: { first_name: `N${i}` } }));

async function* batches(all: readonly EngineRow[], size: number): AsyncGenerator<readonly EngineRow[]> {
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
}

/** Runs tasks one at a time, like a queue of concurrency 1; an aborted signal refuses new tasks. */
const serialQueue = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(_kind: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      const next = tail.then(() => (signal?.aborted ? Promise.reject(abortError()) : task()));
      tail = next.catch(() => undefined);
      return next;
    },
    clear() {},
  };
};

const finalTracker = (): JobTracker => {
  let stopped = false;
  return {
    track: async () => (stopped ? { kind: 'pending' } : { kind: 'final', writeStatus: 'SUCCESS', errors: [] }),
    follows: () => false,
    draining() {},
    stop() {
      stopped = true;
    },
    size: 0,
  };
};

describe('runEngine with a journal that fails', () => {
  it('halts for the journal, sends nothing unjournaled, and gives every row an outcome', async () => {
    let writes = 0;
    const { fs } = recordingFs(nodeRunFs, {
      inject: (op) =>
        op.op === 'write' && op.path.endsWith('journal.jsonl') && ++writes > 6 ? { error: fsError('ENOSPC', op.path) } : undefined,
    });
    const journal = await openJournal(dir, { fs, commitDelayMs: 0 });
    const sent: string[] = [];
    const client: Pick<PropexoClient, 'updateLead'> = {
      updateLead: async (leadId) => {
        sent.push(leadId);
        return { ok: true, status: 200, value: { job_id: `job-${leadId}` } };
      },
    };
    const all = rows(3_000);
    const handle = runEngine(
      { client, queue: serialQueue(), budget: { pause() {}, resume() {} }, tracker: finalTracker(), journal, clock: systemClock },
      batches(all, 500),
    );
    const { stop } = await handle.done;

    expect(stop?.reason).toBe('journal');
    expect(stop?.message).toMatch(/disk is full \(ENOSPC\)/);
    expect(stop?.message).toContain(join(dir, 'journal.jsonl'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(all.length);
    for (const row of all)
      expect(handle.records.get(row.rowNumber)?.outcome ?? 'never admitted').not.toMatch(/^(queued|sending|retrying|accepted)$/);

    await journal.close().catch(() => undefined);
    const read = await readJournal(dir, { repair: false });
    if (E.isLeft(read)) throw new Error(read.left.message);
    // Every request that left has its `sent` entry on disk: a resume never loses one.
    const journaledSent = new Set(read.right.entries.flatMap((e) => (e.t === 'sent' ? [e.leadId] : [])));
    expect(sent.filter((lead) => !journaledSent.has(lead))).toEqual([]);
  });
});

/** A tracker that settles every job at once, except those it "loses": their rows would wait forever. */
const losingTracker = (lose: (jobId: string) => boolean): JobTracker & { readonly asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    track: (jobId) => {
      asked.push(jobId);
      return lose(jobId) ? new Promise(() => undefined) : Promise.resolve({ kind: 'final', writeStatus: 'SUCCESS', errors: [] });
    },
    follows: () => false,
    draining() {},
    stop() {},
    size: 0,
  };
};

const acceptingClient = (sent: string[], hangFor?: string): Pick<PropexoClient, 'updateLead'> => ({
  updateLead: (leadId, payload) => {
    sent.push(leadId);
    if (leadId === hangFor) return new Promise(() => undefined);
    return Promise.resolve({ ok: true, status: 200, value: { job_id: `job-${leadId}-${String(payload.first_name)}` } });
  },
});

describe('runEngine when it loses track of a row', () => {
  it('ends a row whose job the tracker no longer follows as unknown, says so, and still sends the lead’s next row', async () => {
    const journal = await openJournal(dir, { commitDelayMs: 0 });
    const sent: string[] = [];
    const all: EngineRow[] = [...rows(3), { rowNumber: 5, leadId: 'lead-0', payload: { first_name: 'again' } }];
    const tracker = losingTracker((id) => id === 'job-lead-0-N0');
    const handle = runEngine(
      { client: acceptingClient(sent), queue: serialQueue(), budget: { pause() {}, resume() {} }, tracker, journal, clock: systemClock },
      batches(all, 2),
    );
    const { stop, lost } = await handle.done;
    expect(stop).toBeUndefined();
    expect(lost).toBe(1);
    expect(handle.records.get(2)).toMatchObject({
      outcome: 'unknown',
      jobId: 'job-lead-0-N0',
      errors: [expect.stringMatching(/^the run lost track of this row: /)],
    });
    expect([3, 4, 5].map((row) => handle.records.get(row)?.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(sent).toEqual(['lead-0', 'lead-1', 'lead-2', 'lead-0']);
    await journal.close();
    const read = await readJournal(dir, { repair: false });
    if (E.isLeft(read)) throw new Error(read.left.message);
    expect(read.right.entries.filter((e) => e.t === 'unknown').map((e) => e.row)).toEqual([2]);
  }, 10_000);

  it('abandon() ends every row still open (a request that never answers included) and resolves done', async () => {
    const journal = await openJournal(dir, { commitDelayMs: 0 });
    const sent: string[] = [];
    const handle = runEngine(
      {
        client: acceptingClient(sent, 'lead-1'),
        queue: serialQueue(),
        budget: { pause() {}, resume() {} },
        tracker: losingTracker(() => false),
        journal,
        clock: systemClock,
      },
      batches(rows(4), 4),
    );
    while (sent.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    handle.abandon('nothing was left in flight or scheduled for it');
    const { lost } = await handle.done;
    expect(lost).toBe(3);
    expect([2, 3, 4, 5].map((row) => handle.records.get(row)?.outcome)).toEqual(['succeeded', 'unknown', 'not_sent', 'not_sent']);
    expect(handle.records.get(3)?.errors).toEqual(['the run lost track of this row: nothing was left in flight or scheduled for it']);
    expect(sent).toEqual(['lead-0', 'lead-1']);
    await journal.close();
    const read = await readJournal(dir, { repair: false });
    if (E.isLeft(read)) throw new Error(read.left.message);
    expect(read.right.entries.filter((e) => e.t === 'unknown' || e.t === 'not_sent').map((e) => `${e.t} ${e.row}`)).toEqual([
      'unknown 3',
      'not_sent 4',
      'not_sent 5',
    ]);
  }, 10_000);
});

describe('runEngine cancelled on a big file', () => {
  /** Rows made as they are read, counting what was read (a 1,000,000-row file, lazily). */
  function lazyRows(total: number, size: number) {
    const read = { rows: 0, closed: false };
    async function* generate(): AsyncGenerator<readonly EngineRow[]> {
      try {
        for (let first = 0; first < total; first += size) {
          const batch: EngineRow[] = [];
          for (let i = first; i < Math.min(total, first + size); i++)
            batch.push({ rowNumber: i + 2, leadId: `lead-${i}`, payload: { first_name: `N${i}` } });
          read.rows += batch.length;
          yield batch;
        }
      } finally {
        read.closed = true;
      }
    }
    return { read, rows: generate() };
  }

  it('stops reading the file and marks no unreached row one by one: they are not_sent by projection', async () => {
    const journal = await openJournal(dir, { commitDelayMs: 0 });
    const sent: string[] = [];
    const changedRows = new Set<number>();
    const { read, rows: lazy } = lazyRows(1_000_000, 1_000);
    const handle = runEngine(
      {
        client: acceptingClient(sent),
        queue: serialQueue(),
        budget: { pause() {}, resume() {} },
        tracker: losingTracker(() => false),
        journal,
        clock: systemClock,
      },
      lazy,
      { maxOutstanding: 100, onRow: (record) => changedRows.add(record.row) },
    );
    while (sent.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    handle.cancel();
    const { stop } = await handle.done;
    expect(stop?.reason).toBe('cancelled');
    expect(read.closed).toBe(true);
    expect(read.rows).toBeLessThanOrEqual(2_000);
    // Only admitted rows have a record, were shown, or were journaled.
    expect(handle.records.size).toBeLessThanOrEqual(100 + sent.length);
    expect(changedRows.size).toBe(handle.records.size);
    const counts = countRun('run', { rows: 1_000_000, valid: 1_000_000, invalid: 0, skipped: 0 }, handle.records.values());
    expect(counts.succeeded).toBe(sent.length);
    expect(counts.notSent).toBe(1_000_000 - sent.length);
    await journal.close();
    const journaled = await readJournal(dir, { repair: false });
    if (E.isLeft(journaled)) throw new Error(journaled.left.message);
    expect(journaled.right.entries.filter((e) => e.t === 'not_sent').length).toBeLessThanOrEqual(100);
  }, 20_000);

  it('a resume cancelled before rows the journal knows keeps their ends without reading on', async () => {
    const journal = await openJournal(dir, { commitDelayMs: 0 });
    const sent: string[] = [];
    const { read, rows: lazy } = lazyRows(100_000, 1_000);
    // The journal says row 90,002 succeeded and row 90,003 was not sent in an earlier session.
    const prior = new Map<number, RowJournalState>([
      [
        90_002,
        {
          row: 90_002,
          last: { t: 'final', at: 0, row: 90_002, jobId: 'job-a', writeStatus: 'SUCCESS', errors: [] },
          attempts: 1,
          jobId: 'job-a',
          history: 3,
          next: 'done',
        },
      ],
      [
        90_003,
        { row: 90_003, last: { t: 'not_sent', at: 0, row: 90_003, reason: 'cancelled before' }, attempts: 0, history: 1, next: 'send' },
      ],
    ]);
    const handle = runEngine(
      {
        client: acceptingClient(sent),
        queue: serialQueue(),
        budget: { pause() {}, resume() {} },
        tracker: losingTracker(() => false),
        journal,
        clock: systemClock,
      },
      lazy,
      { maxOutstanding: 100, prior, leadIdOf: (row) => `lead-${row - 2}` },
    );
    while (sent.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    handle.cancel();
    await handle.done;
    expect(read.rows).toBeLessThan(90_000);
    expect(handle.records.get(90_002)).toMatchObject({ outcome: 'succeeded', leadId: 'lead-90000', jobId: 'job-a' });
    expect(handle.records.get(90_003)?.outcome).toBe('not_sent');
    await journal.close();
  }, 20_000);
});

describe('runEngine with rows the pre-send pass decided (pre-send.ts)', () => {
  it('journals before right before sent, and ends unchanged, unmatched and not_sent rows without a request', async () => {
    const { fs, log } = recordingFs(nodeRunFs);
    const journal = await openJournal(dir, { fs, commitDelayMs: 0 });
    const sent: string[] = [];
    const all: EngineRow[] = [
      { rowNumber: 2, leadId: 'lead-a', payload: { first_name: 'Ann' }, before: { values: { first_name: 'Anne' }, unreadable: {} } },
      { rowNumber: 3, leadId: 'lead-b', payload: { first_name: 'Bob' }, end: { t: 'unchanged' } },
      {
        rowNumber: 4,
        leadId: 'GC-9',
        payload: { first_name: 'Cy' },
        end: { t: 'unmatched', outcome: 'not_found', kind: 'x_id', key: 'GC-9', message: 'no lead with x_id "GC-9" in the scope' },
      },
      {
        rowNumber: 5,
        leadId: 'GC-7',
        payload: { first_name: 'Di' },
        end: { t: 'not_sent', reason: 'the check against Propexo could not be made: HTTP 500' },
      },
    ];
    const handle = runEngine(
      {
        client: acceptingClient(sent),
        queue: serialQueue(),
        budget: { pause() {}, resume() {} },
        tracker: finalTracker(),
        journal,
        clock: systemClock,
      },
      batches(all, 4),
    );
    await handle.done;
    expect(sent).toEqual(['lead-a']);
    expect([2, 3, 4, 5].map((row) => handle.records.get(row)?.outcome)).toEqual(['succeeded', 'unchanged', 'not_found', 'not_sent']);
    expect(handle.records.get(4)).toMatchObject({ stage: 'match', errors: ['no lead with x_id "GC-9" in the scope'] });
    await journal.close();
    const read = await readJournal(dir, { repair: false });
    if (E.isLeft(read)) throw new Error(read.left.message);
    const tags = read.right.entries.map((e) => ('row' in e ? `${e.t} ${e.row}` : e.t));
    expect(tags.indexOf('before 2') + 1).toBe(tags.indexOf('sent 2'));
    expect(tags).toEqual(expect.arrayContaining(['unchanged 3', 'unmatched 4', 'not_sent 5']));
    expect(read.right.entries.find((e) => e.t === 'before')).toMatchObject({ row: 2, leadId: 'lead-a', values: { first_name: 'Anne' } });
    // Appended back to back before the flush that precedes the request: one group commit
    // writes and fsyncs both (journal-before.test.ts), so the flush saw a write then a sync.
    expect(
      log
        .filter((op) => op.op === 'write' || op.op === 'sync')
        .map((op) => op.op)
        .slice(0, 2),
    ).toEqual(['write', 'sync']);
  }, 10_000);
});

describe('runEngine with a prepare step before each update (the undo reads the lead again there)', () => {
  const engineWith = async (
    all: readonly EngineRow[],
    prepare: PrepareRow,
    {
      prior,
      queue = serialQueue(),
      onSent,
    }: { prior?: ReadonlyMap<number, RowJournalState>; queue?: ReturnType<typeof serialQueue>; onSent?: (leadId: string) => void } = {},
  ) => {
    const journal = await openJournal(dir, { commitDelayMs: 0 });
    const sent: { leadId: string; payload: unknown }[] = [];
    const client: Pick<PropexoClient, 'updateLead'> = {
      updateLead: async (leadId, payload) => {
        sent.push({ leadId, payload });
        onSent?.(leadId);
        return { ok: true, status: 200, value: { job_id: `job-${leadId}` } };
      },
    };
    const handle = runEngine(
      { client, queue, budget: { pause() {}, resume() {} }, tracker: finalTracker(), journal, clock: systemClock },
      batches(all, 10),
      { prepare, ...(prior ? { prior } : {}) },
    );
    const result = await handle.done;
    await journal.close();
    const read = await readJournal(dir, { repair: false });
    if (E.isLeft(read)) throw new Error(read.left.message);
    return { handle, result, sent, entries: read.right.entries };
  };

  it('sends what prepare returns, journals its before-values with sent, and ends the others as prepare says, without a request', async () => {
    const all: EngineRow[] = [
      { rowNumber: 2, leadId: 'lead-a', payload: { first_name: 'Ann', status: 'COLD' } },
      { rowNumber: 3, leadId: 'lead-b', payload: { first_name: 'Bob' } },
      { rowNumber: 4, leadId: 'lead-c', payload: { first_name: 'Cy' } },
    ];
    const prepared: string[] = [];
    const { handle, sent, entries } = await engineWith(all, async (row) => {
      prepared.push(row.leadId);
      if (row.leadId === 'lead-a')
        return { send: { payload: { status: 'COLD' }, before: { values: { status: 'ACTIVE' }, unreadable: {} } } };
      if (row.leadId === 'lead-b') return { end: { t: 'unchanged' } };
      return { end: { t: 'failed', reason: 'Could not read lead lead-c: HTTP 503', httpStatus: 503 } };
    });
    expect(prepared).toEqual(['lead-a', 'lead-b', 'lead-c']);
    expect(sent).toEqual([{ leadId: 'lead-a', payload: { status: 'COLD' } }]);
    expect([2, 3, 4].map((row) => handle.records.get(row)?.outcome)).toEqual(['succeeded', 'unchanged', 'failed']);
    expect(handle.records.get(4)).toMatchObject({ errors: ['Could not read lead lead-c: HTTP 503'], httpStatus: 503 });
    const tags = entries.map((e) => ('row' in e ? `${e.t} ${e.row}` : e.t));
    expect(tags.indexOf('before 2') + 1).toBe(tags.indexOf('sent 2'));
    expect(entries.find((e) => e.t === 'before')).toMatchObject({ row: 2, values: { status: 'ACTIVE' } });
    expect(tags).toEqual(expect.arrayContaining(['unchanged 3', 'failed 4']));
    expect(tags).not.toContain('sent 3');
    expect(tags).not.toContain('sent 4');
  });

  it('keeps the reason a row is left as it is and the note of a row sent, in its record and in the journal a past run is read from', async () => {
    const all: EngineRow[] = [
      { rowNumber: 2, leadId: 'lead-a', payload: { first_name: 'Ann', phone_1: '555' } },
      { rowNumber: 3, leadId: 'lead-b', payload: { first_name: 'Bob' } },
      { rowNumber: 4, leadId: 'lead-c', payload: { first_name: 'Cy' } },
    ];
    const { handle, entries } = await engineWith(all, async (row) => {
      if (row.leadId === 'lead-a')
        return {
          send: {
            payload: { phone_1: '555' },
            before: { values: { phone_1: '111' }, unreadable: {} },
            note: 'written over a change made since the import: Phone',
          },
        };
      if (row.leadId === 'lead-b') return { end: { t: 'unchanged', reason: 'changed by someone else since the import: First name' } };
      return { end: { t: 'unchanged' } };
    });
    const live = [2, 3, 4].map((row) => ({ outcome: handle.records.get(row)?.outcome, errors: handle.records.get(row)?.errors }));
    expect(live).toEqual([
      { outcome: 'succeeded', errors: ['written over a change made since the import: Phone'] },
      { outcome: 'unchanged', errors: ['changed by someone else since the import: First name'] },
      { outcome: 'unchanged', errors: [] },
    ]);
    // Read back from the journal (a past run, a resume): the same words.
    const states = foldRowStates(entries);
    expect([2, 3, 4].map((row) => startingRecord(row, '', states.get(row))).map((r) => ({ outcome: r.outcome, errors: r.errors }))).toEqual(
      live,
    );
  });

  it('runs prepare outside the update’s turn: its own queued request does not wait for itself', async () => {
    const all = rows(3);
    const queue = serialQueue();
    const read: string[] = [];
    // The engine's own queue, one slot: a read queued from inside an update's turn would wait for ever.
    const { handle } = await engineWith(
      all,
      async (row, signal) => {
        await queue.run('check', async () => read.push(row.leadId), signal);
        return { send: { payload: row.payload } };
      },
      { queue },
    );
    expect(read).toEqual(['lead-0', 'lead-1', 'lead-2']);
    expect([...handle.records.values()].map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('stops the run when prepare meets a refused key: nothing more is sent, unsent rows end not_sent', async () => {
    let firstSent: () => void = () => undefined;
    const lead0Sent = new Promise<void>((resolve) => (firstSent = resolve));
    const { handle, result, sent } = await engineWith(
      rows(3),
      async (row) => {
        if (row.leadId === 'lead-0') return { send: { payload: row.payload } };
        await lead0Sent;
        return row.leadId === 'lead-1'
          ? { stop: { kind: 'auth', status: 401, message: 'bad key', code: undefined, body: null, bodyText: undefined } }
          : { send: { payload: row.payload } };
      },
      { onSent: (leadId) => leadId === 'lead-0' && firstSent() },
    );
    expect(result.stop?.reason).toBe('auth');
    expect(sent.map((s) => s.leadId)).toEqual(['lead-0']);
    // lead-0's job was being followed when the run stopped: pending (re-checked later), as for an update's 401.
    expect([2, 3, 4].map((row) => handle.records.get(row)?.outcome ?? 'not_sent')).toEqual(['pending', 'not_sent', 'not_sent']);
  });

  it('on resume prepares again the rows sent but not accepted, and never prepares or sends an accepted row again', async () => {
    const all = rows(2);
    const prior = new Map<number, RowJournalState>([
      [2, { row: 2, last: { t: 'sent', at: 1, row: 2, leadId: 'lead-0', attempt: 1 }, attempts: 1, history: 1, next: 'send' }],
      [
        3,
        {
          row: 3,
          last: { t: 'accepted', at: 1, row: 3, jobId: 'job-x', attempt: 1, httpStatus: 200 },
          attempts: 1,
          history: 2,
          next: 'poll',
          jobId: 'job-x',
        },
      ],
    ]);
    const prepared: string[] = [];
    const { handle, sent } = await engineWith(
      all,
      async (row) => {
        prepared.push(row.leadId);
        return { send: { payload: row.payload } };
      },
      { prior },
    );
    expect(prepared).toEqual(['lead-0']);
    expect(sent.map((s) => s.leadId)).toEqual(['lead-0']);
    expect([2, 3].map((row) => handle.records.get(row)?.outcome)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('runEngine admitting rows as the send queue takes them', () => {
  /** A queue that starts nothing until `release()`: what it holds is what admission let in. */
  const gatedQueue = () => {
    const held: (() => void)[] = [];
    return {
      held,
      run<T>(_kind: string, task: () => Promise<T>): Promise<T> {
        return new Promise<T>((resolve, reject) => held.push(() => void task().then(resolve, reject)));
      },
      release() {
        for (const start of held.splice(0)) start();
      },
      clear() {},
    };
  };
  const settles = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('keeps at most maxSending rows waiting to send; rows behind their lead’s previous job do not count', async () => {
    const journal = await openJournal(dir, { commitDelayMs: 0 });
    const sent: string[] = [];
    const queue = gatedQueue();
    // 30 rows of one lead (each waits for the previous one's job), then 40 leads of their own.
    const all: EngineRow[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ rowNumber: i + 2, leadId: 'lead-A', payload: { first_name: `A${i}` } })),
      ...Array.from({ length: 40 }, (_, i) => ({ rowNumber: i + 32, leadId: `lead-${i}`, payload: { first_name: `N${i}` } })),
    ];
    const handle = runEngine(
      {
        client: acceptingClient(sent),
        queue,
        budget: { pause() {}, resume() {} },
        tracker: losingTracker(() => false),
        journal,
        clock: systemClock,
      },
      batches(all, 1_000),
      { maxSending: 10 },
    );
    await settles();
    // lead-A's first row and the 9 next leads: lead-A's 29 later rows wait for its job, not for a slot.
    expect(queue.held).toHaveLength(10);
    let most = 0;
    while (sent.length < all.length) {
      queue.release();
      await settles();
      most = Math.max(most, queue.held.length);
    }
    // Plus lead-A's next row: its turn comes with its lead's job, whatever the window.
    expect(most).toBeLessThanOrEqual(11);
    await handle.done;
    expect(countRun('run', { rows: all.length, valid: all.length, invalid: 0, skipped: 0 }, handle.records.values()).succeeded).toBe(
      all.length,
    );
    expect(sent.filter((lead) => lead === 'lead-A')).toHaveLength(30);
    await journal.close();
  });
});
