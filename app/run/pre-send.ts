// What a run does before its first write (issues #12 and #13), for startSend, resume and retry:
// 1. the check against Propexo, when the mapping names leads by x_id/e-mail/phone or holds names
//    for id fields: `lookups.json` is written before anything else, so a resume or a retry reads
//    nothing again; each matched row's resolution (key kind, key, lead id) is journaled; rows not
//    matched end `not_found` / `ambiguous` at stage `match` and are never sent;
// 2. the preview, unless skipped: each lead's current values (free from the leads the check read,
//    else one GET per lead), so that only fields that change are sent, a row already up to date
//    ends `unchanged`, and every sent row carries its before-values (journaled with `sent`: undo).
// What it decides becomes the engine's rows. Reads go through the run's queue and budget.
import * as E from 'fp-ts/Either';
import type { LeadUpdate } from '../lead/lead-update.ts';
import { checkImport, leadKeyKindOf, matchProblemColumns, matchProblems } from '../lookup/check-import.ts';
import { CheckInterrupted, type CheckedRow } from '../lookup/check-rows.ts';
import type { LeadKeyKind } from '../lookup/lead-keys.ts';
import { LookupReadError } from '../lookup/lookup-reader.ts';
import { readLookupCache, writeLookupCache } from '../lookup/lookup-cache.ts';
import { isReferenceField } from '../lookup/reference-resolver.ts';
import type { Lead } from '../propexo/read-codecs.ts';
import type { PropexoReadClient } from '../propexo/reads.ts';
import { countChanges, type ChangeCounts } from '../preview/changes.ts';
import { describeReadCost, leadsOrReasons, readCost, readCurrentValues, type ReadCost } from '../preview/current-values.ts';
import { referenceIdsFrom, type ReferenceIds, type ReferencedList, type ReferencedRecord } from '../preview/field-correspondence.ts';
import { previewRun, type PreviewedRow } from '../preview/preview-run.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import { decodedRows } from '../validate/decoded-rows.ts';
import type { EngineRow } from './engine.ts';
import { matchesOf, type RowJournalState, type RowMatchKey } from './journal-entry.ts';
import type { LookupScope } from './run-header.ts';
import type { RunContext } from './run-context.ts';
import type { RunHandle } from './run-store.ts';
import type { RunInput } from './run-input.ts';

/** What the run will do, told before it is done (the CLI prints it; the desktop shows it). */
export interface PreSendReport {
  /** The check against Propexo (absent when the rows name Propexo ids and no names). */
  readonly lookup?: {
    readonly matched: number;
    readonly notFound: number;
    readonly ambiguous: number;
    readonly strategy: string;
    readonly requests: number;
    readonly scopeChanged: boolean;
  };
  /** What reading the current values costs, before it is spent ("Reading current values of …"). */
  readonly readCost?: ReadCost & { readonly text: string };
  /** The preview's counts: "N leads, M fields will change; K rows are already up to date". */
  readonly changes?: ChangeCounts;
  /** The preview was skipped (--no-preview): nothing is dropped as unchanged, undo is not available. */
  readonly previewSkipped: boolean;
}

export interface PreSendOptions {
  /** The lookups' scope; undefined: the run looks nothing up. */
  readonly lookup: LookupScope | undefined;
  readonly preview: boolean;
  /** What the journal already says: rows with a state are neither matched again nor previewed. */
  readonly prior: ReadonlyMap<number, RowJournalState>;
  /** Called once before the current values are read (cost), once after the preview (counts). */
  readonly onReport?: (report: PreSendReport) => void;
  readonly signal?: AbortSignal;
  /** Filled with the key each checked row was looked up by (the results file names it). */
  readonly matchKeys?: Map<number, RowMatchKey>;
}

/** Whether the mapping needs the check against Propexo: leads named by another key, or names for ids. */
export function lookupNeeded(prepared: Pick<PreparedImport, 'mapping'>): boolean {
  return (
    leadKeyKindOf(prepared) !== 'lead_id' ||
    prepared.mapping.columns.some((column) => column.field !== null && isReferenceField(column.field))
  );
}

/** Why a run cannot start: it needs lookups and has no scope for them. */
export function scopeRefusal(prepared: Pick<PreparedImport, 'mapping'>, scope: LookupScope | undefined): string | undefined {
  if (!lookupNeeded(prepared) || scope?.integrationId !== undefined) return undefined;
  const kind = leadKeyKindOf(prepared);
  const why = kind !== 'lead_id' ? `the rows name their leads by ${kind}` : 'columns hold names of lead sources, agents, units or plans';
  return `The rows must be looked up in Propexo (${why}): give --integration ID (and --property ID), or "integration" in the mapping file`;
}

/** What the check's reads showed, kept for the preview: leads (current values at no cost) and the lists it compares ids through. */
export interface Seen {
  readonly leads: Map<string, Lead>;
  readonly references: Partial<Record<ReferencedList, ReferencedRecord[]>>;
}

/**
 * The Propexo ids of the employees and floor plans the check listed: what the preview compares
 * employee_id and floor_plan_id through (the lead shows the PMS's ids). The run's preview and
 * the desktop's Changes view both take them from here.
 */
export const referenceIdsSeen = (seen: Pick<Seen, 'references'>): ReferenceIds => referenceIdsFrom(seen.references);

/** The run's read client, counting its requests and keeping what the lists showed. */
export const nothingSeen = (): Seen => ({ leads: new Map(), references: {} });

export function observedReads(reads: PropexoReadClient, seen: Seen, counters: RunContext['counters']): PropexoReadClient {
  return {
    baseUrl: reads.baseUrl,
    async listPage(endpoint, filters, offset, limit, options) {
      counters.lookup++;
      const answer = await reads.listPage(endpoint, filters, offset, limit, options);
      if (answer.ok) {
        // The generic item type does not narrow on `endpoint`: each branch names its item type.
        if (endpoint === 'leads') for (const lead of answer.value.results as readonly Lead[]) seen.leads.set(lead.id, lead);
        const list: ReferencedList | undefined =
          endpoint === 'employees' ? 'employees' : endpoint === 'floor-plans' ? 'floor-plans' : undefined;
        if (list !== undefined) (seen.references[list] ??= []).push(...(answer.value.results as readonly ReferencedRecord[]));
      }
      return answer;
    },
    getLead(leadId, options) {
      counters.read++;
      return reads.getLead(leadId, options);
    },
  };
}

type Plan = { readonly leadId: string; readonly payload: LeadUpdate } | { readonly end: NonNullable<EngineRow['end']> };

/** A row the journal has ended (its job final, or not sent): it sends nothing more. */
const isDone = (state: RowJournalState | undefined): boolean => state === undefined || state.next === 'done';

/** A row the journal has not ended: never sent, requeued by a retry, or not sent when its run stopped. */
const isOpen = (state: RowJournalState | undefined): boolean =>
  state === undefined || state.next === 'send' || (state.next === 'done' && state.last.t === 'not_sent');

function planOfChecked(
  row: CheckedRow,
  kind: LeadKeyKind,
  payload: LeadUpdate,
  problems: { readonly lines: readonly string[]; readonly columns: readonly (string | null)[] },
): Plan {
  if (row.outcome === 'matched' && row.lead?.outcome === 'matched')
    return { leadId: row.lead.leadId, payload: { ...payload, ...row.resolved } as LeadUpdate };
  return {
    end: {
      t: 'unmatched',
      outcome: row.outcome === 'ambiguous' ? 'ambiguous' : 'not_found',
      kind,
      key: row.lead?.key ?? '',
      // One problem a line (file, row, column, value), as the error report puts each.
      message: problems.lines.join('\n'),
      columns: [...problems.columns],
    },
  };
}

/**
 * The run's rows as the engine sends them, after the check and the preview. Lookups that cannot
 * be made (Propexo refuses the key, keeps failing) end the open rows `not_sent`: nothing was
 * written, and a resume checks them again.
 */
export async function* preparedSendRows(
  input: RunInput,
  context: RunContext,
  handle: Pick<RunHandle, 'dir' | 'journal' | 'entries'>,
  options: PreSendOptions,
): AsyncGenerator<readonly EngineRow[]> {
  const rows: EngineRow[] = [];
  for await (const batch of decodedRows(input.prepared, input.edits)) {
    for (const { decoded } of batch)
      if (decoded.status === 'valid' && decoded.leadId !== null)
        rows.push({ rowNumber: decoded.rowNumber, leadId: decoded.leadId, payload: decoded.payload });
  }
  const seen = nothingSeen();
  const connection = { ...context, reads: observedReads(context.reads, seen, context.counters) };
  let planned: EngineRow[];
  try {
    planned = await plan(rows, input, connection, handle, options, seen);
  } catch (error) {
    const cause = error instanceof CheckInterrupted ? error.cause : error;
    if (cause instanceof LookupReadError && cause.error.kind === 'auth') context.onFatal(cause.error);
    // What the check learned before it stopped: the resume does not read it again. A cache that
    // cannot be written costs those reads again, never a wrong answer.
    if (error instanceof CheckInterrupted) await writeLookupCache(handle.dir, error.cache).catch(() => undefined);
    const reason = options.signal?.aborted
      ? 'the run was cancelled'
      : `the check against Propexo could not be made: ${cause instanceof Error ? cause.message : String(cause)}`;
    planned = rows.map((row) => (isOpen(options.prior.get(row.rowNumber)) ? { ...row, end: { t: 'not_sent', reason } } : row));
  }
  for (let i = 0; i < planned.length; i += 500) yield planned.slice(i, i + 500);
}

async function plan(
  rows: readonly EngineRow[],
  input: RunInput,
  connection: RunContext,
  handle: Pick<RunHandle, 'dir' | 'journal' | 'entries'>,
  options: PreSendOptions,
  seen: Seen,
): Promise<EngineRow[]> {
  let planned: EngineRow[] = [...rows];
  let report: PreSendReport = { previewSkipped: !options.preview };

  if (options.lookup !== undefined && lookupNeeded(input.prepared)) {
    const cache = await readLookupCache(handle.dir);
    const journaled = matchesOf(handle.entries);
    // A row the journal has ended is not sent again: it is not looked up again either (its lead,
    // if it was matched, is the journaled one). Only the rows still to send cost lookups.
    const ended = (row: EngineRow): boolean => !isOpen(options.prior.get(row.rowNumber));
    const checked = await checkImport(input.prepared, connection, {
      scope: options.lookup,
      cache,
      edits: input.edits,
      signal: options.signal,
      only: new Set(rows.filter((row) => !ended(row)).map((row) => row.rowNumber)),
    });
    if (E.isLeft(checked)) throw new Error(checked.left);
    const { kind, result } = checked.right;
    // Before the first write: a resume or a retry of this run reads none of it again.
    await writeLookupCache(handle.dir, result.cache);
    const byRow = new Map(result.rows.map((row) => [row.rowNumber, row]));
    planned = rows.map((row) => {
      const checkedRow = byRow.get(row.rowNumber);
      if (checkedRow === undefined) {
        const known = journaled.get(row.rowNumber);
        return known === undefined ? row : { ...row, leadId: known.leadId };
      }
      const problems =
        checkedRow.outcome === 'matched'
          ? { lines: [], columns: [] }
          : { lines: matchProblems(checked.right, checkedRow), columns: matchProblemColumns(checked.right, checkedRow) };
      if (checkedRow.lead !== null)
        options.matchKeys?.set(row.rowNumber, {
          kind,
          key: checkedRow.lead.key,
          ...(checkedRow.outcome === 'matched' ? {} : { problemColumns: problems.columns }),
        });
      const decided = planOfChecked(checkedRow, kind, row.payload, problems);
      if ('end' in decided) return { ...row, end: decided.end };
      const match = checkedRow.lead;
      const known = journaled.get(row.rowNumber);
      if (
        match !== null &&
        match.outcome === 'matched' &&
        (known === undefined || known.leadId !== match.leadId || known.key !== match.key)
      ) {
        handle.journal.append({ t: 'matched', row: row.rowNumber, kind, key: match.key, leadId: match.leadId });
      }
      return { ...row, leadId: decided.leadId, payload: decided.payload };
    });
    await handle.journal.flush();
    report = {
      ...report,
      lookup: {
        matched: result.matched,
        notFound: result.notFound,
        ambiguous: result.ambiguous,
        strategy: result.strategyText,
        requests: result.requests,
        scopeChanged: result.scopeChanged,
      },
    };
  }

  if (!options.preview) {
    options.onReport?.(report);
    return planned;
  }
  // Only rows never sent are previewed. A row sent before (resent, or requeued by a retry) goes
  // out whole: its write may have been applied, and ending it `unchanged` would hide from undo
  // the write its first before-values undo; those stay the first in the journal.
  const everSent = new Set<number>();
  for (const entry of handle.entries) if (entry.t === 'sent') everSent.add(entry.row);
  const toPreview = planned.filter(
    (row) => row.end === undefined && !everSent.has(row.rowNumber) && isOpen(options.prior.get(row.rowNumber)),
  );
  // Rows sent before whose jobs are not final go before the later rows of their lead: those are
  // compared with the lead as they will leave it (their job may apply after the reading).
  const inFlight = planned.filter(
    (row) => row.end === undefined && everSent.has(row.rowNumber) && !isDone(options.prior.get(row.rowNumber)),
  );
  const { previewed, cost } = await previewRows(toPreview, connection, seen, {
    inFlight,
    signal: options.signal,
    onCost: (readCost) => options.onReport?.({ ...report, readCost }),
  });
  options.onReport?.({ ...report, readCost: cost, changes: countChanges(previewed) });
  const byRow = new Map(previewed.map((row) => [row.row, row]));
  return planned.map((row) => {
    const preview = byRow.get(row.rowNumber);
    if (preview === undefined) return row;
    if (preview.unchanged) return { ...row, end: { t: 'unchanged' } };
    return { ...row, payload: preview.payload, before: preview.before };
  });
}

export interface PreviewRowsOptions {
  /** Rows sent before whose jobs are not final: the lead is compared as they will leave it (preview-run.ts). */
  readonly inFlight?: readonly Pick<EngineRow, 'rowNumber' | 'leadId' | 'payload'>[];
  readonly signal?: AbortSignal;
  /** Told before anything is read. */
  readonly onCost?: (cost: ReadCost & { readonly text: string }) => void;
}

/**
 * The preview of rows with their lead ids known: current values (from what the check listed,
 * else one GET per lead through the run's queue), compared field by field. A refused key stops
 * the run (`onFatal`); a lead that cannot be read has its fields sent as they are.
 */
export async function previewRows(
  rows: readonly Pick<EngineRow, 'rowNumber' | 'leadId' | 'payload'>[],
  connection: Pick<RunContext, 'reads' | 'queue' | 'clock' | 'budget' | 'onFatal'>,
  seen: Seen,
  options: PreviewRowsOptions = {},
): Promise<{ readonly previewed: PreviewedRow[]; readonly cost: ReadCost & { readonly text: string } }> {
  const leadIds = rows.map((row) => row.leadId);
  const { limit, windowMs } = connection.budget.stats().estimate;
  const counted = readCost(leadIds, seen.leads, limit, windowMs);
  const cost = { ...counted, text: describeReadCost(counted, limit, windowMs) };
  options.onCost?.(cost);
  const readings = await readCurrentValues(leadIds, {
    reads: connection.reads,
    queue: connection.queue,
    clock: connection.clock,
    listed: seen.leads,
    signal: options.signal,
  });
  for (const reading of readings.values()) {
    if (!reading.ok && reading.error.kind === 'auth') connection.onFatal(reading.error);
  }
  const references = referenceIdsSeen(seen);
  const previewed = previewRun(
    rows.map((row) => ({ row: row.rowNumber, leadId: row.leadId, payload: row.payload })),
    leadsOrReasons(readings),
    references,
    (options.inFlight ?? []).map((row) => ({ row: row.rowNumber, leadId: row.leadId, payload: row.payload })),
  );
  return { previewed, cost };
}
