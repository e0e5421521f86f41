// Finding each row's lead by the key the file names it by, within a scope (an integration, and
// a property when given). Either one request per key (`GET /v1/leads/?x_id=…`), or every lead of
// the scope in pages of 250, whichever costs fewer requests (strategy.ts). Exactly one lead with
// the key: matched; none: not_found; several: ambiguous, naming them.
//
// A list that changes while it is read: pages are read oldest first (`created_at:asc`), so a
// lead added meanwhile lands after the pages already read instead of shifting them, and every
// lead is kept once, by id. The probe that tells the scope's size also tells its latest
// `updated_at`; after the pages, the leads updated since then (newest first, until one is not)
// are read again and replace what the pages said, so a lead whose key changed while the scope
// was listed is matched by its key now, never by the key it had. A lead deleted meanwhile can
// shift a later one into a page already read: that lead is missed (not_found, never a wrong
// match), and the result says the scope's size changed.
import type { Lead } from '../propexo/read-codecs.ts';
import { maxPageSize } from '../propexo/read-codecs.ts';
import type { ListFilters } from '../propexo/reads.ts';
import { filterValuesFor, keyOfLead, leadKeyOf, type LeadKeyKind } from './lead-keys.ts';
import type { LeadCandidate, LeadMatch } from './lookup-codecs.ts';
import type { BudgetRate, LookupReader } from './lookup-reader.ts';
import { chooseStrategy, type StrategyChoice, type StrategyKind } from './strategy.ts';

export interface LeadScope {
  readonly integrationId: string;
  readonly propertyId?: string;
}

/** Candidates named at most (a key shared by hundreds of leads says so in `candidates.length` of the first page). */
export const maxCandidates = 10;

export type { LeadCandidate, LeadMatch };

export interface MatchLeadsInput {
  readonly kind: LeadKeyKind;
  readonly scope: LeadScope;
  /** The key cell of each row (null: empty). */
  readonly cells: readonly (string | null)[];
  readonly rate: BudgetRate;
  /** Keys already decided (the run folder's cache): not read again. */
  readonly known?: ReadonlyMap<string, LeadMatch>;
  /** Forces a strategy (benchmarks and tests); default: the cheaper. */
  readonly force?: StrategyKind;
  /** Filled with each key as it is decided, cached ones first: what a matching stopped half-way (cancel, a read that failed) learned. */
  readonly decided?: Map<string, LeadMatch>;
}

export interface MatchLeadsResult {
  /** Per row, in order; null where the cell names nothing. */
  readonly rows: readonly (LeadMatch | null)[];
  /** Every key decided, cached ones included (for the cache). */
  readonly byKey: ReadonlyMap<string, LeadMatch>;
  /** Undefined when nothing had to be read (Propexo ids, or everything cached). */
  readonly strategy: StrategyChoice | undefined;
  readonly requests: number;
  /** Listing only: the scope's size changed while it was read (a lead deleted meanwhile may have been missed). */
  readonly scopeChanged: boolean;
}

const candidateOf = (lead: Lead): LeadCandidate => ({
  id: lead.id,
  name: [lead.first_name, lead.last_name].filter((part): part is string => part !== null && part.trim() !== '').join(' '),
  email: lead.email_1,
  propertyId: lead.property_id,
});

function decide(kind: LeadKeyKind, key: string, leads: readonly Lead[]): LeadMatch {
  if (leads.length === 0) return { outcome: 'not_found', kind, key };
  if (leads.length === 1) return { outcome: 'matched', kind, key, leadId: leads[0].id, propertyId: leads[0].property_id };
  // By id, whichever order the reads came in: the same candidates, the same way, by either strategy.
  const ordered = [...leads].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { outcome: 'ambiguous', kind, key, candidates: ordered.slice(0, maxCandidates).map(candidateOf) };
}

export function scopeFilters(scope: LeadScope): ListFilters {
  return scope.propertyId === undefined
    ? { integration_id: scope.integrationId }
    : { integration_id: scope.integrationId, property_id: scope.propertyId };
}

const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

export async function matchLeads(reader: LookupReader, input: MatchLeadsInput): Promise<MatchLeadsResult> {
  const { kind, scope, cells } = input;
  const startRequests = reader.requests();
  const keys = cells.map((cell) => leadKeyOf(kind, cell));
  const byKey = input.decided ?? new Map<string, LeadMatch>();
  // A cell as written, per key: per-row e-mail lookups ask for it as written too.
  const cellOf = new Map<string, string>();
  keys.forEach((key, i) => {
    if (key === null) return;
    const cached = input.known?.get(key);
    if (cached !== undefined) byKey.set(key, cached);
    else if (!cellOf.has(key)) cellOf.set(key, cells[i] ?? key);
  });

  let strategy: StrategyChoice | undefined;
  let scopeChanged = false;
  if (kind === 'lead_id') {
    // Propexo's own id: nothing to find (a wrong id is refused by the update, row by row).
    for (const key of cellOf.keys()) byKey.set(key, { outcome: 'matched', kind, key, leadId: key, propertyId: null });
  } else if (cellOf.size > 0) {
    const filters = scopeFilters(scope);
    const probe = await reader.page('leads', filters, 0, 1, 'updated_at:desc');
    const total = probe.meta.total ?? probe.results.length;
    const highWater = probe.results[0]?.updated_at;
    const requestsPerKey = kind === 'email_1' ? averageEmailRequests(cellOf) : 1;
    strategy = chooseStrategy(cellOf.size, requestsPerKey, total, input.rate);
    const chosen = input.force ?? strategy.chosen.kind;
    if (chosen === 'per_row') {
      await Promise.all(
        [...cellOf].map(async ([key, cell]) => {
          const found = new Map<string, Lead>();
          for (const value of filterValuesFor(kind, cell, key)) {
            const answer = await reader.page('leads', { ...filters, [kind]: value }, 0, maxPageSize);
            for (const lead of answer.results) if (keyOfLead(kind, lead) === key) found.set(lead.id, lead);
            if (found.size > 0) break;
          }
          byKey.set(key, decide(kind, key, [...found.values()]));
        }),
      );
    } else {
      const listed = await listScope(reader, filters, total, highWater);
      scopeChanged = listed.total !== total;
      const index = new Map<string, Lead[]>();
      for (const lead of listed.leads.values()) {
        const key = keyOfLead(kind, lead);
        if (key === null || !cellOf.has(key)) continue;
        const list = index.get(key);
        if (list) list.push(lead);
        else index.set(key, [lead]);
      }
      for (const key of cellOf.keys()) byKey.set(key, decide(kind, key, index.get(key) ?? []));
    }
  }
  return {
    rows: keys.map((key) => (key === null ? null : (byKey.get(key) ?? null))),
    byKey,
    strategy,
    requests: reader.requests() - startRequests,
    scopeChanged,
  };
}

/** E-mails asked as written and in lower case when the two differ. */
function averageEmailRequests(cellOf: ReadonlyMap<string, string>): number {
  let requests = 0;
  for (const [key, cell] of cellOf) requests += filterValuesFor('email_1', cell, key).length;
  return cellOf.size === 0 ? 1 : requests / cellOf.size;
}

/** Every lead of the scope by id, as it is after the listing (see the head of this file). */
async function listScope(
  reader: LookupReader,
  filters: ListFilters,
  total: number,
  highWater: string | undefined,
): Promise<{ leads: Map<string, Lead>; total: number }> {
  const leads = new Map<string, Lead>();
  const offsets = Array.from({ length: Math.ceil(total / maxPageSize) }, (_, i) => i * maxPageSize);
  const pages = await Promise.all(offsets.map((offset) => reader.page('leads', filters, offset, maxPageSize, 'created_at:asc')));
  for (const page of pages) for (const lead of page.results) leads.set(lead.id, lead);
  // The leads changed (or added) since the probe, newest first, until one older than the probe's newest.
  let totalNow = total;
  for (let offset = 0; ; offset += maxPageSize) {
    const changed = await reader.page('leads', filters, offset, maxPageSize, 'updated_at:desc');
    totalNow = changed.meta.total ?? totalNow;
    let more = changed.results.length === maxPageSize;
    for (const lead of changed.results) {
      if (highWater !== undefined && !later(lead.updated_at, highWater)) {
        more = false;
        break;
      }
      leads.set(lead.id, lead);
    }
    if (!more) break;
  }
  return { leads, total: totalNow };
}
