// Per-column reading options: which ones a field can take, and what a header tells us
// about them ("Max Rent (cents)" holds cents, "Move-in (DD/MM/YYYY)" is day-first).
import { isPhoneField } from '../lead/cell-warnings.ts';
import { fieldSpecByName, type FieldKind, type LeadFieldName } from '../lead/fields.ts';
import { headerKeys, headerWords, normalizeHeader } from './header-text.ts';
import { xIdHeaders } from './synonyms.ts';
import type { ColumnOptions } from './types.ts';

const kindOf = (field: LeadFieldName): FieldKind['kind'] => fieldSpecByName.get(field)?.type.kind ?? 'unsupported';

/** The option each field kind accepts (money → money, date → dateOrder, list → listSeparator). */
const optionForKind: Partial<Record<FieldKind['kind'], keyof ColumnOptions>> = {
  money: 'money',
  date: 'dateOrder',
  list: 'listSeparator',
};

/** Which fields each option applies to, and how a message names them. */
const optionScope: Record<keyof ColumnOptions, { readonly fits: (field: LeadFieldName) => boolean; readonly fields: string }> = {
  money: { fits: (field) => kindOf(field) === 'money', fields: 'money fields (*_in_cents)' },
  dateOrder: { fits: (field) => kindOf(field) === 'date', fields: 'date fields' },
  twoDigitYears: { fits: (field) => kindOf(field) === 'date', fields: 'date fields' },
  listSeparator: { fits: (field) => kindOf(field) === 'list', fields: 'list fields' },
  values: {
    fits: (field) => kindOf(field) === 'enum' || kindOf(field) === 'boolean',
    fields: 'fields with a fixed list of values and yes/no fields',
  },
  placeholders: { fits: () => true, fields: 'every field' },
  split: { fits: (field) => field === 'first_name' || field === 'last_name', fields: 'first_name and last_name' },
  secondPhoneTo: { fits: isPhoneField, fields: 'phone fields' },
  rawTo: { fits: (field) => field === 'status', fields: 'status' },
  match: { fits: (field) => field === 'lead_id', fields: 'lead_id (the column that names the lead)' },
};

const optionKeys = Object.keys(optionScope) as (keyof ColumnOptions)[];

/** The one reading option `field`'s kind takes (money, dateOrder, listSeparator), if any. */
export const optionFor = (field: LeadFieldName): keyof ColumnOptions | undefined => optionForKind[kindOf(field)];

/** Every option `field` can take. */
export const optionsFor = (field: LeadFieldName): (keyof ColumnOptions)[] => optionKeys.filter((key) => optionScope[key].fits(field));

const xIdHeaderKeys: ReadonlySet<string> = new Set([...xIdHeaders, 'x_id'].map(normalizeHeader));

const saysCents = (header: string): boolean => headerWords(header).some((word) => word === 'cents' || word === 'cent' || word === '¢');

// "DD/MM", "D/M/Y", "dd-mm-yyyy", "DD.MM.YYYY", "day/month" or a "DMY" word: the day comes first.
const DAY_FIRST = /(?:^|[^a-z])(?:d{1,2}\s*[/.\- ]\s*m{1,2}|day\s*[/.\- ]\s*month|dmy)(?:$|[^a-z])/i;

/** What the header says: money in dollars unless it says cents; dates day-first when it says so. */
export function inferColumnOptions(header: string, field: LeadFieldName): ColumnOptions {
  if (field === 'lead_id') return headerKeys(header).some((key) => xIdHeaderKeys.has(key)) ? { match: 'x_id' } : {};
  switch (optionFor(field)) {
    case 'money':
      return { money: saysCents(header) ? 'cents' : 'dollars' };
    case 'dateOrder':
      return DAY_FIRST.test(header) ? { dateOrder: 'DMY' } : {};
    default:
      return {};
  }
}

/**
 * The options that fit `field`, and a sentence for each that does not (money on a date
 * field): options that do not fit are dropped so they never reach the decoder.
 */
export function fitOptions(field: LeadFieldName, options: ColumnOptions): { options: ColumnOptions; misfits: string[] } {
  const fitted: Record<string, unknown> = {};
  const misfits: string[] = [];
  for (const key of optionKeys) {
    if (options[key] === undefined) continue;
    if (optionScope[key].fits(field)) fitted[key] = options[key];
    else misfits.push(`${key} applies only to ${optionScope[key].fields}, and ${field} is ${withArticle(kindOf(field))} field: ignored`);
  }
  return { options: fitted as ColumnOptions, misfits };
}

const withArticle = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
