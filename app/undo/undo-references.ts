// What an undo needs to compare reference fields (lead source, agent, units, plan…) with the lead:
// 1. the employees and floor plans employee_id and floor_plan_id are compared through. The lead
//    shows the PMS's ids of its agent and plan (x_leasing_agent_id, desired_floor_plan_id), the
//    journal and the update Propexo's: without the lists, what the run wrote cannot be told from
//    a change made since. Read as a run's check reads them (app/lookup's reference lists over
//    pre-send's observedReads, which keeps the records whole), only the lists a field to undo
//    needs, once per list and scope, through the undo's queue and budget;
// 2. the ids the run sent where its file named them ("Jane Doe", "Zillow"): the file's cell is
//    a name, the lead shows the id its check resolved it to. Resolved again, the same way, from
//    the lists the run kept in its lookups.json: nothing is read.
import type { LeadFieldName } from '../propexo/schema.ts';
import { fieldCorrespondence, type ReferencedList, type ReferencedRecord } from '../preview/field-correspondence.ts';
import { lookupReaderOf } from '../lookup/lookup-session.ts';
import { createReferenceLists } from '../lookup/reference-lists.ts';
import type { LeadScope } from '../lookup/lead-matcher.ts';
import { readLookupCache } from '../lookup/lookup-cache.ts';
import type { LookupCacheFile } from '../lookup/lookup-codecs.ts';
import { scopeKey } from '../lookup/reference-lists.ts';
import { isReferenceField, referenceFields, resolveIn } from '../lookup/reference-resolver.ts';
import type { LeadUpdate } from '../lead/lead-update.ts';
import { nothingSeen, observedReads } from '../run/pre-send.ts';
import type { RunContext } from '../run/run-context.ts';
import type { LookupScope } from '../run/run-header.ts';
import type { LeadNow, UndoRow } from './undo-plan.ts';

/** The employees and floor plans read (id, PMS id, scope): kept in undo.json for a resumed undo. */
export type ReferenceLists = Partial<Record<ReferencedList, ReferencedRecord[]>>;

/** The list a field's current value is read through, if any (employee_id: employees…). */
function listOf(field: string): ReferencedList | undefined {
  const spec = fieldCorrespondence[field as LeadFieldName] as (typeof fieldCorrespondence)[LeadFieldName] | undefined;
  return spec?.comparable === true && typeof spec.via === 'object' ? spec.via.reference : undefined;
}

/**
 * The scopes to read each list in: a lead's property when the leads of its integration lie in
 * one property, else the whole integration (one listing, rather than one per property).
 */
export function referenceScopesOf(rows: readonly UndoRow[], leadsNow: ReadonlyMap<string, LeadNow>): Map<ReferencedList, LeadScope[]> {
  const properties = new Map<ReferencedList, Map<string, Set<string>>>();
  for (const row of rows) {
    const lead = leadsNow.get(row.leadId);
    if (row.before === undefined || lead === undefined || 'unreadable' in lead) continue;
    for (const field of Object.keys(row.before.values)) {
      const list = listOf(field);
      if (list === undefined) continue;
      const byIntegration = properties.get(list) ?? new Map<string, Set<string>>();
      properties.set(list, byIntegration);
      byIntegration.set(lead.integration_id, (byIntegration.get(lead.integration_id) ?? new Set()).add(lead.property_id));
    }
  }
  const scopes = new Map<ReferencedList, LeadScope[]>();
  for (const [list, byIntegration] of properties) {
    scopes.set(
      list,
      [...byIntegration].map(([integrationId, ids]) => (ids.size === 1 ? { integrationId, propertyId: [...ids][0] } : { integrationId })),
    );
  }
  return scopes;
}

/**
 * The employees and floor plans of the leads the undo writes back (the fields referenceIdsFrom
 * indexes). A list
 * that cannot be read is left out whole: its fields are then `cannot_restore`, saying so.
 */
export async function readUndoReferences(
  rows: readonly UndoRow[],
  leadsNow: ReadonlyMap<string, LeadNow>,
  context: Pick<RunContext, 'reads' | 'queue' | 'clock' | 'counters'>,
): Promise<ReferenceLists> {
  const seen = nothingSeen();
  const lists = createReferenceLists(lookupReaderOf({ ...context, reads: observedReads(context.reads, seen, context.counters) }));
  await Promise.all(
    [...referenceScopesOf(rows, leadsNow)].map(async ([list, scopes]) => {
      const read = await Promise.allSettled(scopes.map((scope) => lists.get(list, scope)));
      // Part of a list would make an agent it lacks look unknown to Propexo: all of it or none.
      if (read.some((r) => r.status === 'rejected')) delete seen.references[list];
    }),
  );
  const kept: ReferenceLists = {};
  for (const [list, records] of Object.entries(seen.references) as [ReferencedList, readonly ReferencedRecord[]][])
    kept[list] = records.map(({ id, x_id, integration_id, property_id }) => ({ id, x_id, integration_id, property_id }));
  return kept;
}

/**
 * The rows with their payloads as the run sent them: each reference cell its check resolved by
 * name replaced by that id. The scope is the check's (check-rows.ts): the file's property, else
 * the lead's own, else the whole integration. A cell no kept list resolves stays as it was (it
 * is then compared as written: "changed since the import", never written over unforced).
 */
export function rowsAsSent(
  rows: readonly UndoRow[],
  leadsNow: ReadonlyMap<string, LeadNow>,
  cache: LookupCacheFile,
  lookup: LookupScope | undefined,
): UndoRow[] {
  const integrationId = lookup?.integrationId;
  if (integrationId === undefined || cache.lists.length === 0) return [...rows];
  const lists = new Map(cache.lists.map((list) => [`${list.endpoint}|${list.scope}`, list.items]));
  return rows.map((row) => {
    const lead = leadsNow.get(row.leadId);
    const propertyId = lookup?.propertyId ?? (lead === undefined || 'unreadable' in lead ? undefined : lead.property_id);
    const scopes = [...(propertyId === undefined ? [] : [{ integrationId, propertyId }]), { integrationId }].map(scopeKey);
    const payload: Record<string, unknown> = { ...row.payload };
    let changed = false;
    for (const [field, cell] of Object.entries(row.payload)) {
      if (!isReferenceField(field)) continue;
      const items = scopes.map((scope) => lists.get(`${referenceFields[field]}|${scope}`)).find((found) => found !== undefined);
      if (items === undefined) continue;
      const idOf = (value: unknown): unknown => {
        if (typeof value !== 'string') return value;
        const resolved = resolveIn(items, value);
        return resolved.outcome === 'resolved' ? resolved.id : value;
      };
      const sent = Array.isArray(cell) ? cell.map(idOf) : idOf(cell);
      if (JSON.stringify(sent) !== JSON.stringify(cell)) {
        payload[field] = sent;
        changed = true;
      }
    }
    return changed ? { ...row, payload: payload as LeadUpdate } : row;
  });
}

/** What `planUndo` compares with: the rows as sent and the reference ids (both above). */
export async function undoComparisons(
  rows: readonly UndoRow[],
  leadsNow: ReadonlyMap<string, LeadNow>,
  context: Pick<RunContext, 'reads' | 'queue' | 'clock' | 'counters'>,
  run: { readonly dir: string; readonly lookup: LookupScope | undefined },
): Promise<{ readonly rows: UndoRow[]; readonly referenceLists: ReferenceLists }> {
  const cache = run.lookup === undefined ? undefined : await readLookupCache(run.dir);
  return {
    rows: cache === undefined ? [...rows] : rowsAsSent(rows, leadsNow, cache, run.lookup),
    referenceLists: await readUndoReferences(rows, leadsNow, context),
  };
}
