// The invariants every send scenario must keep, checked from the evidence and nothing else: the
// simulator's own record (what arrived, what was applied, what was answered), the run's journal
// (read with readJournal and folded with foldRowStates), the results file and the summary.
//
//  (a) every valid row's update was applied at least once (rows of leads the server does not
//      know excepted: every request of theirs was answered 404 and they end `rejected`);
//  (b) no row whose acceptance is in the journal was sent again afterwards: the request that
//      produced the journaled job is found in the record (same row marker, same lead, answered
//      200 with that job id) and no request for that row arrived after it;
//  (c) every source row has exactly one final outcome in the results file, and it is the one
//      the journal gives the row;
//  (d) the counts of the summary, the results file, the journal's fold and its `finished`
//      entry agree.
// And what makes those hold: every request was journaled as `sent` before it left (write-ahead);
// rows for one lead arrive in file order; results name the simulator's job and its status.
//
// Rows for the same lead are distinct rows: each request carries its row's marker (first_name),
// so a request is matched to its row, checked against the row's lead, and ordered by arrival.
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import * as E from 'fp-ts/Either';
import { readJournal } from '../../../app/run/journal.ts';
import { foldRowStates, outcomeOf, type JournalEntry, type RowJournalState } from '../../../app/run/journal-entry.ts';
import type { RecordedRequest } from '../../../app/simulator/index.ts';
import { rowOfBody, type LeadFile } from './lead-file.ts';
import { updateRequests, type ClockedSimulator } from './simulator-clock.ts';
import type { Check } from './scenario-report.ts';
import { Checks } from './scenario-report.ts';
import type { RunCounts } from '../../../app/run/run-counts.ts';

/** The counts a run reports, from the API's RunResult or the CLI's `--json` line alike. */
export type SummaryCounts = Omit<RunCounts, 'runId'>;

export interface RunEvidence {
  readonly file: LeadFile;
  readonly simulator: ClockedSimulator;
  /** <data dir>/runs/<run id> */
  readonly runDir: string;
  readonly resultsPath: string;
  /** The summary of the run's last process; undefined when it printed none. */
  readonly summary: SummaryCounts | undefined;
  /** Update requests and 429s counted by every process of the run, when every process reported. */
  readonly counted?: { readonly update: number; readonly throttled: number };
  /** Journal entries the harness cut off (a torn last line it made between a kill and a resume). */
  readonly lostEntries?: readonly JournalEntry[];
}

export interface InvariantOptions {
  /** The run is over: every valid row has its end and was applied. Default true. */
  readonly final?: boolean;
  /** Rows may end `pending` (their jobs are still PENDING at the simulator). */
  readonly allowPending?: boolean;
  /** No process of the run was killed: each request has exactly one `sent` entry. */
  readonly exactSent?: boolean;
}

export interface InvariantResult {
  readonly checks: readonly Check[];
  /** Observations that are not failures (e.g. a late write the server applied out of order). */
  readonly notes: readonly string[];
}

// `unchanged`: the run read the lead first and the row had nothing to change (never sent).
const END_OUTCOMES = new Set(['succeeded', 'unchanged', 'partial', 'failed', 'rejected', 'unknown', 'pending', 'not_sent']);
type Outcome = 'succeeded' | 'unchanged' | 'partial' | 'failed' | 'rejected' | 'unknown' | 'pending' | 'not_sent';
const OUTCOME_KEYS: readonly Outcome[] = ['succeeded', 'unchanged', 'partial', 'failed', 'rejected', 'unknown', 'pending', 'not_sent'];

interface ResultLine {
  readonly import_row: string;
  readonly lead_id: string;
  readonly outcome: string;
  readonly job_id: string;
  readonly http_status: string;
  readonly errors: string;
  readonly attempts: string;
}

export async function readResults(path: string): Promise<ResultLine[]> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  return Papa.parse<ResultLine>(text, { header: true, skipEmptyLines: true }).data;
}

/** What the journal says a row's outcome is, in the results file's words. */
function journalOutcome(state: RowJournalState | undefined): string {
  if (state === undefined) return 'not_sent';
  const outcome = outcomeOf(state.last);
  return outcome === 'write_failed' ? 'failed' : outcome;
}

const emptyTally = (): Record<Outcome, number> => ({
  succeeded: 0,
  unchanged: 0,
  partial: 0,
  failed: 0,
  rejected: 0,
  unknown: 0,
  pending: 0,
  not_sent: 0,
});

function describeRequest(r: RecordedRequest, startedAt: number): string {
  return `#${r.seq} at ${new Date(startedAt + r.at).toISOString().slice(11, 23)} → ${String(r.status)}${r.applied ? ' (applied)' : ''}`;
}

export async function checkInvariants(evidence: RunEvidence, options: InvariantOptions = {}): Promise<InvariantResult> {
  const final = options.final ?? true;
  const { file, runDir, resultsPath } = evidence;
  const { sim, startedAt } = evidence.simulator;
  const checks = new Checks();
  const notes: string[] = [];
  const missing = new Set(file.missingLeads);

  // ---- the journal ------------------------------------------------------------------------
  const read = await readJournal(runDir, { repair: false });
  let entries: JournalEntry[] = [];
  if (E.isLeft(read)) checks.that('journal readable', false, read.left.message);
  else {
    entries = read.right.entries;
    checks.none('journal readable', final ? read.right.problems : [], `${entries.length} entries`);
  }
  const fold = foldRowStates(entries);
  const sentEntries = new Map<number, number>();
  const sentLeadMismatch: string[] = [];
  for (const entry of [...entries, ...(evidence.lostEntries ?? [])]) {
    if (entry.t !== 'sent') continue;
    sentEntries.set(entry.row, (sentEntries.get(entry.row) ?? 0) + 1);
    const lead = file.byRow.get(entry.row)?.leadId;
    if (lead !== entry.leadId)
      sentLeadMismatch.push(`row ${entry.row}: journaled as sent to ${entry.leadId}, the file says ${String(lead)}`);
  }

  // ---- the simulator's record, by row -------------------------------------------------------
  const byRow = new Map<number, RecordedRequest[]>();
  const unnamed: string[] = [];
  const updates = updateRequests(sim);
  for (const r of updates) {
    const row = rowOfBody(r.body);
    const source = row === undefined ? undefined : file.byRow.get(row);
    if (row === undefined || source === undefined) unnamed.push(`request #${r.seq} to ${String(r.leadId)} names no row of the file`);
    else if (source.kind !== 'valid') unnamed.push(`request #${r.seq} carries ${source.kind} row ${row}`);
    else if (source.leadId !== r.leadId)
      unnamed.push(`request #${r.seq} for row ${row} went to lead ${String(r.leadId)}, not ${source.leadId}`);
    else {
      const list = byRow.get(row);
      if (list) list.push(r);
      else byRow.set(row, [r]);
    }
  }
  checks.none('every request is a valid row, sent to its own lead', [...unnamed, ...sentLeadMismatch], `${updates.length} update requests`);

  // ---- the results file ----------------------------------------------------------------------
  let lines: ResultLine[] = [];
  const outcomeViolations: string[] = [];
  try {
    lines = await readResults(resultsPath);
  } catch (error) {
    outcomeViolations.push(`cannot read ${resultsPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const results = new Map<number, ResultLine>();
  for (const line of lines) {
    const row = Number(line.import_row);
    if (results.has(row)) outcomeViolations.push(`row ${row} appears twice`);
    results.set(row, line);
  }

  // (a) applied at least once, from the simulator's `leads`.
  const appliedRows = new Map<number, number>();
  let appliedTotal = 0;
  for (const [lead, applied] of sim.leads) {
    for (const update of applied) {
      if (update.retryOf !== undefined) continue;
      appliedTotal++;
      const row = rowOfBody(update.body);
      if (row === undefined || file.byRow.get(row)?.leadId !== lead) continue; // reported above, from the record
      appliedRows.set(row, (appliedRows.get(row) ?? 0) + 1);
    }
  }
  if (final) {
    const notApplied: string[] = [];
    for (const row of file.valid) {
      const n = appliedRows.get(row.rowNumber) ?? 0;
      if (missing.has(row.leadId)) {
        const reqs = byRow.get(row.rowNumber) ?? [];
        if (n > 0) notApplied.push(`row ${row.rowNumber}: lead ${row.leadId} does not exist, yet an update was applied`);
        else if (reqs.length === 0 || reqs[reqs.length - 1].status !== 404)
          notApplied.push(
            `row ${row.rowNumber} (unknown lead): ${reqs.map((r) => describeRequest(r, startedAt)).join(', ') || 'never sent'}`,
          );
        else if (results.get(row.rowNumber)?.outcome !== 'rejected')
          notApplied.push(`row ${row.rowNumber} (unknown lead) ends ${String(results.get(row.rowNumber)?.outcome)}, not rejected`);
      } else if (n === 0) {
        const reqs = byRow.get(row.rowNumber) ?? [];
        notApplied.push(
          `row ${row.rowNumber} (${row.leadId}) never applied; requests: ${reqs.map((r) => describeRequest(r, startedAt)).join(', ') || 'none'}; outcome ${String(results.get(row.rowNumber)?.outcome)}`,
        );
      }
    }
    const appliedInRecord = updates.filter((r) => r.applied).length;
    if (appliedInRecord !== appliedTotal)
      notApplied.push(`the record shows ${appliedInRecord} applied updates, the simulator's leads ${appliedTotal}`);
    const twice = [...appliedRows.values()].filter((n) => n > 1).length;
    checks.none(
      '(a) every valid row applied at least once',
      notApplied,
      `${appliedRows.size} rows applied, ${twice} of them more than once`,
    );
  }

  // (b) nothing accepted in the journal was sent again.
  const resent: string[] = [];
  let acceptedCount = 0;
  for (const entry of entries) {
    if (entry.t !== 'accepted') continue;
    acceptedCount++;
    const reqs = byRow.get(entry.row) ?? [];
    const answer = reqs.find((r) => r.status === 200 && r.jobId === entry.jobId);
    if (answer === undefined) {
      resent.push(`row ${entry.row}: the journal accepted job ${entry.jobId}, which the simulator never answered for this row`);
      continue;
    }
    if (answer.finishedAt !== null && startedAt + answer.finishedAt > entry.at) {
      resent.push(
        `row ${entry.row}: acceptance of ${entry.jobId} journaled at ${entry.at}, before its answer left the simulator at ${startedAt + answer.finishedAt}`,
      );
    }
    const later = reqs.filter((r) => r.seq > answer.seq);
    if (later.length > 0) {
      resent.push(
        `row ${entry.row} (${file.byRow.get(entry.row)?.leadId}) sent again after its acceptance (${entry.jobId}, request #${answer.seq}) was journaled: ${later.map((r) => describeRequest(r, startedAt)).join(', ')}`,
      );
    }
  }
  checks.none('(b) no row sent again once its acceptance was journaled', resent, `${acceptedCount} acceptances traced to their requests`);

  // Write-ahead: every request that arrived had its `sent` entry on disk first.
  const writeAhead: string[] = [];
  for (const row of file.valid) {
    const requests = byRow.get(row.rowNumber)?.length ?? 0;
    const sent = sentEntries.get(row.rowNumber) ?? 0;
    if (requests > sent) writeAhead.push(`row ${row.rowNumber}: ${requests} requests arrived, ${sent} journaled as sent`);
    else if (options.exactSent && requests !== sent)
      writeAhead.push(`row ${row.rowNumber}: ${sent} journaled as sent, ${requests} arrived`);
  }
  checks.none(
    options.exactSent ? 'write-ahead: one `sent` entry per request' : 'write-ahead: every request journaled as `sent` first',
    writeAhead,
  );

  // Rows for one lead reach the server in file order (by arrival).
  const orderViolations: string[] = [];
  const lastRowOfLead = new Map<string, number>();
  for (const r of updates) {
    const row = rowOfBody(r.body);
    if (row === undefined || r.leadId === undefined) continue;
    const before = lastRowOfLead.get(r.leadId) ?? 0;
    if (row < before) orderViolations.push(`lead ${r.leadId}: row ${row} arrived (#${r.seq}) after row ${before}`);
    else lastRowOfLead.set(r.leadId, row);
  }
  checks.none('rows for one lead arrive in file order', orderViolations);
  // A request the client gave up on (timeout) may still be applied later than the next row's:
  // nothing a client can prevent without versioned writes; worth knowing, not a failure.
  let lateApplies = 0;
  for (const applied of sim.leads.values()) {
    let highest = 0;
    for (const update of applied) {
      const row = rowOfBody(update.body) ?? 0;
      if (row < highest) lateApplies++;
      highest = Math.max(highest, row);
    }
  }
  if (lateApplies > 0)
    notes.push(`${lateApplies} stale update(s) applied after a later row of the same lead (requests the client had timed out on)`);

  // (c) one final outcome per row, the journal's, and the simulator agrees.
  const simViolations: string[] = [];
  const attemptViolations: string[] = [];
  const tallyResults = emptyTally();
  let resultsSent = 0;
  for (const source of file.rows) {
    const line = results.get(source.rowNumber);
    if (line === undefined) {
      outcomeViolations.push(`row ${source.rowNumber} has no outcome`);
      continue;
    }
    if (line.lead_id !== source.leadId && source.kind === 'valid')
      outcomeViolations.push(`row ${source.rowNumber}: lead ${line.lead_id}, the file says ${source.leadId}`);
    if (source.kind !== 'valid') {
      if (line.outcome !== source.kind) outcomeViolations.push(`${source.kind} row ${source.rowNumber} ends ${line.outcome}`);
      continue;
    }
    const outcome = line.outcome;
    if (!END_OUTCOMES.has(outcome)) outcomeViolations.push(`row ${source.rowNumber} ends in ${outcome}, not an end`);
    else tallyResults[outcome as Outcome]++;
    if (final && outcome === 'not_sent') outcomeViolations.push(`row ${source.rowNumber} was never sent`);
    if (outcome === 'pending' && !options.allowPending && final) outcomeViolations.push(`row ${source.rowNumber} is still pending`);
    const state = fold.get(source.rowNumber);
    const fromJournal = journalOutcome(state);
    if (fromJournal !== outcome) outcomeViolations.push(`row ${source.rowNumber}: results say ${outcome}, the journal ${fromJournal}`);
    const attempts = Number(line.attempts);
    if (attempts > 0) resultsSent++;
    if (attempts !== (state?.attempts ?? 0))
      attemptViolations.push(`row ${source.rowNumber}: ${attempts} attempts in the results, ${state?.attempts ?? 0} sent entries`);

    // What the simulator says about the row.
    const reqs = byRow.get(source.rowNumber) ?? [];
    const applied = reqs.some((r) => r.applied);
    if (outcome === 'succeeded' || outcome === 'partial' || outcome === 'pending' || (outcome === 'failed' && line.job_id !== '')) {
      const answer = reqs.find((r) => r.status === 200 && r.jobId === line.job_id);
      if (answer === undefined)
        simViolations.push(`row ${source.rowNumber} ends ${outcome} with job '${line.job_id}', which the simulator never answered for it`);
      else if (outcome !== 'pending') {
        const status = sim.jobStatus(line.job_id)?.write_status;
        const expected = outcome === 'succeeded' ? 'SUCCESS' : outcome === 'partial' ? 'PARTIAL_SUCCESS' : 'FAILURE';
        if (status !== expected) simViolations.push(`row ${source.rowNumber} ends ${outcome}, its job ${line.job_id} is ${String(status)}`);
      }
    } else if ((outcome === 'failed' || outcome === 'rejected' || outcome === 'not_sent') && applied) {
      simViolations.push(
        `row ${source.rowNumber} ends ${outcome}, but the simulator applied it: ${reqs.map((r) => describeRequest(r, startedAt)).join(', ')}`,
      );
    } else if (
      outcome === 'rejected' &&
      !reqs.some((r) => typeof r.status === 'number' && r.status >= 400 && r.status < 500 && r.status !== 429 && r.status !== 401)
    ) {
      simViolations.push(`row ${source.rowNumber} ends rejected, but no request of it was refused`);
    }
    if (
      state !== undefined &&
      (state.last.t === 'sent' || state.last.t === 'accepted' || state.last.t === 'requeued' || state.last.t === 'retried')
    ) {
      outcomeViolations.push(`row ${source.rowNumber} left mid-flight in the journal (${state.last.t})`);
    }
  }
  for (const row of results.keys())
    if (!file.byRow.has(row)) outcomeViolations.push(`the results name row ${row}, which the file does not have`);
  checks.none('(c) one final outcome per row, the journal’s', outcomeViolations, `${results.size} rows`);
  checks.none('results match the simulator (job, write status, applied or not)', simViolations);
  checks.none('results attempts = `sent` entries', attemptViolations);

  // (d) the counts agree.
  const countViolations: string[] = [];
  const tallyJournal = emptyTally();
  for (const row of file.valid) {
    const outcome = journalOutcome(fold.get(row.rowNumber));
    if (outcome in tallyJournal) tallyJournal[outcome as Outcome]++;
  }
  const compare = (what: string, counts: Record<Outcome, number>): void => {
    for (const key of OUTCOME_KEYS) {
      if (counts[key] !== tallyResults[key]) countViolations.push(`${what} ${key} ${counts[key]}, results ${tallyResults[key]}`);
    }
  };
  compare('journal', tallyJournal);
  const summary = evidence.summary;
  if (summary === undefined) countViolations.push('the run printed no summary');
  else {
    compare('summary', {
      succeeded: summary.succeeded,
      unchanged: summary.unchanged,
      partial: summary.partial,
      failed: summary.failed,
      rejected: summary.rejected,
      unknown: summary.unknown,
      pending: summary.pending,
      not_sent: summary.notSent,
    });
    const kinds = {
      valid: file.valid.length,
      invalid: file.rows.filter((r) => r.kind === 'invalid').length,
      skipped: file.rows.filter((r) => r.kind === 'skipped').length,
    };
    const shown = { valid: summary.valid, invalid: summary.invalid, skipped: summary.skipped };
    if (JSON.stringify(shown) !== JSON.stringify(kinds) || summary.rows !== file.rows.length) {
      countViolations.push(
        `summary rows ${summary.rows} ${JSON.stringify(shown)}, the file has ${file.rows.length} ${JSON.stringify(kinds)}`,
      );
    }
    if (summary.sent !== resultsSent) countViolations.push(`summary sent ${summary.sent}, results show ${resultsSent} rows with attempts`);
  }
  const lastFinished = [...entries].reverse().find((e) => e.t === 'finished');
  if (final) {
    if (lastFinished?.t !== 'finished') countViolations.push('the journal has no `finished` entry');
    else {
      const s = lastFinished.summary;
      compare('journal `finished`', {
        succeeded: s.succeeded ?? 0,
        unchanged: s.unchanged ?? 0,
        partial: s.partial ?? 0,
        failed: (s.failed ?? 0) + (s.write_failed ?? 0),
        rejected: s.rejected ?? 0,
        unknown: s.unknown ?? 0,
        pending: s.pending ?? 0,
        not_sent: s.not_sent ?? 0,
      });
    }
  }
  if (evidence.counted !== undefined) {
    const throttled = sim.record.filter((r) => r.status === 429).length;
    if (evidence.counted.update !== updates.length)
      countViolations.push(`the run counted ${evidence.counted.update} update requests, the simulator saw ${updates.length}`);
    if (evidence.counted.throttled !== throttled)
      countViolations.push(`the run counted ${evidence.counted.throttled} 429s, the simulator answered ${throttled}`);
  }
  checks.none(
    '(d) summary, results and journal counts agree',
    countViolations,
    JSON.stringify(Object.fromEntries(OUTCOME_KEYS.filter((k) => tallyResults[k] > 0).map((k) => [k, tallyResults[k]]))),
  );

  return { checks: checks.list, notes };
}

const SUMMARY_KEYS: readonly (keyof SummaryCounts)[] = [
  'rows',
  'valid',
  'invalid',
  'skipped',
  'sent',
  'succeeded',
  'unchanged',
  'partial',
  'failed',
  'rejected',
  'unknown',
  'pending',
  'notSent',
];

/** The counts of a CLI `--json` summary line; undefined when it is not one. */
export function summaryFromJson(
  json: Record<string, unknown> | undefined,
): (SummaryCounts & { readonly requests: { readonly update: number; readonly throttled: number } }) | undefined {
  if (json === undefined || !SUMMARY_KEYS.every((k) => typeof json[k] === 'number')) return undefined;
  const requests = json.requests as { update?: unknown; throttled?: unknown } | undefined;
  const counts = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, json[k] as number])) as unknown as SummaryCounts;
  return { ...counts, requests: { update: Number(requests?.update ?? Number.NaN), throttled: Number(requests?.throttled ?? Number.NaN) } };
}
