// Values that decode but look wrong for what the field means. The schema calls these plain
// strings, so, as in fields.ts, the meaning is added by name. They warn; they never block.
import type { Cell } from '../source/types.ts';
import { quote } from './cell-text.ts';
import { fieldSpecByName, type LeadFieldName } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';

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

export const MIN_PHONE_DIGITS = 7;
export const ZIP_DIGITS = 5;

/** Excel drops the leading zeros of a ZIP code typed into a number cell (02134 → 2134). */
const zipWarning: CellWarning = (cell, value) => {
  if (typeof cell !== 'number' || typeof value !== 'string' || value.length >= ZIP_DIGITS || countDigits(value) !== value.length) return null;
  return `${quote(value)} has ${value.length} digit${value.length === 1 ? '' : 's'}: leading zeros were probably lost in Excel (did you mean ${value.padStart(ZIP_DIGITS, '0')}? format the column as text)`;
};

const phoneWarning: CellWarning = (_cell, value) => {
  if (typeof value !== 'string') return null;
  const digits = countDigits(value);
  if (digits >= MIN_PHONE_DIGITS) return null;
  return `${quote(value)} has ${digits === 0 ? 'no digits' : `only ${digits} digit${digits === 1 ? '' : 's'}`}: is it a complete phone number?`;
};

/** The warning check for a field, if it has one. */
export function cellWarningFor(field: LeadFieldName): CellWarning | null {
  const spec = fieldSpecByName.get(field);
  if (spec === undefined || spec.type.kind !== 'string') return null;
  if (field === 'zip') return zipWarning;
  if (/^phone_\d+$/.test(field)) return phoneWarning;
  return null;
}
