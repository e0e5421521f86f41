// "Check against Propexo" and "Changes" for an open, checked import (issues #12 and #13): the
// rows matched to their leads in the chosen environment and their names resolved to ids
// (app/lookup's checkImport), then, on request, the matched leads' current values read and
// compared with what each row would send (app/preview). Nothing here writes.
//
// Each environment gets one connection (run-context.ts: read client, send queue, rate budget;
// practice: the simulator practice runs use, on its thread), kept until the service closes, so that
// successive checks share one budget. What a check found is kept with the import: a mapping
// change drops it; after a cell fix the check runs again through its lookup cache, reading
// only the keys it has not seen.
import * as E from 'fp-ts/Either';
import { checkImport, type ImportCheck, type ImportScope } from '../lookup/check-import.ts';
import { emptyLookupCache } from '../lookup/lookup-cache.ts';
import type { LookupCacheFile } from '../lookup/lookup-codecs.ts';
import { budgetRateOf } from '../lookup/lookup-session.ts';
import { acceptTypedLeadIds } from '../lookup/typed-lead-ids.ts';
import { countChanges, shownValue, type ChangeCounts } from '../preview/changes.ts';
import { describeReadCost, leadsOrReasons, readCost, readCurrentValues } from '../preview/current-values.ts';
import { previewRun, type PreviewedRow, type PreviewRowInput } from '../preview/preview-run.ts';
import type { ListEndpoint } from '../propexo/read-codecs.ts';
import { maxPageSize } from '../propexo/read-codecs.ts';
import type { ListFilters } from '../propexo/reads.ts';
import type { PracticeServer } from '../simulator/practice-thread.ts';
import { openRunContext, type ConnectionOptions, type RunContext } from '../run/run-context.ts';
import { nothingSeen, observedReads, referenceIdsSeen, type Seen } from '../run/pre-send.ts';
import type { CredentialEnvironment } from '../shared/contract.ts';
import { decodedRows } from '../validate/decoded-rows.ts';
import { ENVIRONMENT_LABEL, failed, messageOf } from './desktop-errors.ts';
import { currentReview, type ImportSession } from './import-sessions.ts';
import type {
  ChangeRowView,
  ChangesCostView,
  ChangesFilter,
  ChangesPage,
  EnvironmentChoice,
  OnlineCheckView,
  ProductionConfirmation,
  ResolvedNameView,
  ScopeOptionView,
  UnmatchedRowView,
} from '../shared/views.ts';

/** Unmatched rows a check view lists (the counts say how many there are in all). */
export const MAX_UNMATCHED_SHOWN = 500;
/** Scope pickers list at most this many integrations or properties (4 pages). */
const MAX_SCOPE_OPTIONS = 1_000;

export interface PropexoCheckDeps {
  readonly getToken: (environment: CredentialEnvironment) => Promise<string | undefined>;
  readonly connection: Partial<ConnectionOptions>;
  readonly servers: Partial<Record<CredentialEnvironment, string>>;
  readonly session: (importId: string) => ImportSession;
  /** The service's one practice simulator (runs.ts): a check sees the leads practice runs changed. */
  readonly practice: () => Promise<PracticeServer>;
}

interface KeptChanges {
  readonly rows: readonly PreviewedRow[];
  readonly counts: ChangeCounts;
}

/** What the last check of an import found, and for which mapping, fixes, environment and scope. */
interface Kept {
  readonly version: number;
  readonly environment: EnvironmentChoice;
  readonly scope: ImportScope;
  /** The fixes the check saw (their text), to tell a check made before a fix. */
  readonly editsStamp: string;
  /** Lead matches and reference lists learned so far in this environment: a re-check reads only the rest. */
  readonly cache: LookupCacheFile;
  /**
   * The employees and floor plans those lists hold, whole (the cache keeps names, not the PMS's
   * ids): the Changes view compares employee_id and floor_plan_id through them, as a run does.
   * Kept with the cache, since a re-check reads from the cache what was listed before.
   */
  readonly references: Seen['references'];
  readonly check: ImportCheck;
  readonly view: OnlineCheckView;
  changes: KeptChanges | null;
}

interface OpenConnection {
  readonly token: string | undefined;
  readonly context: Promise<RunContext>;
}

const editsStampOf = (s: ImportSession): string => JSON.stringify([...s.edits].map(([row, cells]) => [row, [...cells]]));

export function createPropexoChecks(deps: PropexoCheckDeps) {
  const kept = new WeakMap<ImportSession, Kept>();
  const connections = new Map<EnvironmentChoice, OpenConnection>();
  let closed = false;

  async function tokenFor(environment: EnvironmentChoice): Promise<string | undefined> {
    if (environment === 'practice') return undefined;
    const key = await deps.getToken(environment);
    if (key === undefined || key === '')
      throw failed(`No API key for ${ENVIRONMENT_LABEL[environment]}: add it in Send settings, then check again.`);
    return key;
  }

  /** The environment's connection, opened once (again when its key changed). */
  async function contextFor(environment: EnvironmentChoice): Promise<RunContext> {
    if (closed) throw failed('Lead Importer is closing.');
    const token = await tokenFor(environment);
    const open = connections.get(environment);
    if (open !== undefined && open.token === token) return open.context;
    if (open !== undefined) void open.context.then((context) => context.close()).catch(() => undefined);
    const target = environment === 'practice' ? 'practice' : (deps.servers[environment] ?? environment);
    const practice = environment === 'practice' ? { practice: await deps.practice() } : {};
    const context = openRunContext({
      ...deps.connection,
      environment: target,
      ...practice,
      ...(token === undefined ? {} : { token }),
    }).then((opened) => {
      if (E.isLeft(opened)) throw failed(opened.left);
      return opened.right;
    });
    connections.set(environment, { token, context });
    // A connection that could not open is not kept: the next request tries again.
    context.catch(() => {
      if (connections.get(environment)?.context === context) connections.delete(environment);
    });
    return context;
  }

  /** Every item of a list (up to MAX_SCOPE_OPTIONS), one page after another through the queue. */
  async function listAll<L extends 'integrations' | 'properties'>(context: RunContext, endpoint: L, filters: ListFilters) {
    const items = [];
    for (let offset = 0; offset < MAX_SCOPE_OPTIONS; offset += maxPageSize) {
      const answer = await context.queue.run('check', () =>
        context.reads.listPage(endpoint as ListEndpoint & L, filters, offset, maxPageSize),
      );
      if (!answer.ok) throw failed(`Propexo did not list the ${endpoint}: ${answer.error.message}`);
      items.push(...answer.value.results);
      if (answer.value.results.length < maxPageSize || answer.value.meta.hasMore === false) break;
    }
    return items;
  }

  async function integrations(arg: { readonly environment: EnvironmentChoice }): Promise<readonly ScopeOptionView[]> {
    const context = await contextFor(arg.environment);
    const items = await listAll(context, 'integrations', {});
    return items
      .filter((item) => !item.is_archived)
      .map((item) => ({ id: item.id, name: item.name, detail: item.active ? item.vendor : `${item.vendor}, inactive` }));
  }

  async function properties(arg: {
    readonly environment: EnvironmentChoice;
    readonly integrationId: string;
  }): Promise<readonly ScopeOptionView[]> {
    const context = await contextFor(arg.environment);
    const items = await listAll(context, 'properties', { integration_id: arg.integrationId });
    return items.map((item) => ({ id: item.id, name: item.name ?? item.code ?? item.x_id, detail: item.code ?? item.x_id }));
  }

  /** The check's lead column (where a Propexo id is typed), and the fixes typed into it. */
  function typedLeadIds(s: ImportSession): { readonly column: number | null; readonly typed: Map<number, string> } {
    const column = s.mapping.columns.find((c) => c.field === 'lead_id')?.index ?? null;
    const typed = new Map<number, string>();
    if (column !== null) for (const [row, cells] of s.edits) if (cells.has(column)) typed.set(row, cells.get(column) as string);
    return { column, typed };
  }

  async function checkOnline(arg: {
    readonly importId: string;
    readonly environment: EnvironmentChoice;
    readonly integrationId: string | null;
    readonly propertyId: string | null;
  }): Promise<OnlineCheckView> {
    const s = deps.session(arg.importId);
    if (s.validating !== null) throw failed(`${s.fileName} is being checked: check it against Propexo when that has finished.`);
    const review = currentReview(s, 'check it against Propexo');
    const scope: ImportScope = {
      ...(arg.integrationId === null ? {} : { integrationId: arg.integrationId }),
      ...(arg.propertyId === null ? {} : { propertyId: arg.propertyId }),
    };
    const before = kept.get(s);
    // Lead matches are cached by key and scope, lists by scope: only another environment starts afresh.
    const again = before !== undefined && before.environment === arg.environment && before.version === s.version;
    const cache = again ? before.cache : emptyLookupCache();
    // The leads the check lists are not kept: the Changes view reads them when asked, as they are then.
    const seen: Seen = { ...nothingSeen(), references: again ? before.references : {} };
    const context = await contextFor(arg.environment);
    const version = s.version;
    const editsStamp = editsStampOf(s);
    let checked: E.Either<string, ImportCheck>;
    try {
      const reads = observedReads(context.reads, seen, context.counters);
      checked = await checkImport(review.prepared, { ...context, reads }, { scope, cache, edits: s.edits });
    } catch (error) {
      throw failed(`The check against Propexo stopped: ${messageOf(error)}`);
    }
    if (E.isLeft(checked))
      throw failed(
        checked.left.replace('Give --integration ID (or "integration" in the mapping file)', 'Choose the integration to look in'),
      );
    const { column, typed } = typedLeadIds(s);
    const rows = await acceptTypedLeadIds(checked.right.result.rows, {
      kind: checked.right.kind,
      typed,
      reads: context.reads,
      queue: context.queue,
    });
    const check: ImportCheck = { ...checked.right, result: { ...checked.right.result, rows } };
    if (s.closed || s.version !== version)
      throw failed(`The mapping of ${s.fileName} changed while it was being checked against Propexo: check it again.`);
    const view = checkView(arg.environment, scope, check, column);
    // The scope chosen is the import's now: a saved mapping file carries it.
    s.scope = { integrationId: arg.integrationId, propertyId: arg.propertyId };
    kept.set(s, {
      version,
      environment: arg.environment,
      scope,
      editsStamp,
      cache: checked.right.result.cache,
      references: seen.references,
      check,
      view,
      changes: null,
    });
    return view;
  }

  /** The import's check against this environment, current with its mapping and fixes, or a clear refusal. */
  function currentCheck(s: ImportSession, environment: EnvironmentChoice): Kept {
    const found = kept.get(s);
    if (found === undefined || found.version !== s.version || found.environment !== environment) {
      throw failed(
        `Check ${s.fileName} against Propexo (${environmentWord(environment)}) first: the changes are those of the rows matched to a lead.`,
      );
    }
    if (found.editsStamp !== editsStampOf(s))
      throw failed(`Cells of ${s.fileName} were fixed since its check against Propexo: check it again first.`);
    return found;
  }

  /** The matched rows as the run would send them: the decoded payload with ids in place of names. */
  async function rowsToPreview(s: ImportSession, k: Kept): Promise<PreviewRowInput[]> {
    const review = currentReview(s, 'see its changes');
    const matched = new Map(
      k.check.result.rows.filter((row) => row.outcome === 'matched' && row.lead?.outcome === 'matched').map((row) => [row.rowNumber, row]),
    );
    const inputs: PreviewRowInput[] = [];
    for await (const batch of decodedRows(review.prepared, s.edits)) {
      for (const { decoded } of batch) {
        if (decoded.status !== 'valid') continue;
        const row = matched.get(decoded.rowNumber);
        if (row === undefined || row.lead?.outcome !== 'matched') continue;
        inputs.push({ row: decoded.rowNumber, leadId: row.lead.leadId, payload: { ...decoded.payload, ...row.resolved } });
      }
    }
    return inputs;
  }

  async function changesCost(arg: { readonly importId: string; readonly environment: EnvironmentChoice }): Promise<ChangesCostView> {
    const s = deps.session(arg.importId);
    const k = currentCheck(s, arg.environment);
    const context = await contextFor(arg.environment);
    const leadIds = k.check.result.rows.flatMap((row) =>
      row.outcome === 'matched' && row.lead?.outcome === 'matched' ? [row.lead.leadId] : [],
    );
    const { limit, windowMs } = budgetRateOf(context);
    const cost = readCost(leadIds, undefined, limit, windowMs);
    return {
      leads: cost.leads,
      requests: cost.requests,
      leastMs: cost.leastMs,
      text: describeReadCost(cost, limit, windowMs),
      read: k.changes !== null,
    };
  }

  async function changesOf(s: ImportSession, environment: EnvironmentChoice): Promise<KeptChanges> {
    const k = currentCheck(s, environment);
    if (k.changes !== null) return k.changes;
    const context = await contextFor(environment);
    const inputs = await rowsToPreview(s, k);
    const readings = await readCurrentValues(
      inputs.map((input) => input.leadId),
      { reads: context.reads, queue: context.queue, clock: context.clock },
    );
    for (const reading of readings.values()) {
      if (!reading.ok && reading.error.kind === 'auth')
        throw failed(`Propexo refused the API key while current values were read: ${reading.message}`);
    }
    const rows = previewRun(inputs, leadsOrReasons(readings), referenceIdsSeen(k));
    k.changes = { rows, counts: countChanges(rows) };
    return k.changes;
  }

  async function changes(arg: {
    readonly importId: string;
    readonly environment: EnvironmentChoice;
    readonly filter: ChangesFilter;
    readonly offset: number;
    readonly limit: number;
  }): Promise<ChangesPage> {
    const s = deps.session(arg.importId);
    const found = await changesOf(s, arg.environment);
    const matching =
      arg.filter === 'all' ? found.rows : found.rows.filter((row) => (arg.filter === 'up_to_date' ? row.unchanged : !row.unchanged));
    return {
      total: matching.length,
      offset: arg.offset,
      rows: matching.slice(arg.offset, arg.offset + arg.limit).map(changeRowView),
      counts: { ...found.counts },
    };
  }

  return {
    checkOnline,
    integrations,
    properties,
    changesCost,
    changes,
    /** What a Production confirmation adds for this import: what its check against that environment found, when current with its mapping and fixes. */
    findings(importId: string, environment: EnvironmentChoice): Pick<ProductionConfirmation, 'unmatched' | 'changes'> {
      let s: ImportSession;
      try {
        s = deps.session(importId);
      } catch {
        return {};
      }
      const found = kept.get(s);
      if (found === undefined || found.version !== s.version || found.environment !== environment || found.editsStamp !== editsStampOf(s))
        return {};
      return {
        unmatched: found.view.notFound + found.view.ambiguous,
        ...(found.changes === null ? {} : { changes: { ...found.changes.counts } }),
      };
    },
    async closeAll(): Promise<void> {
      closed = true;
      const open = [...connections.values()];
      connections.clear();
      await Promise.all(open.map((c) => c.context.then((context) => context.close()).catch(() => undefined)));
    },
  };
}

export type PropexoChecks = ReturnType<typeof createPropexoChecks>;

const environmentWord = (environment: EnvironmentChoice): string =>
  environment === 'practice' ? 'Practice' : ENVIRONMENT_LABEL[environment];

function checkView(
  environment: EnvironmentChoice,
  scope: ImportScope,
  check: ImportCheck,
  leadColumnIndex: number | null,
): OnlineCheckView {
  const { result } = check;
  const count = (outcome: string): number => result.rows.filter((row) => row.outcome === outcome).length;
  const unmatchedRows = result.rows.filter((row) => row.outcome !== 'matched');
  const unmatched = unmatchedRows.slice(0, MAX_UNMATCHED_SHOWN).map((row): UnmatchedRowView => ({
    rowNumber: row.rowNumber,
    outcome: row.outcome === 'ambiguous' ? 'ambiguous' : 'not_found',
    message: row.message,
    matchedBy: check.kind,
    key: row.lead?.key ?? null,
    leadColumnIndex,
    candidates: row.lead?.outcome === 'ambiguous' ? row.lead.candidates.map((c) => ({ ...c })) : [],
    names: Object.entries(row.references).flatMap(([field, results]) =>
      (results ?? []).flatMap((r) =>
        r.outcome === 'resolved'
          ? []
          : [
              {
                field,
                value: r.value,
                outcome: r.outcome,
                candidates: (r.outcome === 'ambiguous' ? r.candidates : r.suggestions).map((c) => ({ ...c })),
              },
            ],
      ),
    ),
  }));
  // "Zillow → ls_123": each name resolved, once, with the rows naming it.
  const resolved = new Map<string, { field: string; value: string; id: string; rows: number }>();
  for (const row of result.rows) {
    for (const [field, results] of Object.entries(row.references)) {
      for (const r of results ?? []) {
        if (r.outcome !== 'resolved' || r.by !== 'name') continue;
        const key = JSON.stringify([field, r.value, r.id]);
        const seen = resolved.get(key);
        if (seen) seen.rows++;
        else resolved.set(key, { field, value: r.value, id: r.id, rows: 1 });
      }
    }
  }
  return {
    environment,
    scope: { integrationId: scope.integrationId ?? null, propertyId: scope.propertyId ?? null },
    matchedBy: check.kind,
    matched: count('matched'),
    notFound: count('not_found'),
    ambiguous: count('ambiguous'),
    strategy: result.strategyText,
    requests: result.requests,
    scopeChanged: result.scopeChanged,
    unmatched,
    unmatchedTotal: unmatchedRows.length,
    resolved: [...resolved.values()] satisfies ResolvedNameView[],
  };
}

function changeRowView(row: PreviewedRow): ChangeRowView {
  return {
    rowNumber: row.row,
    leadId: row.leadId,
    unchanged: row.unchanged,
    fields: row.fields.map((f) => ({
      field: f.field,
      current: f.current.known ? shownValue(f.current.value) : null,
      unknownReason: f.current.known ? null : f.current.reason,
      next: shownValue(f.next),
      verdict: f.verdict,
    })),
  };
}
