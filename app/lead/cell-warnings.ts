// Values that decode but look wrong for what the field means. The schema calls these plain
// strings, so, as in fields.ts, the meaning is added by name. They warn; they never block.
import type { Cell } from '../source/types.ts';
import { quote } from './cell-text.ts';
import { fieldSpecByName, type LeadFieldName } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';
import { MIN_PHONE_DIGITS, isPlainPhone, phoneNumbersIn } from './phone-cells.ts';

/** A warning message for a decoded cell, or null. Runs on the hot path: no allocation when quiet. */
export type CellWarning = (cell: Cell, value: LeadFieldValue) => string | null;

function countDigits(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits;
}

export { MIN_PHONE_DIGITS };
export const ZIP_DIGITS = 5;

/** Excel drops the leading zeros of a ZIP code typed into a number cell (02134 → 2134). */
const zipWarning: CellWarning = (cell, value) => {
  if (typeof cell !== 'number' || typeof value !== 'string' || value.length >= ZIP_DIGITS || countDigits(value) !== value.length)
    return null;
  return `${quote(value)} has ${value.length} digit${value.length === 1 ? '' : 's'}: leading zeros were probably lost in Excel (did you mean ${value.padStart(ZIP_DIGITS, '0')}? format the column as text)`;
};

const listed = (items: readonly string[]): string =>
  items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** Where a phone column's extra numbers go, and where they could go. */
export interface PhoneRouting {
  /** The column's secondPhoneTo. */
  readonly secondTo: LeadFieldName | undefined;
  /** A phone field no column fills, to offer for the second number. */
  readonly offer: LeadFieldName | undefined;
}

function phoneWarning(field: LeadFieldName, routing: PhoneRouting): CellWarning {
  const kept = routing.secondTo === undefined ? 1 : 2;
  const sent =
    routing.secondTo === undefined
      ? `only the first is sent, as ${field}`
      : `the first is sent as ${field}, the second as ${routing.secondTo}, the others are not sent`;
  const offer =
    routing.secondTo === undefined && routing.offer !== undefined
      ? ` (to send the second as ${routing.offer}, set the column's secondPhoneTo to ${routing.offer})`
      : '';
  return (cell, value) => {
    if (typeof value !== 'string') return null;
    // The codec returns a plain number (digits, spaces, parentheses, + - .) as the cell itself:
    // one number, nothing to look for. No allocation.
    if (typeof cell === 'string' && value !== cell && !isPlainPhone(cell)) {
      const numbers = phoneNumbersIn(cell.trim());
      if (numbers.length > kept) return `the cell holds ${numbers.length} phone numbers, ${listed(numbers.map(quote))}: ${sent}${offer}`;
      if (numbers.length > 1) return null;
    }
    const digits = countDigits(value);
    if (digits >= MIN_PHONE_DIGITS) return null;
    return `${quote(value)} has ${digits === 0 ? 'no digits' : `only ${digits} digit${digits === 1 ? '' : 's'}`}: is it a complete phone number?`;
  };
}

/** Phone fields: phone_1, phone_2… (the schema calls them plain strings). */
export const isPhoneField = (field: LeadFieldName): boolean => /^phone_\d+$/.test(field);

/** The warning check for a field, if it has one; phone fields say where extra numbers go. */
export function cellWarningFor(
  field: LeadFieldName,
  routing: PhoneRouting = { secondTo: undefined, offer: undefined },
): CellWarning | null {
  const spec = fieldSpecByName.get(field);
  if (spec === undefined || spec.type.kind !== 'string') return null;
  if (field === 'zip') return zipWarning;
  if (isPhoneField(field)) return phoneWarning(field, routing);
  return null;
}
