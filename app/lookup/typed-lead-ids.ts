// A Propexo lead id typed into the lead column of a row that was not matched (the fix the
// check's message asks for: "type the Propexo id of the right one into the row"). The column
// names leads by x_id, e-mail or phone, so the typed id would be looked up as one of those and
// not found: a fixed cell that looks like a Propexo id is taken as the lead's own id instead,
// once `GET /v1/leads/{id}` says that lead exists (its property then scopes the row's names).
import type { PropexoReadClient } from '../propexo/reads.ts';
import type { SendQueue } from '../schedule/send-queue.ts';
import { describeLeadMatch, type CheckedRow } from './check-rows.ts';
import { looksLikePropexoId, type LeadKeyKind } from './lead-keys.ts';

export interface TypedLeadIdOptions {
  readonly kind: LeadKeyKind;
  /** The text fixed into the lead cell, by row number (only fixes made in the app). */
  readonly typed: ReadonlyMap<number, string>;
  readonly reads: Pick<PropexoReadClient, 'getLead'>;
  readonly queue: Pick<SendQueue, 'run'>;
  readonly signal?: AbortSignal;
}

/** The rows with a typed Propexo id of an existing lead matched to it; every other row as it was. */
export async function acceptTypedLeadIds(rows: readonly CheckedRow[], options: TypedLeadIdOptions): Promise<CheckedRow[]> {
  if (options.kind === 'lead_id') return [...rows];
  return Promise.all(
    rows.map(async (row): Promise<CheckedRow> => {
      const typed = options.typed.get(row.rowNumber)?.trim();
      if (typed === undefined || row.lead?.outcome === 'matched' || !looksLikePropexoId(typed)) return row;
      const answer = await options.queue.run('check', () => options.reads.getLead(typed, { signal: options.signal }), options.signal);
      if (!answer.ok) return row;
      const lead = {
        outcome: 'matched' as const,
        kind: options.kind,
        key: typed,
        leadId: answer.value.id,
        propertyId: answer.value.property_id,
      };
      // Names were not looked up for a row without a lead (no property to look in): its other problems stay.
      const others = Object.values(row.references)
        .flatMap((results) => results ?? [])
        .filter((result) => result.outcome !== 'resolved');
      const outcome = others.some((result) => result.outcome === 'not_found') ? 'not_found' : others.length > 0 ? 'ambiguous' : 'matched';
      const message = outcome === 'matched' ? '' : row.message.replace(describeLeadMatch(row.lead), '').replace(/^; /, '');
      return { ...row, lead, outcome, message };
    }),
  );
}
