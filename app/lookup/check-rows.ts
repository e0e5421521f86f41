// "Check against Propexo": for every row, its lead (by the key the file names it by) and the
// ids its reference columns name, with one outcome per row: matched, not_found or ambiguous
// (stage `match`). Nothing is written. The cache (lookup-cache.ts) is read first and returned
// with what was learned, for the caller to keep in the run folder.
import type { LeadKeyKind } from './lead-keys.ts';
import type { LookupCacheFile, LeadMatch, ReferenceResolution } from './lookup-codecs.ts';
import { cachedLeadMatches, withLookups } from './lookup-cache.ts';
import { matchLeads, type LeadScope } from './lead-matcher.ts';
import type { BudgetRate, LookupReader } from './lookup-reader.ts';
import { createReferenceLists, type ReferenceLists } from './reference-lists.ts';
import { resolveReference, type ReferenceField } from './reference-resolver.ts';
import { describeStrategy, type StrategyChoice, type StrategyKind } from './strategy.ts';

export interface RowToCheck {
  readonly rowNumber: number;
  /** The cell naming the lead. */
  readonly key: string | null;
  /** Reference fields' cells: one value, or a list (desired_unit_ids). */
  readonly references: Readonly<Partial<Record<ReferenceField, string | readonly string[]>>>;
}

export type CheckOutcome = 'matched' | 'not_found' | 'ambiguous';

export interface CheckedRow {
  readonly rowNumber: number;
  readonly outcome: CheckOutcome;
  readonly lead: LeadMatch | null;
  /** Each reference value resolved (a list field: one per value). */
  readonly references: Readonly<Partial<Record<ReferenceField, readonly ReferenceResolution[]>>>;
  /** For people (error report, CLI): what was looked for and what was found; '' when matched. */
  readonly message: string;
  /** The update's values for the reference fields, ids in place of names (matched rows). */
  readonly resolved: Readonly<Partial<Record<ReferenceField, string | readonly string[]>>>;
}

export interface CheckInput {
  readonly kind: LeadKeyKind;
  readonly scope: LeadScope;
  readonly rows: readonly RowToCheck[];
  readonly rate: BudgetRate;
  readonly cache: LookupCacheFile;
  readonly force?: StrategyKind;
}

export interface CheckResult {
  readonly rows: readonly CheckedRow[];
  readonly matched: number;
  readonly notFound: number;
  readonly ambiguous: number;
  readonly strategy: StrategyChoice | undefined;
  /** "listing the scope (20,000 leads): 82 requests …", or why nothing was read. */
  readonly strategyText: string;
  readonly scopeChanged: boolean;
  /** Requests this check made (lead matching and reference lists). */
  readonly requests: number;
  readonly cache: LookupCacheFile;
}

const quote = (value: string): string => JSON.stringify(value);

export function describeLeadMatch(match: LeadMatch | null): string {
  if (match === null) return 'the row names no lead (its key cell is empty)';
  switch (match.outcome) {
    case 'matched':
      return '';
    case 'not_found':
      return `no lead with ${match.kind} ${quote(match.key)} in the scope`;
    case 'ambiguous':
      return `${match.candidates.length} leads have ${match.kind} ${quote(match.key)}: ${match.candidates.map((c) => `${c.id} (${[c.name, c.email, c.propertyId].filter(Boolean).join(', ')})`).join('; ')}; type the Propexo id of the right one into the row`;
  }
}

export function describeReference(field: ReferenceField, resolution: ReferenceResolution): string {
  switch (resolution.outcome) {
    case 'resolved':
      return '';
    case 'not_found':
      return `${field}: no ${quote(resolution.value)}${resolution.suggestions.length > 0 ? `; did you mean ${resolution.suggestions.map((s) => `${quote(s.label)} (${s.id})`).join(', ')}?` : ''}`;
    case 'ambiguous':
      return `${field}: ${resolution.candidates.length} items are named ${quote(resolution.value)}: ${resolution.candidates.map((c) => `${c.id} (${c.label}, ${c.propertyId})`).join('; ')}`;
  }
}

/**
 * A check stopped before its end (cancelled, or a read that could not be made), with what it
 * learned until then: kept in the run folder, a resume does not read it again.
 */
export class CheckInterrupted extends Error {
  override readonly name = 'CheckInterrupted';
  constructor(
    override readonly cause: unknown,
    readonly cache: LookupCacheFile,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export async function checkRows(reader: LookupReader, input: CheckInput): Promise<CheckResult> {
  const { kind, scope } = input;
  const decided = new Map<string, LeadMatch>();
  const lists = createReferenceLists(reader, input.cache.lists, scope);
  try {
    return await check(reader, input, decided, lists);
  } catch (error) {
    throw new CheckInterrupted(error, withLookups(input.cache, kind, scope, decided, lists.lists()));
  }
}

async function check(
  reader: LookupReader,
  input: CheckInput,
  decided: Map<string, LeadMatch>,
  lists: ReferenceLists,
): Promise<CheckResult> {
  const start = reader.requests();
  const { kind, scope, rows } = input;
  const leads = await matchLeads(reader, {
    kind,
    scope,
    cells: rows.map((row) => row.key),
    rate: input.rate,
    known: cachedLeadMatches(input.cache, kind, scope),
    force: input.force,
    decided,
  });

  const checked = await Promise.all(
    rows.map(async (row, i): Promise<CheckedRow> => {
      const lead = leads.rows[i];
      // The references' scope: the file's property, else the matched lead's own, else the integration.
      const propertyId = scope.propertyId ?? (lead?.outcome === 'matched' ? (lead.propertyId ?? undefined) : undefined);
      const refScope: LeadScope =
        propertyId === undefined ? { integrationId: scope.integrationId } : { integrationId: scope.integrationId, propertyId };
      const references: Partial<Record<ReferenceField, readonly ReferenceResolution[]>> = {};
      const resolved: Partial<Record<ReferenceField, string | readonly string[]>> = {};
      const problems: string[] = [];
      let refsFailed: CheckOutcome | undefined;
      // A row whose lead was looked for and not found has no property to look its names up in:
      // its lead is the problem to fix first (the names are checked when it matches).
      const unscoped = propertyId === undefined && kind !== 'lead_id' && lead?.outcome !== 'matched';
      for (const [field, cell] of unscoped ? [] : (Object.entries(row.references) as [ReferenceField, string | readonly string[]][])) {
        const values = typeof cell === 'string' ? [cell] : cell;
        const results = await Promise.all(values.map((value) => resolveReference(lists, field, value, refScope)));
        references[field] = results;
        for (const result of results) {
          if (result.outcome === 'resolved') continue;
          problems.push(describeReference(field, result));
          if (refsFailed !== 'not_found') refsFailed = result.outcome;
        }
        const ids = results.map((result) => (result.outcome === 'resolved' ? result.id : result.value));
        resolved[field] = typeof cell === 'string' ? ids[0] : ids;
      }
      const leadProblem = describeLeadMatch(lead);
      const outcome: CheckOutcome = lead === null ? 'not_found' : lead.outcome !== 'matched' ? lead.outcome : (refsFailed ?? 'matched');
      return {
        rowNumber: row.rowNumber,
        outcome,
        lead,
        references,
        resolved,
        message: [leadProblem, ...problems].filter((text) => text !== '').join('; '),
      };
    }),
  );

  const count = (outcome: CheckOutcome): number => checked.filter((row) => row.outcome === outcome).length;
  const strategyText =
    leads.strategy !== undefined
      ? describeStrategy(leads.strategy, input.rate)
      : kind === 'lead_id'
        ? 'rows name Propexo lead ids: no lead lookups'
        : 'every key was already looked up (run cache): no lead lookups';
  return {
    rows: checked,
    matched: count('matched'),
    notFound: count('not_found'),
    ambiguous: count('ambiguous'),
    strategy: leads.strategy,
    strategyText,
    scopeChanged: leads.scopeChanged,
    requests: reader.requests() - start,
    cache: withLookups(input.cache, kind, scope, leads.byKey, lists.lists()),
  };
}
