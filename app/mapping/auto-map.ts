// Header → lead field matching, best evidence first: the field's own name, the same name
// written differently, a synonym, then a small typo of either. Each column gets its single
// best match; when two columns want one field the better match (then the earlier column)
// wins and the other stays unmapped rather than being pushed onto a second-choice field.
import { fieldSpecs, isLeadFieldName, type LeadFieldName } from '../lead/fields.ts';
import { inferColumnOptions } from './column-options.ts';
import { editDistance } from './edit-distance.ts';
import { headerKeys, headerWords, normalizeHeader } from './header-text.ts';
import { isWholeNameHeader, suggestNameSplit } from './name-columns.ts';
import { isReportColumn } from './report-columns.ts';
import { fieldSynonyms } from './synonyms.ts';
import type { Cell } from '../source/types.ts';
import type { ColumnMapping, ColumnOptions, Mapping, NameSplit } from './types.ts';
import { looksLikePropexoId } from '../lookup/lead-keys.ts';
import { columnLetter, describeColumns, repeatedNames } from '../source/header.ts';

export type AutoMatchMethod = 'exact' | 'normalized' | 'synonym' | 'typo';

export interface FieldMatch {
  readonly field: LeadFieldName;
  readonly method: AutoMatchMethod;
  /** Edit distance of a typo match; 0 otherwise. */
  readonly distance: number;
}

// `events` (deprecated; an array of objects) cannot come from a spreadsheet cell.
const mappableFields = fieldSpecs.filter((spec) => spec.type.kind !== 'unsupported');
const mappable: ReadonlySet<LeadFieldName> = new Set(mappableFields.map((spec) => spec.name));

/** Whether a spreadsheet column can fill `field` (every field but the deprecated `events`). */
export const isMappableField = (field: LeadFieldName): boolean => mappable.has(field);

const fieldByNormalizedName: ReadonlyMap<string, LeadFieldName> = new Map(
  mappableFields.map((spec) => [normalizeHeader(spec.name), spec.name]),
);

// Deprecated fields take no synonyms and no typos: ordinary words lead to current fields.
const currentFields = mappableFields.filter((spec) => !spec.deprecated).map((spec) => spec.name);

const fieldBySynonym: ReadonlyMap<string, LeadFieldName> = new Map(
  currentFields.flatMap((field) => (fieldSynonyms[field] ?? []).map((synonym) => [normalizeHeader(synonym), field] as const)),
);

/** Keys shorter than this are never typo-matched: "id", "zip" and "cell" are too close to too much. */
export const MIN_TYPO_LENGTH = 5;
/** Keys up to this length allow one edit; longer keys allow two. */
const ONE_EDIT_MAX_LENGTH = 7;

/**
 * Typo matching must not turn one real word into another ("Department" is not a misspelt
 * "Apartment"). The rule: a header is a typo only when at least one of its words is not a
 * known word. Known words are those of our own field names and synonyms, and the common
 * English words of CRM and property-management exports below (real words near our vocabulary
 * first). "Stauts" or "Frist Name" hold an unknown word and may be typos; "Department",
 * "County" or "Lead Stage" are all real words and are never read as something else.
 */
const COMMON_HEADER_WORDS: readonly string[] = [
  'department',
  'compartment',
  'county',
  'counter',
  'employer',
  'employed',
  'estate',
  'stage',
  'stages',
  'stated',
  'statue',
  'station',
  'course',
  'resource',
  'outcome',
  'created',
  'creator',
  'modified',
  'updated',
  'owner',
  'owners',
  'title',
  'titles',
  'position',
  'division',
  'company',
  'account',
  'territory',
  'region',
  'industry',
  'rating',
  'ratings',
  'campaign',
  'contract',
  'contact',
  'content',
  'context',
  'description',
  'salutation',
  'suffix',
  'prefix',
  'website',
  'partner',
  'parent',
  'priority',
  'probability',
  'amount',
  'currency',
  'product',
  'segment',
  'service',
  'subject',
  'category',
  'channel',
  'medium',
  'visit',
  'visits',
  'views',
  'lifecycle',
  'persona',
  'language',
  'timezone',
  'property',
  'building',
  'community',
  'tour',
  'tours',
  'gender',
  'age',
  'annual',
  'billing',
  'shipping',
  'start',
  'started',
  'end',
  'ended',
  'closed',
  'close',
  'open',
  'opened',
  'deleted',
  'archived',
  'season',
  'spouse',
  'children',
  'vehicle',
  'vehicles',
  'parking',
  'storage',
  'budget',
  'lease',
];

/** Lowercase words: a header's, or a field name's or synonym's (accents dropped, as in matching). */
const wordsOf = (text: string): readonly string[] =>
  headerWords(
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/_/g, ' '),
  ).filter((word) => /[a-z]/.test(word));

const KNOWN_WORDS: ReadonlySet<string> = new Set([
  ...COMMON_HEADER_WORDS,
  ...mappableFields.flatMap((spec) => wordsOf(spec.name)),
  ...Object.values(fieldSynonyms).flatMap((synonyms) => (synonyms ?? []).flatMap(wordsOf)),
]);

/** Whether every word of the header is a real word we know: then it is not a typo of anything. */
const allKnownWords = (header: string): boolean => {
  const words = wordsOf(header);
  return words.length > 0 && words.every((word) => KNOWN_WORDS.has(word));
};

interface TypoTarget {
  readonly key: string;
  readonly digits: string;
  readonly field: LeadFieldName;
}

const digitsOf = (key: string): string => key.replace(/\D/g, '');

const typoTargets: readonly TypoTarget[] = [
  ...currentFields.map((field) => [normalizeHeader(field), field] as const),
  ...fieldBySynonym.entries(),
]
  .filter(([key]) => key.length >= MIN_TYPO_LENGTH)
  .map(([key, field]) => ({ key, digits: digitsOf(key), field }));

/**
 * The closest target within the allowed distance. A different number is never a typo
 * ("Phone 3" is not phone_1), and a tie between two fields is no match ("Stats": state or status?).
 */
function typoMatch(header: string, keys: readonly string[]): FieldMatch | undefined {
  if (allKnownWords(header)) return undefined;
  let best = Number.POSITIVE_INFINITY;
  let fields = new Set<LeadFieldName>();
  for (const key of keys) {
    if (key.length < MIN_TYPO_LENGTH) continue;
    const limit = key.length <= ONE_EDIT_MAX_LENGTH ? 1 : 2;
    const digits = digitsOf(key);
    for (const target of typoTargets) {
      if (target.digits !== digits) continue;
      const distance = editDistance(key, target.key, Math.min(limit, best));
      if (distance > limit || distance > best) continue;
      if (distance < best) {
        best = distance;
        fields = new Set();
      }
      fields.add(target.field);
    }
  }
  const [field] = fields;
  return fields.size === 1 && field !== undefined ? { field, method: 'typo', distance: best } : undefined;
}

/** The best field for one header text, or undefined when nothing (or nothing unambiguous) fits. */
export function bestFieldMatch(header: string): FieldMatch | undefined {
  const text = header.trim();
  if (isLeadFieldName(text) && isMappableField(text)) return { field: text, method: 'exact', distance: 0 };
  const keys = headerKeys(text);
  for (const key of keys) {
    const field = fieldByNormalizedName.get(key);
    if (field !== undefined) return { field, method: 'normalized', distance: 0 };
  }
  for (const key of keys) {
    const field = fieldBySynonym.get(key) ?? addressPartField(key);
    if (field !== undefined) return { field, method: 'synonym', distance: 0 };
  }
  return typoMatch(text, keys);
}

// CRM exports name address columns by the address they belong to: SuiteCRM's "Primary Address
// City", Salesforce's "Mailing Zip", Google Contacts' "Address 1 - Region". Not "Billing": a
// company's billing address is not where the lead lives.
const ADDRESS_PREFIXES: readonly string[] = [
  'primaryaddress',
  'primary',
  'mailingaddress',
  'mailing',
  'homeaddress',
  'home',
  'currentaddress',
  'current',
  'address1',
  'address',
];

const ADDRESS_PARTS: ReadonlyMap<string, LeadFieldName> = new Map([
  ['street', 'address_1'],
  ['street1', 'address_1'],
  ['streetaddress', 'address_1'],
  ['line1', 'address_1'],
  ['street2', 'address_2'],
  ['line2', 'address_2'],
  ['city', 'city'],
  ['town', 'city'],
  ['state', 'state'],
  ['province', 'state'],
  ['region', 'state'],
  ['stateprovince', 'state'],
  ['stateregion', 'state'],
  ['zip', 'zip'],
  ['zipcode', 'zip'],
  ['postalcode', 'zip'],
  ['postcode', 'zip'],
  ['country', 'country'],
  ['countryregion', 'country'],
]);

/** The address field of a header key written as an address prefix and a part ("mailingstreet"), if it is one. */
function addressPartField(key: string): LeadFieldName | undefined {
  for (const prefix of ADDRESS_PREFIXES) {
    if (!key.startsWith(prefix)) continue;
    const field = ADDRESS_PARTS.get(key.slice(prefix.length));
    if (field !== undefined) return field;
  }
  return undefined;
}

const methodRank: Record<AutoMatchMethod, number> = { exact: 0, normalized: 1, synonym: 2, typo: 3 };

const unmapped = (index: number, column: string): ColumnMapping => ({ index, column, field: null, method: 'unmapped', options: {} });

/** A field several columns of the same name would fill: a mapping must say which (by letter). */
export interface RepeatedMatch {
  readonly field: LeadFieldName;
  /** The columns' 0-based positions. */
  readonly indexes: readonly number[];
  /** Names the columns by letter and name, and says how to choose. */
  readonly message: string;
}

/**
 * The repeated header names that automatic mapping would use: each of them is left unmapped
 * (guessing one of two "Create Date" columns could send the wrong dates).
 */
export function repeatedMatches(header: readonly string[]): RepeatedMatch[] {
  const groups = repeatedNames(header);
  const inGroups = new Set(groups.flat());
  const others = header.flatMap((column, index) => {
    const match = inGroups.has(index) || isReportColumn(column) ? undefined : bestFieldMatch(column);
    return match === undefined ? [] : [{ match, index }];
  });
  const outranks = (a: FieldMatch, aIndex: number, b: FieldMatch, bIndex: number): boolean =>
    (methodRank[a.method] - methodRank[b.method] || a.distance - b.distance || aIndex - bIndex) < 0;
  return groups.flatMap((indexes) => {
    const name = header[indexes[0]];
    const match = isReportColumn(name) ? undefined : bestFieldMatch(name);
    // A column of its own name that takes the field anyway makes the repeat harmless.
    if (match === undefined || others.some((o) => o.match.field === match.field && outranks(o.match, o.index, match, indexes[0])))
      return [];
    const letters = indexes.map(columnLetter);
    return [
      {
        field: match.field,
        indexes,
        message:
          `${describeColumns(header, indexes)} have the same name and would both fill ${match.field}; ` +
          `map one of them in a mapping file by its letter, e.g. "${name} (${letters[0]})": { "column": "${letters[0]}", "field": "${match.field}" }`,
      },
    ];
  });
}

/**
 * One entry per header column, in order; no field is given to two columns. Columns whose name
 * repeats and would fill a field are left unmapped (see repeatedMatches). With sample rows, a
 * whole-name column ("Name") whose values have one shape is split into first_name and
 * last_name, when no other column gives either.
 */
export function autoMap(header: readonly string[], sample: readonly (readonly Cell[])[] = []): Mapping {
  const unsure = new Set(repeatedMatches(header).flatMap((repeat) => repeat.indexes));
  const matches = header.map((column, index) => (isReportColumn(column) || unsure.has(index) ? undefined : bestFieldMatch(column)));
  // Conflicts: better method, then closer typo, then earlier column.
  const contenders = matches
    .flatMap((match, index) => (match === undefined ? [] : [{ match, index }]))
    .sort((a, b) => methodRank[a.match.method] - methodRank[b.match.method] || a.match.distance - b.match.distance || a.index - b.index);
  const columnForField = new Map<LeadFieldName, number>();
  for (const { match, index } of contenders) {
    if (!columnForField.has(match.field)) columnForField.set(match.field, index);
  }
  const splitColumn =
    columnForField.has('first_name') || columnForField.has('last_name') ? undefined : wholeNameSplit(header, matches, sample);
  return {
    columns: header.map((column, index): ColumnMapping => {
      if (isReportColumn(column)) return { index, column, field: null, method: 'report_column', options: {} };
      if (splitColumn?.index === index)
        return { index, column, field: 'first_name', method: 'synonym', options: { split: splitColumn.split } };
      const match = matches[index];
      if (match === undefined || columnForField.get(match.field) !== index) return unmapped(index, column);
      return {
        index,
        column,
        field: match.field,
        method: match.method,
        options: withLeadKeyFromValues(inferColumnOptions(column, match.field), index, sample),
      };
    }),
  };
}

/**
 * A column the header calls a PMS id ("Record ID") whose sample values all look like Propexo
 * ids holds Propexo's ids after all: it keeps lead_id (nothing to look up).
 */
function withLeadKeyFromValues(options: ColumnOptions, index: number, sample: readonly (readonly Cell[])[]): ColumnOptions {
  if (options.match !== 'x_id') return options;
  const values = sample.map((row) => row[index]).filter((cell): cell is string => typeof cell === 'string' && cell.trim() !== '');
  if (values.length === 0 || !values.every(looksLikePropexoId)) return options;
  return Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'match'));
}

/** The first unmatched whole-name column whose sample values split one way, and that way. */
function wholeNameSplit(
  header: readonly string[],
  matches: readonly (FieldMatch | undefined)[],
  sample: readonly (readonly Cell[])[],
): { index: number; split: NameSplit } | undefined {
  if (sample.length === 0) return undefined;
  for (let index = 0; index < header.length; index++) {
    if (matches[index] !== undefined || !isWholeNameHeader(header[index])) continue;
    const split = suggestNameSplit(sample.map((row) => row[index] ?? ''));
    if (split !== undefined) return { index, split };
  }
  return undefined;
}
