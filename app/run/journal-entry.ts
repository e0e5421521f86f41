// One line of journal.jsonl: a row transition or a run event, tagged by `t`, stamped with `at`
// (ms since the epoch). The codecs are exact: a field that is not declared here (a token, a
// stray object) is stripped on write and cannot come back on read.
//
// Size: a row that is sent, accepted and written costs three lines, about 250 bytes, so a
// 200,000-row run keeps a journal of roughly 50 MB; keys stay readable, empty optional
// fields are left out.
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { decodeErrorLines } from '../shared/decode-errors.ts';
import { EpochMs, HttpStatus, NonNegativeInteger, PositiveInteger, RowNumber } from './codec-util.ts';
import { outcomeOfWriteStatus } from '../shared/outcomes.ts';

const base = { at: EpochMs };

// ---- row transitions -------------------------------------------------------------------

/**
 * The request for the row is about to go out (journalled before sending: write-ahead). `note`:
 * what the row's result says once it is written (the undo: fields it writes over a change made
 * since the import); journals written before it have none.
 */
export const SentEntry = t.exact(
  t.intersection([
    t.type({ t: t.literal('sent'), ...base, row: RowNumber, leadId: t.string, attempt: PositiveInteger }),
    t.partial({ note: t.string }),
  ]),
  'sent',
);
/** HTTP 200: Propexo accepted the update and gave a job to follow. */
export const AcceptedEntry = t.exact(
  t.type({ t: t.literal('accepted'), ...base, row: RowNumber, jobId: t.string, attempt: PositiveInteger, httpStatus: HttpStatus }),
  'accepted',
);
export const WriteStatus = t.keyof({ SUCCESS: null, PARTIAL_SUCCESS: null, FAILURE: null }, 'write status');
export type WriteStatus = t.TypeOf<typeof WriteStatus>;
/** The job's final write status, with the PMS's errors (possibly none, even on FAILURE). */
export const FinalEntry = t.exact(
  t.type({ t: t.literal('final'), ...base, row: RowNumber, jobId: t.string, writeStatus: WriteStatus, errors: t.array(t.string) }),
  'final',
);
export const Issue = t.exact(t.type({ path: t.string, message: t.string }), 'issue');
export type Issue = t.TypeOf<typeof Issue>;
/** 400/404/409/422: the server refused the row; its message and field issues. */
export const RejectedEntry = t.exact(
  t.type({ t: t.literal('rejected'), ...base, row: RowNumber, httpStatus: HttpStatus, message: t.string, issues: t.array(Issue) }),
  'rejected',
);
/** The request failed for good (retries exhausted, unexpected answer). */
export const FailedEntry = t.exact(
  t.intersection([t.type({ t: t.literal('failed'), ...base, row: RowNumber, reason: t.string }), t.partial({ httpStatus: HttpStatus })]),
  'failed',
);
/** Sent, but whether it arrived is unknowable (timeout after sending): never counted twice. */
export const UnknownEntry = t.exact(t.type({ t: t.literal('unknown'), ...base, row: RowNumber, reason: t.string }), 'unknown');
/** Polling gave up while the job was still PENDING; its status can be checked later. */
export const PendingEntry = t.exact(t.type({ t: t.literal('pending'), ...base, row: RowNumber, jobId: t.string }), 'pending');
/** The row was not sent (cancelled, run stopped, invalid at send time). */
export const NotSentEntry = t.exact(t.type({ t: t.literal('not_sent'), ...base, row: RowNumber, reason: t.string }), 'not_sent');
/** retry-write gave the failed job a new job to follow. */
export const RetriedEntry = t.exact(
  t.type({ t: t.literal('retried'), ...base, row: RowNumber, oldJobId: t.string, newJobId: t.string }),
  'retried',
);
/** The row will be sent again (after a fix, or a retry of a rejected/failed row). */
export const RequeuedEntry = t.exact(t.type({ t: t.literal('requeued'), ...base, row: RowNumber, reason: t.string }), 'requeued');
/**
 * Not sent, nothing to do: the preview found the lead already as the row says. `reason`, when
 * the row was left as it is for another cause (the undo: every field it was to write back was
 * changed by someone else since); journals written before it have none.
 */
export const UnchangedEntry = t.exact(
  t.intersection([t.type({ t: t.literal('unchanged'), ...base, row: RowNumber, leadId: t.string }), t.partial({ reason: t.string })]),
  'unchanged',
);
/** How a row names its lead when it is not by Propexo's id (app/lookup `LeadKeyKind`). */
export const LeadKeyKind = t.keyof({ lead_id: null, x_id: null, email_1: null, phone_1: null }, 'lead key kind');
/** The check against Propexo found no lead, or several, for the row's key (or names it could not turn into ids): not sent, stage `match`. */
export const UnmatchedEntry = t.exact(
  t.intersection([
    t.type({
      t: t.literal('unmatched'),
      ...base,
      row: RowNumber,
      outcome: t.keyof({ not_found: null, ambiguous: null }, 'match outcome'),
      kind: LeadKeyKind,
      key: t.string,
      message: t.string,
    }),
    // The column each line of `message` is about (the workbook report marks those cells);
    // journals written before it have none.
    t.partial({ columns: t.array(t.union([t.string, t.null])) }),
  ]),
  'unmatched',
);

// ---- row facts: what undo needs, beside the transitions (they never move a row on) ----------

/** A field value as the update writes it (lead-update.ts `LeadFieldValue`). */
export const FieldValue = t.union([t.string, t.number, t.boolean, t.null, t.array(t.string)], 'field value');

/**
 * The lead's values, in the update's terms, of exactly the fields the row is about to send,
 * read before it was sent. Appended just before the row's `sent` entry, so the group commit
 * writes and fsyncs both together: no write ever leaves without its before-values on disk.
 * `unreadable`: sent fields whose value could not be read (the lead does not show them, or a
 * reference could not be resolved), with the reason; undo cannot restore those.
 */
export const BeforeEntry = t.exact(
  t.intersection([
    t.type({ t: t.literal('before'), ...base, row: RowNumber, leadId: t.string, values: t.record(t.string, FieldValue) }),
    t.partial({ unreadable: t.record(t.string, t.string) }),
  ]),
  'before',
);
export type BeforeEntry = t.TypeOf<typeof BeforeEntry>;

/**
 * The lead the check against Propexo found for the row: the key it looked for and the lead id
 * it resolved to, journaled before the row's first `sent` so resume, retry and the results carry it.
 */
export const MatchedEntry = t.exact(
  t.type({ t: t.literal('matched'), ...base, row: RowNumber, kind: LeadKeyKind, key: t.string, leadId: t.string }),
  'matched',
);
export type MatchedEntry = t.TypeOf<typeof MatchedEntry>;

// ---- run events ------------------------------------------------------------------------

export const RunStartedEntry = t.exact(t.type({ t: t.literal('run_started'), ...base, resumed: t.boolean }), 'run_started');
export const PausedEntry = t.exact(t.type({ t: t.literal('paused'), ...base }), 'paused');
export const ResumedEntry = t.exact(t.type({ t: t.literal('resumed'), ...base }), 'resumed');
export const CancelledEntry = t.exact(t.type({ t: t.literal('cancelled'), ...base }), 'cancelled');
/** The run cannot go on (credentials refused, journal unwritable…). */
export const StoppedEntry = t.exact(t.type({ t: t.literal('stopped'), ...base, reason: t.string }), 'stopped');

/** What became of a row, as counted in summaries. */
export const RowOutcome = t.keyof(
  {
    succeeded: null, // final SUCCESS
    partial: null, // final PARTIAL_SUCCESS
    write_failed: null, // final FAILURE (the PMS refused the write)
    rejected: null, // the API refused the request
    failed: null, // the request failed for good
    unknown: null, // sent, arrival unknowable
    pending: null, // accepted, still PENDING when polling stopped
    unchanged: null, // already up to date: not sent
    not_found: null, // the check against Propexo found no lead (or no id for a name): not sent
    ambiguous: null, // the check against Propexo found several: not sent
    not_sent: null,
    sent: null, // sent, no answer recorded yet
    accepted: null, // accepted, final status not known yet
    queued: null, // requeued, waiting to be sent again
  },
  'row outcome',
);
export type RowOutcome = t.TypeOf<typeof RowOutcome>;
export const rowOutcomes: readonly RowOutcome[] = Object.keys(RowOutcome.keys) as RowOutcome[];

export const OutcomeCounts = t.exact(
  t.partial(Object.fromEntries(rowOutcomes.map((o) => [o, NonNegativeInteger])) as Record<RowOutcome, typeof NonNegativeInteger>),
  'outcome counts',
);
export type OutcomeCounts = t.TypeOf<typeof OutcomeCounts>;

export const FinishedEntry = t.exact(t.type({ t: t.literal('finished'), ...base, summary: OutcomeCounts }), 'finished');

const rowCodecs = {
  sent: SentEntry,
  accepted: AcceptedEntry,
  final: FinalEntry,
  rejected: RejectedEntry,
  failed: FailedEntry,
  unknown: UnknownEntry,
  pending: PendingEntry,
  not_sent: NotSentEntry,
  retried: RetriedEntry,
  requeued: RequeuedEntry,
  unchanged: UnchangedEntry,
  unmatched: UnmatchedEntry,
} as const;
const factCodecs = { before: BeforeEntry, matched: MatchedEntry } as const;
const runCodecs = {
  run_started: RunStartedEntry,
  paused: PausedEntry,
  resumed: ResumedEntry,
  cancelled: CancelledEntry,
  stopped: StoppedEntry,
  finished: FinishedEntry,
} as const;

export const RowTransition = t.union(
  [
    SentEntry,
    AcceptedEntry,
    FinalEntry,
    RejectedEntry,
    FailedEntry,
    UnknownEntry,
    PendingEntry,
    NotSentEntry,
    RetriedEntry,
    RequeuedEntry,
    UnchangedEntry,
    UnmatchedEntry,
  ],
  'row transition',
);
export type RowTransition = t.TypeOf<typeof RowTransition>;
export const RunEvent = t.union([RunStartedEntry, PausedEntry, ResumedEntry, CancelledEntry, StoppedEntry, FinishedEntry], 'run event');
export type RunEvent = t.TypeOf<typeof RunEvent>;
/** Facts about a row that do not change where it stands (the fold passes them by). */
export const RowFact = t.union([BeforeEntry, MatchedEntry], 'row fact');
export type RowFact = t.TypeOf<typeof RowFact>;
export const JournalEntry = t.union([RowTransition, RunEvent, RowFact], 'journal entry');
export type JournalEntry = t.TypeOf<typeof JournalEntry>;

// One codec per tag: decoding and encoding go straight to it instead of trying each member.
const codecByTag: Readonly<Record<string, t.Type<JournalEntry, unknown, unknown>>> = {
  ...rowCodecs,
  ...runCodecs,
  ...factCodecs,
} as unknown as Record<string, t.Type<JournalEntry, unknown, unknown>>;

export const isRowTransition = (entry: JournalEntry): entry is RowTransition => entry.t in rowCodecs;
export const isRunEvent = (entry: JournalEntry): entry is RunEvent => entry.t in runCodecs;

/**
 * The entry as written: undeclared fields stripped. Throws a TypeError on an entry that would
 * not read back (NaN, a fractional row…): one bad line must never make a journal unreadable.
 */
export function encodeEntry(entry: JournalEntry): unknown {
  const codec = codecByTag[entry.t];
  if (codec === undefined || !codec.is(entry)) {
    const decoded = codec?.decode(entry);
    const problems =
      decoded === undefined
        ? [`unknown entry type ${JSON.stringify(entry.t)}`]
        : E.isLeft(decoded)
          ? decodeErrorLines(decoded.left, { actual: 'json' })
          : [];
    throw new TypeError(`Refusing to journal an invalid ${String(entry.t)} entry: ${problems.join('; ')}`);
  }
  return codec.encode(entry);
}

/** Decodes one parsed line; the messages name the field at fault. */
export function decodeEntry(u: unknown): E.Either<string[], JournalEntry> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return E.left(['expected a JSON object']);
  const tag = (u as { t?: unknown }).t;
  const codec = typeof tag === 'string' && Object.hasOwn(codecByTag, tag) ? codecByTag[tag] : undefined;
  if (codec === undefined) return E.left([`unknown entry type ${JSON.stringify(tag)}`]);
  const decoded = codec.decode(u);
  return E.isRight(decoded) ? decoded : E.left(decodeErrorLines(decoded.left, { actual: 'json' }).map((m) => `${String(tag)}: ${m}`));
}

// ---- folding: where each row stands -------------------------------------------------------

/**
 * What the engine does with a row on resume:
 * - `poll`: accepted (or retried) without a final status: follow `jobId`;
 * - `resend`: sent without an answer: the outcome is unknown; PUT is idempotent, send again;
 * - `send`: requeued: send again as a fresh attempt;
 * - `done`: final, rejected, failed, unknown, pending or not_sent (until a retry requeues it).
 * A row absent from the fold was never sent.
 */
export type RowNext = 'poll' | 'resend' | 'send' | 'done';

export interface RowJournalState {
  readonly row: number;
  /** The row's last transition: it decides `next`. */
  readonly last: RowTransition;
  /** `sent` entries since the row was last requeued (the current round's attempts). */
  readonly attempts: number;
  /** The latest job known for the row (from accepted, retried, pending or final). */
  readonly jobId?: string;
  /** How many transitions the row has in the journal. */
  readonly history: number;
  readonly next: RowNext;
  /** The note of the row's latest `sent` since it was last requeued, if it had one. */
  readonly note?: string;
}

export function nextFor(last: RowTransition): RowNext {
  switch (last.t) {
    case 'accepted':
    case 'retried':
      return 'poll';
    case 'sent':
      return 'resend';
    case 'requeued':
      return 'send';
    default:
      return 'done';
  }
}

interface MutableRowState {
  row: number;
  last: RowTransition;
  attempts: number;
  jobId?: string;
  history: number;
  next: RowNext;
  note?: string;
}

/** Folds the journal into each row's state. Never throws, whatever the order of entries. */
export function foldRowStates(entries: Iterable<JournalEntry>): Map<number, RowJournalState> {
  const states = new Map<number, MutableRowState>();
  for (const entry of entries) {
    if (!isRowTransition(entry)) continue;
    let state = states.get(entry.row);
    if (state === undefined) {
      state = { row: entry.row, last: entry, attempts: 0, history: 0, next: 'done' };
      states.set(entry.row, state);
    }
    state.last = entry;
    state.history += 1;
    state.next = nextFor(entry);
    switch (entry.t) {
      case 'sent':
        state.attempts += 1;
        if (entry.note !== undefined) state.note = entry.note;
        else delete state.note;
        break;
      case 'requeued':
        state.attempts = 0;
        delete state.note;
        break;
      case 'accepted':
      case 'final':
      case 'pending':
        state.jobId = entry.jobId;
        break;
      case 'retried':
        state.jobId = entry.newJobId;
        break;
      default:
        break;
    }
  }
  return states;
}

export function outcomeOf(last: RowTransition): RowOutcome {
  switch (last.t) {
    case 'final': {
      // A final entry is always the job's answer: its failure is counted apart from a request's.
      const outcome = outcomeOfWriteStatus(last.writeStatus);
      return outcome === 'failed' ? 'write_failed' : outcome;
    }
    case 'retried':
      return 'accepted';
    case 'requeued':
      return 'queued';
    case 'unmatched':
      return last.outcome;
    default:
      return last.t;
  }
}

/**
 * Counts by outcome, zero counts left out (the shape of `finished.summary`): for a run that
 * never finished, what its journal says so far (rows still `sent`, `accepted` or `queued` included).
 */
export function countJournalOutcomes(states: Iterable<RowJournalState>): OutcomeCounts {
  const counts: Partial<Record<RowOutcome, number>> = {};
  for (const state of states) {
    const outcome = outcomeOf(state.last);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

/** A row's before-values, gathered from its `before` entries. */
export interface RowBefore {
  readonly row: number;
  readonly leadId: string;
  readonly values: Readonly<Record<string, t.TypeOf<typeof FieldValue>>>;
  readonly unreadable: Readonly<Record<string, string>>;
}

/**
 * Each row's before-values: for every field, the FIRST value recorded. A resent or retried row
 * may read the lead again after its own write was applied; only the first reading is the lead
 * as it was before the run. Journals written before `before` entries existed give none.
 */
export function beforeValuesOf(entries: Iterable<JournalEntry>): Map<number, RowBefore> {
  const rows = new Map<
    number,
    { row: number; leadId: string; values: Record<string, t.TypeOf<typeof FieldValue>>; unreadable: Record<string, string> }
  >();
  for (const entry of entries) {
    if (entry.t !== 'before') continue;
    let row = rows.get(entry.row);
    if (row === undefined) {
      row = { row: entry.row, leadId: entry.leadId, values: {}, unreadable: {} };
      rows.set(entry.row, row);
    }
    for (const [field, value] of Object.entries(entry.values))
      if (!(field in row.values) && !(field in row.unreadable)) row.values[field] = value;
    for (const [field, reason] of Object.entries(entry.unreadable ?? {}))
      if (!(field in row.values) && !(field in row.unreadable)) row.unreadable[field] = reason;
  }
  return rows;
}

/** Each row's lead as the check against Propexo resolved it (the latest `matched` entry). */
export function matchesOf(entries: Iterable<JournalEntry>): Map<number, MatchedEntry> {
  const matches = new Map<number, MatchedEntry>();
  for (const entry of entries) if (entry.t === 'matched') matches.set(entry.row, entry);
  return matches;
}

/** The key a row's lead was looked up by (app/lookup), as the journal says it. */
export interface RowMatchKey {
  readonly kind: t.TypeOf<typeof LeadKeyKind>;
  readonly key: string;
  /** A row matched to no lead: the column each line of its problem is about. */
  readonly problemColumns?: readonly (string | null)[];
}

/** Each looked-up row's key kind and key: its latest `matched` or `unmatched` entry (the results file names them). */
export function matchKeysOf(entries: Iterable<JournalEntry>): Map<number, RowMatchKey> {
  const keys = new Map<number, RowMatchKey>();
  for (const entry of entries) {
    if (entry.t === 'matched') keys.set(entry.row, { kind: entry.kind, key: entry.key });
    else if (entry.t === 'unmatched')
      keys.set(entry.row, { kind: entry.kind, key: entry.key, ...(entry.columns !== undefined ? { problemColumns: entry.columns } : {}) });
  }
  return keys;
}

/** The last run event (run_started, paused, …, finished), if any. */
export function lastRunEvent(entries: readonly JournalEntry[]): RunEvent | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (isRunEvent(entry)) return entry;
  }
  return undefined;
}
