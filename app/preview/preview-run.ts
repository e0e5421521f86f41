// The preview of a whole run, in file order: each row compared with its lead as the rows
// before it will leave it, and, for each row with something to send, the before-values the
// engine journals with its `sent` entry (journal-entry.ts `before`): the lead's values of
// exactly the fields the row sends, as they will be just before it is sent. Undo writes them
// back in reverse file order, so a lead several rows changed ends as it was before the run.
import type { LeadFieldValue, LeadUpdate } from '../lead/lead-update.ts';
import type { LeadFieldName } from '../propexo/schema.ts';
import type { BeforeEntry } from '../run/journal-entry.ts';
import { compareRow, type RowChanges } from './changes.ts';
import { currentValueOf, noReferenceIds, type ReferenceIds } from './field-correspondence.ts';
import type { LeadOrReason } from './current-values.ts';

export interface PreviewRowInput {
  readonly row: number;
  readonly leadId: string;
  readonly payload: LeadUpdate;
}

/** The before-values of a row: what a `before` journal entry holds besides row and lead. */
export type RowBeforeValues = Pick<BeforeEntry, 'values'> & { readonly unreadable: Readonly<Record<string, string>> };

export interface PreviewedRow extends RowChanges {
  /** For the fields of `payload` (the fields the row sends): their values just before it is sent. */
  readonly before: RowBeforeValues;
}

/**
 * `inFlight`: rows sent before (a resumed run) whose jobs are not final yet. They are sent
 * before the later rows of their lead, so those are compared with the lead as they leave it,
 * not as it was read: their job may apply after the reading.
 */
export function previewRun(
  rows: Iterable<PreviewRowInput>,
  leads: ReadonlyMap<string, LeadOrReason>,
  references: ReferenceIds = noReferenceIds,
  inFlight: Iterable<PreviewRowInput> = [],
): PreviewedRow[] {
  const written = new Map<string, Map<LeadFieldName, LeadFieldValue>>();
  const writes = (input: PreviewRowInput): void => {
    const earlier = written.get(input.leadId) ?? new Map<LeadFieldName, LeadFieldValue>();
    for (const [field, value] of Object.entries(input.payload) as [LeadFieldName, LeadFieldValue][]) earlier.set(field, value);
    written.set(input.leadId, earlier);
  };
  const pending = [...inFlight].sort((a, b) => b.row - a.row);
  const previewed: PreviewedRow[] = [];
  for (const input of rows) {
    for (let next = pending.at(-1); next !== undefined && next.row < input.row; next = pending.at(-1)) writes(pending.pop() ?? next);
    const lead = leads.get(input.leadId) ?? { unreadable: 'the lead was not read' };
    const earlier = written.get(input.leadId) ?? new Map<LeadFieldName, LeadFieldValue>();
    const changes = compareRow(input.row, input.leadId, input.payload, lead, references, earlier);
    const values: Record<string, BeforeEntry['values'][string]> = {};
    const unreadable: Record<string, string> = {};
    for (const field of Object.keys(changes.payload) as LeadFieldName[]) {
      const before = earlier.get(field);
      if (before !== undefined) {
        values[field] = before as BeforeEntry['values'][string];
        continue;
      }
      const current = 'unreadable' in lead ? { known: false as const, reason: lead.unreadable } : currentValueOf(field, lead, references);
      if (current.known) values[field] = current.value as BeforeEntry['values'][string];
      else unreadable[field] = current.reason;
    }
    writes({ ...input, payload: changes.payload });
    previewed.push({ ...changes, before: { values, unreadable } });
  }
  return previewed;
}
