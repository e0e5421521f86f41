// Per-column reading options: which ones a field can take, and what a header tells us
// about them ("Max Rent (cents)" holds cents, "Move-in (DD/MM/YYYY)" is day-first).
import { fieldSpecByName, type FieldKind, type LeadFieldName } from '../lead/fields.ts';
import { headerWords } from './header-text.ts';
import type { ColumnOptions } from './types.ts';

const kindOf = (field: LeadFieldName): FieldKind['kind'] => fieldSpecByName.get(field)?.type.kind ?? 'unsupported';

/** The option each field kind accepts (money → money, date → dateOrder, list → listSeparator). */
const optionForKind: Partial<Record<FieldKind['kind'], keyof ColumnOptions>> = {
  money: 'money',
  date: 'dateOrder',
  list: 'listSeparator',
};

const kindForOption: Record<keyof ColumnOptions, string> = {
  money: 'money fields (*_in_cents)',
  dateOrder: 'date fields',
  listSeparator: 'list fields',
};

/** The one option `field` can take, if any. */
export const optionFor = (field: LeadFieldName): keyof ColumnOptions | undefined => optionForKind[kindOf(field)];

const saysCents = (header: string): boolean => headerWords(header).some((word) => word === 'cents' || word === 'cent' || word === '¢');

// "DD/MM", "D/M/Y", "dd-mm-yyyy", "DD.MM.YYYY", "day/month" or a "DMY" word: the day comes first.
const DAY_FIRST = /(?:^|[^a-z])(?:d{1,2}\s*[/.\- ]\s*m{1,2}|day\s*[/.\- ]\s*month|dmy)(?:$|[^a-z])/i;

/** What the header says: money in dollars unless it says cents; dates day-first when it says so. */
export function inferColumnOptions(header: string, field: LeadFieldName): ColumnOptions {
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
  const accepted = optionFor(field);
  const misfits = (Object.keys(kindForOption) as (keyof ColumnOptions)[])
    .filter((key) => key !== accepted && options[key] !== undefined)
    .map((key) => `${key} applies only to ${kindForOption[key]}, and ${field} is ${withArticle(kindOf(field))} field: ignored`);
  return { options: accepted === undefined ? {} : only(options, accepted), misfits };
}

function only(options: ColumnOptions, key: keyof ColumnOptions): ColumnOptions {
  switch (key) {
    case 'money':
      return options.money === undefined ? {} : { money: options.money };
    case 'dateOrder':
      return options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder };
    case 'listSeparator':
      return options.listSeparator === undefined ? {} : { listSeparator: options.listSeparator };
  }
}

const withArticle = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
