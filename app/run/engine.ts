// The send engine: every valid row becomes a `PUT /v1/leads/{id}`, every accepted request is
// followed to its final job status, within the shared rate budget, and every transition is
// journaled before it can be lost.
//
// Invariants:
// - A `sent` entry is on disk before its request leaves, so after a crash a row is either
//   known accepted (never sent again) or re-sent (PUT sets fields, so sending again is safe).
// - Rows for one lead go strictly in file order: a row is sent only after the previous row for
//   that lead reached an end (final job status, rejected, failed, unknown or pending).
// - Cancel stops sending and reading the file; requests in flight finish; unsent rows end
//   `not_sent` (rows never reached have no record: `not_sent` by projection).
// - 401/403 stop the run: nothing more is sent, unsent rows end `not_sent` (resumable).
// - An optional `prepare` step (the undo reads the lead there) runs right before a row's first
//   update attempt, in its own queue turns, never inside the update's: it gives the payload and
//   before-values to send, or ends the row unsent (`unchanged`, `failed`), or stops the run.
// - No row is left without an end. A row waiting on a job the tracker does not follow (it can
//   never settle) ends `unknown`, "the run lost track of this row: …"; `abandon()` (called
//   when nothing at all is left in flight or scheduled) ends every row still open the same way
//   (`not_sent` if it was never sent) and resolves `done`, however the rows' own promises hang.
import { setMaxListeners } from 'node:events';
import type { PropexoClient } from '../propexo/client.ts';
import type { PropexoError } from '../propexo/failure.ts';
import type { LeadUpdate } from '../lead/lead-update.ts';
import type { Clock } from '../schedule/clock.ts';
import type { SendQueue } from '../schedule/send-queue.ts';
import type { RateBudget } from '../schedule/rate-budget.ts';
import { nextBackoff, type BackoffPolicy, type RandomSource } from '../schedule/backoff.ts';
import { defaultBackoffPolicy, maxThrottledInARow } from '../shared/run-policy.ts';
import { abortError, isAbortError } from '../schedule/abort.ts';
import type { Journal, JournalInput } from './journal.ts';
import type * as t from 'io-ts';
import type { RowJournalState, UnmatchedEntry as UnmatchedEntryCodec } from './journal-entry.ts';
import type { RowBeforeValues } from '../preview/preview-run.ts';
import type { JobOutcome, JobTracker } from './job-tracker.ts';
import { startingRecord, withNote, type RowRecord } from './row-record.ts';
import type { SendOutcome } from '../shared/row-states.ts';
import { isFinalState, outcomeOfWriteStatus } from '../shared/outcomes.ts';
import { RowRecords } from './row-records.ts';

export interface EngineRow {
  readonly rowNumber: number;
  readonly leadId: string;
  readonly payload: LeadUpdate;
  /** The lead's values of the fields sent, read before (the preview): journaled with each `sent`, for undo. */
  readonly before?: RowBeforeValues;
  /** The row is not sent: the preview found the lead up to date, or the check against Propexo found no lead. */
  readonly end?: EngineRowEnd;
  /** Said with the row's result once written (journaled with `sent`): why it was sent as it was. */
  readonly note?: string;
}

/** Why a row ends without being sent (journaled as the row's transition). */
export type EngineRowEnd =
  /** `reason`: why the row is left as it is, when it is not that the lead already had its values. */
  | { readonly t: 'unchanged'; readonly reason?: string }
  | { readonly t: 'not_sent'; readonly reason: string }
  /** Given up before its update: what the row needed first (a read, say) failed for good. */
  | { readonly t: 'failed'; readonly reason: string; readonly httpStatus?: number }
  | Omit<UnmatchedEntry, 'at' | 'row'>;
type UnmatchedEntry = t.TypeOf<typeof UnmatchedEntryCodec>;

/**
 * What a row's `prepare` step decided right before its update: send it (with this payload and
 * these before-values), end it unsent, or stop the run (credentials refused, as an update's 401/403).
 */
export type PreparedRow =
  { readonly send: Pick<EngineRow, 'payload' | 'before' | 'note'> } | { readonly end: EngineRowEnd } | { readonly stop: PropexoError };

/**
 * Runs right before a row's first update attempt, each time the row is to be sent (a resume
 * prepares again every row not yet accepted), after its lead's previous row has ended. Its
 * requests take their own turns in the queue, never inside the update's turn (a task waiting
 * for the queue from inside the queue can wait for ever). `signal` aborts when the run stops.
 */
export type PrepareRow = (row: EngineRow, signal: AbortSignal) => Promise<PreparedRow>;

export interface EngineDeps {
  readonly client: Pick<PropexoClient, 'updateLead'>;
  readonly queue: Pick<SendQueue, 'run' | 'clear'>;
  readonly budget: Pick<RateBudget, 'pause' | 'resume'>;
  readonly tracker: JobTracker;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly random?: RandomSource;
}

export interface EngineOptions {
  readonly backoff?: BackoffPolicy;
  readonly ignoreUnknownFields?: boolean;
  /** Rows admitted but not finished at most (bounds memory on huge files). Default 2,000. */
  readonly maxOutstanding?: number;
  /**
   * Rows admitted whose update is not yet accepted or given up, at most; rows waiting for their
   * lead's previous job do not count (each takes its turn when that job ends). Default 256.
   */
  readonly maxSending?: number;
  /** What the journal already says, when resuming. */
  readonly prior?: ReadonlyMap<number, RowJournalState>;
  /** The lead id the run's row table holds for a row: rows a stopped resume never reached, and settled records, take it from there. */
  readonly leadIdOf?: (rowNumber: number) => string | undefined;
  /** A step before each row's update (the undo reads the lead again there); rows are sent as they come without it. */
  readonly prepare?: PrepareRow;
  /** Re-check only: follow the jobs the journal left unfinished, send nothing. */
  readonly followOnly?: boolean;
  /** Called on every change of a row's record (the same object, updated in place). */
  readonly onRow?: (record: Readonly<RowRecord>) => void;
  /** Called for every update request made (429s included). */
  readonly onUpdateRequest?: () => void;
}

export interface EngineStop {
  readonly reason: 'auth' | 'journal' | 'cancelled';
  readonly message: string;
}

export interface EngineResult {
  /** Why the run ended early, if it did. */
  readonly stop: EngineStop | undefined;
  /** Rows the run lost track of and ended itself (`unknown`, or `not_sent` if never sent). */
  readonly lost: number;
}

export interface EngineHandle {
  /** Resolves when every row has an outcome. */
  readonly done: Promise<EngineResult>;
  readonly records: ReadonlyMap<number, Readonly<RowRecord>>;
  pause(): void;
  resume(): void;
  cancel(): void;
  /** Stops the run for a reason that makes every further request pointless (401/403 from a check). */
  stopForAuth(error: PropexoError): void;
  /**
   * Ends every row still open as lost (`unknown`; `not_sent` if never sent) and resolves `done`.
   * For when nothing is left in flight or scheduled, so nothing could ever end those rows.
   */
  abandon(reason: string): void;
  readonly paused: boolean;
}

const LOST = 'the run lost track of this row';

function beforeEntry(row: EngineRow, before: RowBeforeValues): JournalInput {
  const unreadable = Object.keys(before.unreadable).length > 0 ? { unreadable: { ...before.unreadable } } : {};
  return { t: 'before', row: row.rowNumber, leadId: row.leadId, values: { ...before.values }, ...unreadable };
}

const issueText = (issue: { readonly field: string; readonly message: string }): string =>
  issue.field ? `${issue.field}: ${issue.message}` : issue.message;

export function runEngine(deps: EngineDeps, rows: AsyncIterable<readonly EngineRow[]>, options: EngineOptions = {}): EngineHandle {
  const { client, queue, budget, tracker, journal, clock } = deps;
  const random = deps.random ?? Math.random;
  const backoff = options.backoff ?? defaultBackoffPolicy;
  const maxOutstanding = options.maxOutstanding ?? 2_000;
  const maxSending = options.maxSending ?? 256;
  const prior = options.prior ?? new Map<number, RowJournalState>();
  // Rows under way as objects, rows with their outcome compactly (row-records.ts).
  const records = new RowRecords(options.leadIdOf);
  /** Stops admission and every wait; requests already sent finish. */
  const admission = new AbortController();
  // Every queued row listens to it (thousands at once): not a leak, so no warning on stderr.
  setMaxListeners(0, admission.signal);
  let stop: EngineStop | undefined;
  let paused = false;
  /** Set by abandon(): every row has its end, nothing more is written or changed. */
  let over = false;
  let lost = 0;

  const changed = (record: RowRecord): void => {
    options.onRow?.(record);
    if (isFinalState(record.outcome)) records.settle(record);
  };

  // Once the journal cannot be written, nothing more can be made crash-safe: the run halts and
  // every row still ends with an outcome in memory (the summary, the results file). What the
  // journal saved before stays intact, and a resume continues from there.
  const write = (entry: JournalInput): void => {
    if (stop?.reason === 'journal' || over) return;
    try {
      journal.append(entry);
    } catch (error) {
      halt({ reason: 'journal', message: error instanceof Error ? error.message : String(error) });
    }
  };

  // Rows admitted whose update is not yet accepted or given up, and how many of them have their
  // turn (the others wait for their lead's previous job). Once the file is read and no row has
  // its turn, no update will go out until jobs settle: the tracker stops waiting to batch its
  // checks. Telling it when the file was read instead (long before the rows are sent) made it
  // read the write logs every couple of seconds for the whole run.
  const toSend = new Set<number>();
  const hasTurn = new Set<number>();
  let admissionOver = false;
  const maybeDraining = (): void => {
    if (admissionOver && hasTurn.size === 0) tracker.draining();
  };
  // Admission waits for a row to end or, below, for one to leave its send phase.
  let admissionWaits: (() => void) | undefined;
  const wakeAdmission = (): void => {
    const wake = admissionWaits;
    admissionWaits = undefined;
    wake?.();
  };
  const sendPhaseOver = (row: number): void => {
    if (!toSend.delete(row)) return;
    hasTurn.delete(row);
    maybeDraining();
    wakeAdmission();
  };

  const halt = (reason: EngineStop): void => {
    if (stop) return;
    stop = reason;
    admission.abort();
    queue.clear();
    tracker.stop();
  };

  const finish = (record: RowRecord, outcome: SendOutcome, errors: readonly string[] = record.errors): void => {
    if (over) return;
    sendPhaseOver(record.row);
    record.outcome = outcome;
    record.errors = errors;
    changed(record);
  };

  const notSent = (record: RowRecord, reason: string): void => {
    write({ t: 'not_sent', row: record.row, reason });
    finish(record, 'not_sent', [reason]);
  };

  /** A 401/403 answer to a row's request: nothing more is worth sending. */
  const keyRefused = (error: PropexoError): void =>
    halt({
      reason: 'auth',
      message: `Propexo refused the API key (HTTP ${'status' in error ? error.status : '?'}): ${error.message}. Nothing more was sent; fix the key and resume the run.`,
    });

  const stopReason = (): string => stop?.message ?? 'the run was cancelled';

  // Rows waiting for their job's outcome. The tracker follows one job per waiting row; when fewer
  // jobs are followed than rows wait, a wait may be lost: looked at once pending reactions have
  // run (a job just settled has resolved its row, but the row has not seen it yet).
  const waiting = new Map<number, { readonly jobId: string; readonly lose: (reason: string) => void }>();
  let lookScheduled = false;
  const lookForLostWaits = (): void => {
    if (lookScheduled || waiting.size <= tracker.size) return;
    lookScheduled = true;
    setImmediate(() => {
      lookScheduled = false;
      for (const wait of [...waiting.values()]) {
        if (!tracker.follows(wait.jobId)) wait.lose(`nothing follows its job ${wait.jobId} any more, so its outcome would never come`);
      }
    });
  };

  /** The job's outcome, or `lost` if nothing follows the job any more. */
  function outcomeOf(
    row: number,
    jobId: string,
    acceptedAt: number,
  ): Promise<JobOutcome | { readonly kind: 'lost'; readonly reason: string }> {
    return new Promise<JobOutcome | { readonly kind: 'lost'; readonly reason: string }>((resolve, reject) => {
      waiting.set(row, { jobId, lose: (reason) => resolve({ kind: 'lost', reason }) });
      tracker.track(jobId, acceptedAt).then(resolve, reject);
      lookForLostWaits();
    }).finally(() => {
      waiting.delete(row);
      lookForLostWaits();
    });
  }

  async function follow(record: RowRecord, jobId: string, acceptedAt: number, note?: string): Promise<void> {
    record.jobId = jobId;
    sendPhaseOver(record.row);
    const outcome = await outcomeOf(record.row, jobId, acceptedAt);
    if (over) return;
    if (outcome.kind === 'lost') {
      const reason = `${LOST}: ${outcome.reason}`;
      lost++;
      write({ t: 'unknown', row: record.row, reason });
      record.stage = 'job';
      finish(record, 'unknown', [reason]);
      return;
    }
    if (outcome.kind === 'pending') {
      write({ t: 'pending', row: record.row, jobId });
      finish(record, 'pending', ['the job was still pending; check it later with "lead-import status"']);
      return;
    }
    // Written or not, nobody can tell: Propexo does not know the job, or gave its id to another update too.
    if (outcome.kind === 'not_found' || outcome.kind === 'repeated') {
      write({ t: 'unknown', row: record.row, reason: outcome.message });
      record.stage = 'job';
      finish(record, 'unknown', [outcome.message]);
      return;
    }
    write({ t: 'final', row: record.row, jobId, writeStatus: outcome.writeStatus, errors: [...outcome.errors] });
    const result: SendOutcome = outcomeOfWriteStatus(outcome.writeStatus);
    const errors =
      outcome.errors.length > 0
        ? outcome.errors
        : outcome.writeStatus === 'FAILURE'
          ? ['the write failed in the property-management system (no reason given)']
          : [];
    record.stage = 'job';
    finish(record, result, withNote(result, errors, note));
  }

  async function send(row: EngineRow, record: RowRecord): Promise<void> {
    let retries = 0;
    let throttledInARow = 0;
    let lastOutcomeUnknown = false;
    for (;;) {
      if (stop) {
        if (lastOutcomeUnknown) {
          write({ t: 'unknown', row: row.rowNumber, reason: `${stopReason()} after a request whose outcome is unknown` });
          finish(record, 'unknown');
        } else notSent(record, stopReason());
        return;
      }
      let result;
      try {
        result = await queue.run(
          'update',
          async () => {
            record.attempts++;
            record.outcome = 'sending';
            changed(record);
            // Before-values first: the same group commit writes and fsyncs both (undo needs them).
            if (row.before) write(beforeEntry(row, row.before));
            write({
              t: 'sent',
              row: row.rowNumber,
              leadId: row.leadId,
              attempt: record.attempts,
              ...(row.note !== undefined ? { note: row.note } : {}),
            });
            // On disk before the request leaves: after a crash this row is re-sent, never lost.
            await journal.flush();
            // Abandoned meanwhile: its end is written (not sent / unknown); nothing may leave now.
            if (over) throw abortError();
            options.onUpdateRequest?.();
            return client.updateLead(row.leadId, row.payload, { ignoreUnknownFields: options.ignoreUnknownFields });
          },
          admission.signal,
        );
      } catch (error) {
        if (over) return;
        if (isAbortError(error)) continue; // `stop` is set: handled at the top of the loop.
        // The journal could not be written: nothing more can be made safe.
        halt({ reason: 'journal', message: error instanceof Error ? error.message : String(error) });
        record.outcome = lastOutcomeUnknown ? 'unknown' : 'not_sent';
        finish(record, record.outcome, [stopReason()]);
        return;
      }

      if (over) return;
      if (result.ok) {
        const acceptedAt = clock.now();
        write({ t: 'accepted', row: row.rowNumber, jobId: result.value.job_id, attempt: record.attempts, httpStatus: result.status });
        record.httpStatus = result.status;
        record.outcome = 'accepted';
        record.errors = [];
        record.jobId = result.value.job_id;
        changed(record);
        await follow(record, result.value.job_id, acceptedAt, row.note);
        return;
      }

      const error = result.error;
      record.httpStatus = 'status' in error ? error.status : undefined;
      switch (error.kind) {
        case 'rejected': {
          const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          write({ t: 'rejected', row: row.rowNumber, httpStatus: error.status ?? 400, message: error.message, issues });
          record.stage = 'request';
          finish(record, 'rejected', [error.message, ...error.issues.map(issueText)]);
          return;
        }
        case 'auth':
          keyRefused(error);
          continue;
        case 'throttled':
          // The budget saw the 429 and paused every sender; this row simply waits its turn.
          throttledInARow++;
          if (throttledInARow < maxThrottledInARow) continue;
          write({ t: 'failed', row: row.rowNumber, reason: 'rate limited again and again (HTTP 429)', httpStatus: 429 });
          record.stage = 'request';
          finish(record, 'failed', ['rate limited again and again (HTTP 429)']);
          return;
        case 'retryable':
        case 'unexpected':
        case 'cancelled': {
          throttledInARow = 0;
          lastOutcomeUnknown = error.outcomeUnknown;
          const decision =
            error.kind === 'retryable' ? nextBackoff(retries, backoff, random, error.retryAfterMs ?? 0) : { retry: false as const };
          if (!decision.retry) {
            record.stage = 'request';
            const reason = error.kind === 'retryable' && retries > 0 ? `${error.message} (after ${retries + 1} attempts)` : error.message;
            if (error.outcomeUnknown) {
              write({ t: 'unknown', row: row.rowNumber, reason });
              finish(record, 'unknown', [`${reason}; the update may or may not have been applied`]);
            } else {
              write({ t: 'failed', row: row.rowNumber, reason, ...(record.httpStatus ? { httpStatus: record.httpStatus } : {}) });
              finish(record, 'failed', [reason]);
            }
            return;
          }
          retries++;
          record.outcome = 'retrying';
          record.errors = [error.message];
          changed(record);
          try {
            await clock.sleep(decision.delayMs, admission.signal);
          } catch (sleepError) {
            if (!isAbortError(sleepError)) throw sleepError;
          }
          continue;
        }
      }
    }
  }

  async function processRow(row: EngineRow): Promise<void> {
    if (toSend.has(row.rowNumber)) hasTurn.add(row.rowNumber);
    const before = prior.get(row.rowNumber);
    const record: RowRecord = startingRecord(row.rowNumber, row.leadId, before);
    records.set(row.rowNumber, record);
    if (before?.next === 'poll' && before.jobId !== undefined) {
      changed(record);
      if (stop) {
        write({ t: 'pending', row: row.rowNumber, jobId: before.jobId });
        finish(record, 'pending', ['the job was still pending when the run stopped']);
        return;
      }
      await follow(record, before.jobId, clock.now(), before.note);
      return;
    }
    if (options.followOnly) {
      // Nothing is sent: a row never sent stays not sent.
      if (record.outcome === 'queued') record.outcome = 'not_sent';
      changed(record);
      return;
    }
    // Finished rows stay as they are; `not_sent` rows were never applied and go out now.
    if (before?.next === 'done' && before.last.t !== 'not_sent') {
      changed(record);
      return;
    }
    if (row.end) {
      endUnsent(row, record, row.end);
      return;
    }
    record.outcome = 'queued';
    changed(record);
    const ready = options.prepare ? await prepared(row, record, options.prepare) : row;
    if (ready !== undefined) await send(ready, record);
  }

  /** The row as its `prepare` step says to send it, or undefined once the row has its end. */
  async function prepared(row: EngineRow, record: RowRecord, prepare: PrepareRow): Promise<EngineRow | undefined> {
    let decision: PreparedRow;
    try {
      decision = await prepare(row, admission.signal);
    } catch (error) {
      if (over) return undefined;
      if (stop || isAbortError(error)) {
        notSent(record, stopReason());
        return undefined;
      }
      const reason = error instanceof Error ? error.message : String(error);
      write({ t: 'failed', row: row.rowNumber, reason });
      record.stage = 'request';
      finish(record, 'failed', [reason]);
      return undefined;
    }
    if (over) return undefined;
    if ('stop' in decision) keyRefused(decision.stop);
    // Stopped meanwhile (cancelled), or by this row's refused key: nothing of this row left.
    if (stop || 'stop' in decision) {
      notSent(record, stopReason());
      return undefined;
    }
    if ('end' in decision) {
      endUnsent(row, record, decision.end);
      return undefined;
    }
    const { payload, before, note } = decision.send;
    return { ...row, payload, before, ...(note !== undefined ? { note } : {}) };
  }

  /**
   * A resumed run stopped before reaching rows the journal already knows: they keep what the
   * journal says (a row it sent and saw succeed is not `not_sent`), without the file being read
   * on; only rows that were to be sent again end `not_sent`. Not emitted row by row.
   */
  function keepPriorEnds(): void {
    for (const [row, before] of prior) {
      if (records.has(row)) continue;
      const record = startingRecord(row, options.leadIdOf?.(row) ?? '', before);
      if (record.outcome === 'queued') {
        record.outcome = 'not_sent';
        record.errors = [stopReason()];
      }
      records.settle(record);
    }
  }

  /** A row that is not sent: already up to date, its lead not found (stage `match`), or failed before its update. */
  function endUnsent(row: EngineRow, record: RowRecord, end: EngineRowEnd): void {
    if (end.t === 'unchanged') {
      write({ t: 'unchanged', row: row.rowNumber, leadId: row.leadId, ...(end.reason !== undefined ? { reason: end.reason } : {}) });
      finish(record, 'unchanged', end.reason !== undefined ? [end.reason] : []);
      return;
    }
    if (end.t === 'not_sent') {
      notSent(record, end.reason);
      return;
    }
    if (end.t === 'failed') {
      write({ t: 'failed', row: row.rowNumber, reason: end.reason, ...(end.httpStatus ? { httpStatus: end.httpStatus } : {}) });
      record.stage = 'request';
      if (end.httpStatus !== undefined) record.httpStatus = end.httpStatus;
      finish(record, 'failed', [end.reason]);
      return;
    }
    write({ ...end, row: row.rowNumber });
    record.stage = 'match';
    finish(record, end.outcome, [end.message]);
  }

  let abandoned: ((result: EngineResult) => void) | undefined;
  const abandonedRun = new Promise<EngineResult>((resolve) => (abandoned = resolve));

  const finished = (async (): Promise<EngineResult> => {
    const chains = new Map<string, Promise<void>>();
    let outstanding = 0;
    // Rows admitted behind their lead's previous row: they wait for its job, not for a slot.
    let behindTheirLead = 0;
    const all = new Set<Promise<void>>();
    // Rows are admitted as the send queue takes them, not up to maxOutstanding at once: a row
    // waiting for a slot holds its frames, promise and payload, and at thousands of rows a second
    // a backlog of 2,000 rows outlived the young generation, all of it promoted to the old one
    // (bench:desktop); rows following their jobs count only against maxOutstanding.
    const mayAdmit = (): boolean => outstanding < maxOutstanding && toSend.size - behindTheirLead < maxSending;
    admitting: for await (const batch of rows) {
      for (const row of batch) {
        // Stopped: the rest of the file is not read. Rows never reached have no record: they
        // are `not_sent` by projection (outcomes.ts: countRun, endedState), not one by one.
        if (stop || over) break admitting;
        while (!mayAdmit()) await new Promise<void>((resolve) => (admissionWaits = resolve));
        if (stop || over) break admitting;
        outstanding++;
        toSend.add(row.rowNumber);
        const previous = chains.get(row.leadId);
        if (previous !== undefined) behindTheirLead++;
        const task: Promise<void> = (previous ?? Promise.resolve())
          .then(() => {
            if (previous !== undefined) behindTheirLead--;
            return processRow(row);
          })
          .finally(() => {
            sendPhaseOver(row.rowNumber);
            outstanding--;
            all.delete(task);
            if (chains.get(row.leadId) === task) chains.delete(row.leadId);
            wakeAdmission();
          });
        chains.set(row.leadId, task);
        all.add(task);
      }
    }
    if (stop || over) keepPriorEnds();
    // Every chain's first row has started by now (its turn was queued before this line ran).
    admissionOver = true;
    maybeDraining();
    while (all.size > 0) await Promise.all([...all]);
    return { stop, lost };
  })();
  const done = Promise.race([finished, abandonedRun]);

  return {
    done,
    records,
    pause() {
      if (paused || stop) return;
      paused = true;
      budget.pause();
      write({ t: 'paused' });
    },
    resume() {
      if (!paused) return;
      paused = false;
      budget.resume();
      write({ t: 'resumed' });
    },
    cancel() {
      if (paused) {
        paused = false;
        budget.resume();
      }
      halt({ reason: 'cancelled', message: 'the run was cancelled' });
    },
    stopForAuth(error) {
      halt({
        reason: 'auth',
        message: `Propexo refused the API key (HTTP ${'status' in error ? error.status : '?'}). Nothing more was sent; fix the key and resume the run.`,
      });
    },
    abandon(reason) {
      if (over) return;
      const why = `${LOST}: ${reason}`;
      for (const record of records.underWay()) {
        if (isFinalState(record.outcome)) continue;
        lost++;
        // Never sent (in this run): nothing reached Propexo. Sent or accepted: it may have been written.
        if (record.outcome === 'queued') {
          notSent(record, why);
        } else {
          write({ t: 'unknown', row: record.row, reason: why });
          if (record.outcome === 'accepted') record.stage = 'job';
          else record.stage = 'request';
          finish(record, 'unknown', [why]);
        }
      }
      over = true;
      admission.abort();
      queue.clear();
      tracker.stop();
      abandoned?.({ stop, lost });
    },
    get paused() {
      return paused;
    },
  };
}
