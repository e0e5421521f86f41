// How a spreadsheet names a lead, and how a cell and a Propexo lead are compared under each
// name: the source system's id trimmed, e-mail ignoring case, phone by its digits alone (a
// leading US country code dropped), Propexo's own id as written.
import type { Lead } from '../propexo/read-codecs.ts';

export const leadKeyKinds = ['lead_id', 'x_id', 'email_1', 'phone_1'] as const;
export type LeadKeyKind = (typeof leadKeyKinds)[number];

export const isLeadKeyKind = (u: unknown): u is LeadKeyKind => typeof u === 'string' && (leadKeyKinds as readonly string[]).includes(u);

/** The key a lookup compares: `x_id` trimmed, e-mail lower case, phone digits; null for a cell that names nothing. */
export function leadKeyOf(kind: LeadKeyKind, cell: string | null | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  switch (kind) {
    case 'lead_id':
    case 'x_id':
      return trimmed;
    case 'email_1':
      return trimmed.toLowerCase();
    case 'phone_1': {
      const digits = trimmed.replace(/\D/g, '');
      const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
      return national === '' ? null : national;
    }
  }
}

/** The lead's value under this key, compared as `leadKeyOf` compares cells. */
export function keyOfLead(kind: LeadKeyKind, lead: Pick<Lead, 'id' | 'x_id' | 'email_1' | 'phone_1'>): string | null {
  return leadKeyOf(kind, kind === 'lead_id' ? lead.id : lead[kind]);
}

/** Propexo's phone filter takes 10 digits, the first 2–9 (its OpenAPI pattern): other keys cannot be asked for one by one. */
const phoneFilter = /^[2-9]\d{9}$/;

/**
 * The filter values to ask Propexo for a key, one request each. E-mail: as written, then in
 * lower case when that differs (Propexo's filter may compare case; listing the scope never
 * misses a differently cased address). Phone: the 10 digits, or nothing when the key cannot be
 * a US number (such a row is matched only by listing, and is not found by asking).
 */
export function filterValuesFor(kind: Exclude<LeadKeyKind, 'lead_id'>, cell: string, key: string): readonly string[] {
  switch (kind) {
    case 'x_id':
      return [key];
    case 'email_1': {
      const asWritten = cell.trim();
      return asWritten === key ? [key] : [asWritten, key];
    }
    case 'phone_1':
      return phoneFilter.test(key) ? [key] : [];
  }
}

/** Whether a cell looks like a Propexo lead id rather than a PMS id (auto-mapping keeps lead_id for those). */
export function looksLikePropexoId(cell: string): boolean {
  const text = cell.trim();
  // A prefixed id ("sim_lead_000123", "ls_001_002"), a cuid ("clx…", 25 characters) or a UUID; a PMS id is usually a bare number or code.
  return (
    /^[a-z][a-z0-9]*_[A-Za-z0-9_-]{3,}$/.test(text) ||
    /^c[a-z0-9]{24}$/.test(text) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
  );
}
