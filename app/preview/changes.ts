// What a row will change: its payload compared, field by field, with the lead's current
// values (field-correspondence.ts turns those into the update's terms). A field already as
// the row says is dropped from the payload; a row with no field left is `unchanged`. "Equal"
// has the meaning of each kind of value, chosen so that a field is dropped only when writing
// it could not change what the PMS holds: when in doubt, the field is sent.
import type { Lead } from '../propexo/read-codecs.ts';
import type { LeadFieldName } from '../propexo/schema.ts';
import type { LeadFieldValue, LeadUpdate } from '../lead/lead-update.ts';
import {
  currentValueOf,
  fieldCorrespondence,
  noReferenceIds,
  type CurrentValue,
  type ReferenceIds,
  type ValueKind,
} from './field-correspondence.ts';

/** The digits of a phone as Propexo stores it: punctuation aside, a leading US country code dropped. */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

const isBlank = (v: LeadFieldValue): boolean =>
  v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Whether two values of a field of this kind say the same thing:
 * - text and ids: exactly (a PMS keeps what it is given; "Apt 3" and "apt 3" differ for a mailer);
 * - e-mail: case aside (mail systems, Propexo's lookups and every PMS we know treat it so);
 * - phone: the same digits ("(720) 273-5593" and "7202735593" dial the same line);
 * - enum: case aside (a PMS may show "Active" for ACTIVE);
 * - number and money: numerically, cents on both sides (100000 and 100000.0);
 * - date: the same calendar date (the lead shows a date-time at midnight);
 * - unit-set: the same units in any order (a lead's preferred units have no order).
 * Blank (null, empty text, empty list) equals blank.
 */
export function sameValue(kind: ValueKind, a: LeadFieldValue, b: LeadFieldValue): boolean {
  if (isBlank(a) || isBlank(b)) return isBlank(a) && isBlank(b);
  switch (kind) {
    case 'text':
    case 'id':
      return a === b;
    case 'email':
    case 'enum':
      return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
    case 'phone':
      return typeof a === 'string' && typeof b === 'string' && phoneDigits(a) === phoneDigits(b);
    case 'number':
      return typeof a === 'number' && typeof b === 'number' && a === b;
    case 'date':
      return typeof a === 'string' && typeof b === 'string' && a.slice(0, 10) === b.slice(0, 10);
    case 'unit-set': {
      if (!Array.isArray(a) || !Array.isArray(b)) return false;
      const left = new Set<string>(a);
      const right = new Set<string>(b);
      return left.size === right.size && [...left].every((id) => right.has(id));
    }
  }
}

/** One field of a row: what the lead holds now and what the row will write. */
export interface FieldChange {
  readonly field: LeadFieldName;
  readonly current: CurrentValue;
  readonly next: LeadFieldValue;
  /** `changes`: will be sent; `same`: already so, dropped; `unknown`: the current value cannot be read, sent. */
  readonly verdict: 'changes' | 'same' | 'unknown';
}

export interface RowChanges {
  readonly row: number;
  readonly leadId: string;
  /** Every field of the payload, in payload order. */
  readonly fields: readonly FieldChange[];
  /** The payload without the fields already so: what the run sends. */
  readonly payload: LeadUpdate;
  /** No field is left: nothing to send. */
  readonly unchanged: boolean;
}

/** Whether one field of a row changes the lead. */
export function compareField(
  field: LeadFieldName,
  next: LeadFieldValue,
  lead: Lead,
  references: ReferenceIds = noReferenceIds,
): FieldChange {
  const current = currentValueOf(field, lead, references);
  const spec = fieldCorrespondence[field];
  if (!current.known || !spec.comparable) return { field, current, next, verdict: 'unknown' };
  return { field, current, next, verdict: sameValue(spec.kind, current.value, next) ? 'same' : 'changes' };
}

/**
 * What earlier rows of the same run send to a lead, field by field (the update's terms). A field
 * an earlier row sends is always sent again: dropping it against the value the earlier row
 * will write would leave the lead wrong if that row fails, and dropping it against the lead's
 * value would leave the earlier row's value in place.
 */
export type EarlierWrites = ReadonlyMap<LeadFieldName, LeadFieldValue>;

/** A row's payload against the lead it updates (`lead` undefined: it could not be read, every field is sent). */
export function compareRow(
  row: number,
  leadId: string,
  payload: LeadUpdate,
  lead: Lead | { readonly unreadable: string },
  references: ReferenceIds = noReferenceIds,
  earlier: EarlierWrites = new Map(),
): RowChanges {
  const fields: FieldChange[] = [];
  const kept: Record<string, LeadFieldValue> = {};
  for (const [field, next] of Object.entries(payload) as [LeadFieldName, LeadFieldValue | undefined][]) {
    if (next === undefined) continue;
    const written = earlier.get(field);
    let change: FieldChange;
    if (written !== undefined) change = { field, current: { known: true, value: written }, next, verdict: 'changes' };
    else if ('unreadable' in lead) change = { field, current: { known: false, reason: lead.unreadable }, next, verdict: 'unknown' };
    else change = compareField(field, next, lead, references);
    fields.push(change);
    if (change.verdict !== 'same') kept[field] = next;
  }
  return { row, leadId, fields, payload: kept as LeadUpdate, unchanged: Object.keys(kept).length === 0 };
}

/** What a confirmation says: "N leads, M fields will change; K rows are already up to date". */
export interface ChangeCounts {
  /** Rows with something to send. */
  readonly rowsToSend: number;
  /** Distinct leads those rows update. */
  readonly leads: number;
  /** Fields that will be sent (a field whose current value is unknown counts: it is sent). */
  readonly fields: number;
  /** Of those, fields whose current value could not be read. */
  readonly unknownFields: number;
  readonly unchangedRows: number;
}

export function countChanges(rows: Iterable<RowChanges>): ChangeCounts {
  const leads = new Set<string>();
  let rowsToSend = 0;
  let fields = 0;
  let unknownFields = 0;
  let unchangedRows = 0;
  for (const row of rows) {
    if (row.unchanged) {
      unchangedRows++;
      continue;
    }
    rowsToSend++;
    leads.add(row.leadId);
    for (const f of row.fields) {
      if (f.verdict === 'same') continue;
      fields++;
      if (f.verdict === 'unknown') unknownFields++;
    }
  }
  return { rowsToSend, leads: leads.size, fields, unknownFields, unchangedRows };
}

/** A value as a changes file or a view shows it: blank as '', a list joined by '; '. */
export function shownValue(value: LeadFieldValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join('; ');
  return String(value);
}
