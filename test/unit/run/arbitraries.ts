// fast-check generators of valid journals: each row follows a lifecycle the engine can
// produce (send, retries, accept, final/pending, retry-write, requeue), rows interleave as
// concurrency interleaves them, run events come between.
import fc from 'fast-check';
import type { JournalEntry, RowTransition, WriteStatus } from '../../../app/run/journal-entry.ts';

interface RoundChoice {
  readonly notSent: boolean;
  readonly sends: number;
  /** 0 no answer, 1 accepted, 2 rejected, 3 failed, 4 unknown */
  readonly answer: number;
  /** after accepted: 0 polling, 1 final, 2 pending, 3 FAILURE then retried, 4 … then final */
  readonly afterAccept: number;
  readonly status: WriteStatus;
}

const roundChoice: fc.Arbitrary<RoundChoice> = fc.record({
  notSent: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  sends: fc.integer({ min: 1, max: 3 }),
  answer: fc.integer({ min: 0, max: 4 }),
  afterAccept: fc.integer({ min: 0, max: 4 }),
  status: fc.constantFrom<WriteStatus>('SUCCESS', 'PARTIAL_SUCCESS', 'FAILURE'),
});

type Untimed = RowTransition extends infer T ? (T extends RowTransition ? Omit<T, 'at'> : never) : never;

function roundEntries(row: number, round: number, c: RoundChoice): Untimed[] {
  if (c.notSent) return [{ t: 'not_sent', row, reason: 'cancelled' }];
  const out: Untimed[] = [];
  for (let attempt = 1; attempt <= c.sends; attempt++) out.push({ t: 'sent', row, leadId: `lead-${row}`, attempt });
  const jobId = `job-${row}-${round}`;
  switch (c.answer) {
    case 1:
      out.push({ t: 'accepted', row, jobId, attempt: c.sends, httpStatus: 200 });
      if (c.afterAccept === 1)
        out.push({ t: 'final', row, jobId, writeStatus: c.status, errors: c.status === 'SUCCESS' ? [] : ['PMS said no'] });
      if (c.afterAccept === 2) out.push({ t: 'pending', row, jobId });
      if (c.afterAccept >= 3) {
        out.push({ t: 'final', row, jobId, writeStatus: 'FAILURE', errors: [] });
        out.push({ t: 'retried', row, oldJobId: jobId, newJobId: `${jobId}-r` });
        if (c.afterAccept === 4) out.push({ t: 'final', row, jobId: `${jobId}-r`, writeStatus: c.status, errors: [] });
      }
      break;
    case 2:
      out.push({
        t: 'rejected',
        row,
        httpStatus: 400,
        message: 'Invalid body',
        issues: [{ path: 'status', message: 'Invalid enum value' }],
      });
      break;
    case 3:
      out.push({ t: 'failed', row, reason: 'HTTP 503 after 3 attempts', httpStatus: 503 });
      break;
    case 4:
      out.push({ t: 'unknown', row, reason: 'timed out after sending' });
      break;
    default:
      break;
  }
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole valid journal: run_started, interleaved row lifecycles with pauses, maybe finished. */
export const validJournal: fc.Arbitrary<JournalEntry[]> = fc
  .record({
    rows: fc.array(fc.array(roundChoice, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
    seed: fc.noShrink(fc.integer()),
    finished: fc.boolean(),
  })
  .map(({ rows, seed, finished }) => {
    const random = mulberry32(seed);
    const queues = rows.map((rounds, i) => {
      const row = i + 2; // row 1 is the header
      const entries: Untimed[] = [];
      rounds.forEach((choice, round) => {
        if (round > 0) entries.push({ t: 'requeued', row, reason: 'fixed and sent again' });
        entries.push(...roundEntries(row, round, choice));
      });
      return entries;
    });
    let at = 1_764_000_000_000;
    const out: JournalEntry[] = [{ t: 'run_started', at, resumed: false }];
    let paused = false;
    for (;;) {
      const live = queues.filter((q) => q.length > 0);
      if (live.length === 0) break;
      at += 1 + Math.floor(random() * 50);
      if (random() < 0.03) {
        out.push(paused ? { t: 'resumed', at } : { t: 'paused', at });
        paused = !paused;
        continue;
      }
      const queue = live[Math.floor(random() * live.length)];
      const next = queue.shift();
      if (next !== undefined) out.push({ ...next, at } as JournalEntry);
    }
    if (finished) out.push({ t: 'finished', at: at + 1, summary: { succeeded: 1 } });
    return out;
  });

/** A valid journal and a cut point: what a crash may leave. */
export const journalPrefix: fc.Arbitrary<{ all: JournalEntry[]; prefix: JournalEntry[] }> = fc
  .tuple(validJournal, fc.nat())
  .map(([all, cut]) => ({ all, prefix: all.slice(0, cut % (all.length + 1)) }));
