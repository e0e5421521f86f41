// The saved mapping (`--mapping mapping.json`, the UI's templates): which header column
// fills which field, with its reading options. People edit these files by hand, so every
// mistake is reported with the file, the JSON path and a suggestion where one is likely.
//
//   { "version": 1, "headerRow": 6, "columns": { "E-mail Address": { "field": "email_1" },
//     "Max Rent": { "field": "desired_max_rent_in_cents", "money": "dollars" },
//     "Create Date (AB)": { "column": "AB", "field": null },
//     "Internal notes": { "field": null } } }
//
// The lead column can name the lead by the PMS's id, e-mail or phone instead of Propexo's id:
// `"Guest Card ID": { "field": "lead_id", "match": "x_id" }`; such lookups need a scope,
// `"integration": "int_…"` (and optionally `"property": "prop_…"`) at the top of the file.
//
// An entry names its column by its header text (the key), or by its letter with "column":
// the letter wins and the key is then only a label. Letters are how a file whose header
// repeats a name ("Create Date" twice) says which of them it means.
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { isPhoneField } from '../lead/cell-warnings.ts';
import { fieldSpecByName, fieldSpecs, isLeadFieldName, LEAD_ID_FIELD, type LeadFieldName } from '../lead/fields.ts';
import { takesValueTable, valueKey, valueTargetProblem } from '../lead/value-table.ts';
import { bestFieldMatch, isMappableField } from './auto-map.ts';
import { fitOptions } from './column-options.ts';
import { columnOptions, doubleFillMessage, doubleFills } from './edit-mapping.ts';
import { editDistance } from './edit-distance.ts';
import { parseJsonText, type JsonTextError } from './json-text.ts';
import { isReportColumn } from './report-columns.ts';
import { columnIndexOf, columnLetter, describeColumns, repeatedNames } from '../source/header.ts';
import { leadKeyKinds } from '../lookup/lead-keys.ts';
import type { Century, ColumnMapping, ColumnOptions, DateOrder, Mapping, MoneyUnit, NameSplit, TableValue } from './types.ts';

export const MAPPING_FILE_VERSION = 1;

// ---------------------------------------------------------------- codecs

/** A value as a message shows it: strings in single quotes, the rest as JSON. */
const show = (value: unknown): string =>
  typeof value === 'string' ? `'${value}'` : value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : JSON.stringify(value);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function oneOf<const V extends string>(name: string, values: readonly V[]): t.Type<V, V, unknown> {
  const is = (u: unknown): u is V => typeof u === 'string' && (values as readonly string[]).includes(u);
  return new t.Type<V, V, unknown>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `${show(u)} is not one of ${values.join(', ')}`)),
    t.identity,
  );
}

export const MoneyUnitCodec = oneOf('MoneyUnit', ['dollars', 'cents']);
export const DateOrderCodec = oneOf('DateOrder', ['MDY', 'DMY']);
export const CenturyCodec = oneOf('Century', ['2000s', '1900s']);
export const NameSplitCodec = oneOf('NameSplit', ['last, first', 'first last']);
const RawFieldCodec = oneOf('RawField', ['status_raw']);
/** What the lead column names the lead by (types.ts `ColumnOptions.match`). */
export const LeadKeyCodec = oneOf('LeadKey', leadKeyKinds);

// types.ts declares these as plain types; fail the build if the codecs ever disagree with it.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _moneyUnitsAgree: Same<t.TypeOf<typeof MoneyUnitCodec>, MoneyUnit> = true;
const _dateOrdersAgree: Same<t.TypeOf<typeof DateOrderCodec>, DateOrder> = true;
const _centuriesAgree: Same<t.TypeOf<typeof CenturyCodec>, Century> = true;
const _splitsAgree: Same<t.TypeOf<typeof NameSplitCodec>, NameSplit> = true;

/**
 * A value table: `{ "Contacted": "ACTIVE", "Lost Lead": "INACTIVE" }`; `true`/`false` for a
 * yes/no field; `null` for a word not decided yet (`lead-import map` writes those), which is
 * read as if it were not in the table. Whether a target fits the field is checked with the field.
 */
const ValueTableCodec = new t.Type<Record<string, TableValue | null>, Record<string, TableValue | null>, unknown>(
  'ValueTable',
  (u): u is Record<string, TableValue | null> => isPlainObject(u) && Object.values(u).every(isTableEntry),
  (u, c) => {
    if (!isPlainObject(u)) return t.failure(u, c, `expected an object like { "Contacted": "ACTIVE" }, got ${show(u)}`);
    const errors: t.ValidationError[] = Object.entries(u)
      .filter(([, target]) => !isTableEntry(target))
      .map(([word, target]) => ({
        value: target,
        context: [...c, { key: word, type: t.unknown, actual: target }],
        message: `expected the field's value (text), true or false, or null, got ${show(target)}`,
      }));
    return errors.length === 0 ? t.success(u as Record<string, TableValue | null>) : t.failures(errors);
  },
  t.identity,
);

function isTableEntry(u: unknown): u is TableValue | null {
  return u === null || typeof u === 'string' || typeof u === 'boolean';
}

const PlaceholdersCodec = new t.Type<readonly string[], readonly string[], unknown>(
  'Placeholders',
  (u): u is readonly string[] => Array.isArray(u) && u.every((item) => typeof item === 'string'),
  (u, c) =>
    Array.isArray(u) && u.every((item) => typeof item === 'string')
      ? t.success(u)
      : t.failure(u, c, `expected a list of texts such as ["N/A", "-"] ([] for none), got ${show(u)}`),
  t.identity,
);

const ListSeparatorCodec = new t.Type<string, string, unknown>(
  'ListSeparator',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u !== '' ? t.success(u) : t.failure(u, c, `expected a non-empty text such as ';', got ${show(u)}`)),
  t.identity,
);

/** The field a column fills, or null for a column that is never sent. */
const FieldOrNullCodec = new t.Type<LeadFieldName | null, LeadFieldName | null, unknown>(
  'FieldOrNull',
  (u): u is LeadFieldName | null => u === null || (typeof u === 'string' && isLeadFieldName(u) && isMappableField(u)),
  (u, c) => {
    if (u === null) return t.success(null);
    if (typeof u === 'string' && isLeadFieldName(u)) {
      return isMappableField(u) ? t.success(u) : t.failure(u, c, `${show(u)} cannot be filled from a spreadsheet column`);
    }
    if (typeof u === 'string') return t.failure(u, c, `${show(u)} is not a lead field${didYouMean(u)}`);
    if (u === undefined) return t.failure(u, c, 'missing: give a lead field name, or null to leave the column out');
    return t.failure(u, c, `expected a lead field name or null, got ${show(u)}`);
  },
  t.identity,
);

const fieldNames = fieldSpecs.filter((spec) => isMappableField(spec.name)).map((spec) => spec.name);

/** A suggestion for a mistyped field: what auto-mapping makes of it, else the nearest name. */
function didYouMean(text: string): string {
  const match = bestFieldMatch(text);
  if (match !== undefined) return `; did you mean ${match.field}?`;
  const nearest = nearestOf(text.toLowerCase(), fieldNames, 3);
  return nearest === undefined ? '' : `; did you mean ${nearest}?`;
}

function nearestOf<S extends string>(text: string, candidates: readonly S[], limit: number): S | undefined {
  let best: S | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(text, candidate.toLowerCase(), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * `codec`, but an object with keys it does not know fails too ("dateorder" for "dateOrder"
 * would otherwise be dropped without a word), and a non-object fails with `notAnObject`.
 */
function closed<A, O>(codec: t.Type<A, O, unknown>, keys: readonly string[], notAnObject: (u: unknown) => string): t.Type<A, O, unknown> {
  return new t.Type<A, O, unknown>(
    codec.name,
    (u): u is A => codec.is(u) && isPlainObject(u) && Object.keys(u).every((key) => keys.includes(key)),
    (u, c) => {
      if (!isPlainObject(u)) return t.failure(u, c, notAnObject(u));
      const unknownKeys: t.ValidationError[] = Object.keys(u)
        .filter((key) => !keys.includes(key))
        .map((key) => {
          const suggestion = nearestOf(key.toLowerCase(), keys, 2);
          const hint = suggestion === undefined ? `known keys: ${keys.join(', ')}` : `did you mean ${suggestion}?`;
          return { value: u[key], context: [...c, { key, type: t.unknown, actual: u[key] }], message: `unknown key; ${hint}` };
        });
      // The inner codec validates at this same path: give it this entry so paths name its children.
      const here = c[c.length - 1];
      const result = codec.validate(u, here === undefined ? c : [...c.slice(0, -1), { ...here, type: codec }]);
      if (unknownKeys.length === 0) return result;
      return t.failures([...unknownKeys, ...(E.isLeft(result) ? result.left : [])]);
    },
    codec.encode,
  );
}

/** A column letter as a spreadsheet shows it ("U", "AB"), any case. */
const ColumnLetterCodec = new t.Type<string, string, unknown>(
  'ColumnLetter',
  (u): u is string => typeof u === 'string' && columnIndexOf(u) !== undefined,
  (u, c) =>
    typeof u === 'string' && columnIndexOf(u) !== undefined
      ? t.success(u.trim().toUpperCase())
      : t.failure(u, c, `expected a column letter such as "U" or "AB", got ${show(u)}`),
  t.identity,
);

/** A row number as a spreadsheet shows it. */
const RowNumberCodec = new t.Type<number, number, unknown>(
  'RowNumber',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1,
  (u, c) =>
    typeof u === 'number' && Number.isInteger(u) && u >= 1
      ? t.success(u)
      : t.failure(u, c, `expected the header's row number (1 or more), got ${show(u)}`),
  t.identity,
);

const ColumnFieldCodec = t.type({ field: FieldOrNullCodec });
const ColumnOptionsCodec = t.partial({
  column: ColumnLetterCodec,
  money: MoneyUnitCodec,
  dateOrder: DateOrderCodec,
  twoDigitYears: CenturyCodec,
  listSeparator: ListSeparatorCodec,
  values: ValueTableCodec,
  placeholders: PlaceholdersCodec,
  split: NameSplitCodec,
  secondPhoneTo: FieldOrNullCodec,
  rawTo: RawFieldCodec,
  match: LeadKeyCodec,
});

/** One column's entry: `{ "field": "email_1" }`, with the options its field takes. */
export const MappingFileColumn = closed(
  t.intersection([ColumnFieldCodec, ColumnOptionsCodec], 'MappingFileColumn'),
  [...Object.keys(ColumnFieldCodec.props), ...Object.keys(ColumnOptionsCodec.props)],
  (u) => `expected an object like { "field": ${typeof u === 'string' ? JSON.stringify(u) : '"email_1"'} }, got ${show(u)}`,
);
export type MappingFileColumn = t.TypeOf<typeof MappingFileColumn>;

const VersionCodec = new t.Type<typeof MAPPING_FILE_VERSION, typeof MAPPING_FILE_VERSION, unknown>(
  'Version',
  (u): u is typeof MAPPING_FILE_VERSION => u === MAPPING_FILE_VERSION,
  (u, c) => {
    if (u === MAPPING_FILE_VERSION) return t.success(MAPPING_FILE_VERSION);
    if (u === undefined) return t.failure(u, c, `missing: write "version": ${MAPPING_FILE_VERSION}`);
    if (typeof u === 'number') return t.failure(u, c, `${u} is not supported; this Lead Importer reads version ${MAPPING_FILE_VERSION}`);
    return t.failure(u, c, `expected the number ${MAPPING_FILE_VERSION}, got ${show(u)}`);
  },
  t.identity,
);

const MappingFileFields = t.type({
  version: VersionCodec,
  columns: t.record(t.string, MappingFileColumn, 'an object with one entry per header column'),
});
/** A Propexo id of the lookup scope (`int_…`, `prop_…`). */
const ScopeIdCodec = new t.Type<string, string, unknown>(
  'ScopeId',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) =>
    typeof u === 'string' && u.trim() !== ''
      ? t.success(u.trim())
      : t.failure(u, c, `expected a Propexo id such as "int_123", got ${show(u)}`),
  t.identity,
);
const MappingFileOptions = t.partial({ headerRow: RowNumberCodec, integration: ScopeIdCodec, property: ScopeIdCodec });

export const MappingFile = closed(
  t.intersection([MappingFileFields, MappingFileOptions]),
  ['version', 'headerRow', 'integration', 'property', 'columns'],
  (u) => `expected an object like { "version": ${MAPPING_FILE_VERSION}, "columns": { … } }, got ${show(u)}`,
);
export type MappingFile = t.TypeOf<typeof MappingFile>;

// ---------------------------------------------------------------- messages

/** `columns."Max Rent".money`: header texts are always quoted, they may hold anything. */
function pathOf(context: t.Context): string {
  const parts: string[] = [];
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1].type;
    // An intersection's members validate the same object: their indexes are not path steps.
    if (parent instanceof t.IntersectionType) continue;
    const { key } = context[i];
    parts.push(parent instanceof t.DictionaryType || parent === ValueTableCodec ? JSON.stringify(key) : key);
  }
  return parts.join('.');
}

function describeError(error: t.ValidationError): string {
  const path = pathOf(error.context);
  const type = error.context[error.context.length - 1]?.type;
  const message =
    error.message ??
    (error.value === undefined
      ? `missing: expected ${type?.name ?? 'a value'}`
      : `expected ${type?.name ?? 'something else'}, got ${show(error.value)}`);
  return path === '' ? message : `${path}: ${message}`;
}

const jsonPathOf = (path: readonly string[]): string =>
  path.map((key, i) => (i === 1 && path[0] === 'columns' ? JSON.stringify(key) : key)).join('.');

function describeJsonError(error: JsonTextError): string {
  const where = `line ${error.line}, column ${error.column}`;
  return error.kind === 'repeated_key'
    ? `${jsonPathOf(error.path)}: appears twice (the second at ${where}); keep one`
    : `not valid JSON at ${where}: ${error.message}`;
}

/** A field given to two columns: refused, as on the Map screen (edit-mapping.ts), here with the entry's JSON path. */
function repeatedFields(file: MappingFile): string[] {
  const entries = Object.entries(file.columns);
  const filling = entries.map(([name, entry]) => ({
    name,
    field: entry.field,
    options: entry.field === null ? {} : fitOptions(entry.field, optionsOf(entry)).options,
  }));
  return doubleFills(filling).map(
    (d) =>
      `columns.${JSON.stringify(d.later)}.${d.by}: ${d.field} is already filled from column ${JSON.stringify(d.earlier)}; a field can come from one column only`,
  );
}

/** Options whose meaning depends on the column's field: value-table targets, the second phone's field. */
function optionProblems(file: MappingFile): string[] {
  const messages: string[] = [];
  for (const [column, entry] of Object.entries(file.columns)) {
    const field = entry.field;
    if (field === null) continue;
    const at = `columns.${JSON.stringify(column)}`;
    const kind = fieldSpecByName.get(field)?.type;
    if (entry.values !== undefined && kind !== undefined && takesValueTable(kind)) {
      const seen = new Map<string, string>();
      for (const [word, target] of Object.entries(entry.values)) {
        const problem = target === null ? null : valueTargetProblem(kind, target);
        if (problem !== null) messages.push(`${at}.values.${JSON.stringify(word)}: ${problem}`);
        const earlier = seen.get(valueKey(word));
        if (earlier !== undefined)
          messages.push(
            `${at}.values.${JSON.stringify(word)}: the same word as ${JSON.stringify(earlier)} (case and spaces around it do not count); keep one`,
          );
        else seen.set(valueKey(word), word);
      }
    }
    const second = entry.secondPhoneTo;
    if (second !== undefined && isPhoneField(field) && (second === null || !isPhoneField(second) || second === field)) {
      messages.push(
        `${at}.secondPhoneTo: ${show(second)} cannot take this column's second number: name another phone field, such as ${field === 'phone_2' ? 'phone_1' : 'phone_2'}`,
      );
    }
  }
  return messages;
}

// ---------------------------------------------------------------- reading and writing

/** Reads a mapping file's text; every message starts with `fileName`. */
export function parseMappingFile(text: string, fileName: string): E.Either<string[], MappingFile> {
  const inFile = (message: string): string => `${fileName}: ${message}`;
  if (text.trim() === '' || text.trim() === '\uFEFF') return E.left([inFile('the file is empty')]);
  return pipe(
    parseJsonText(text),
    E.mapLeft((error) => [inFile(describeJsonError(error))]),
    E.chain((json) => decodeMappingFile(json, fileName)),
  );
}

/** A mapping file already parsed from JSON (a run's header keeps one), checked as `parseMappingFile` checks it. */
export function decodeMappingFile(json: unknown, fileName: string): E.Either<string[], MappingFile> {
  const inFile = (message: string): string => `${fileName}: ${message}`;
  return pipe(
    MappingFile.decode(json),
    E.mapLeft((errors) => errors.map(describeError)),
    E.chain((file) => {
      const problems = [...optionProblems(file), ...repeatedFields(file)];
      return problems.length === 0 ? E.right(file) : E.left(problems);
    }),
    E.mapLeft((messages) => messages.map(inFile)),
  );
}

/**
 * Pretty JSON for a person to edit: version first, columns in the file's (header) order,
 * one line per column with its keys always in the same order.
 */
export function formatMappingFile(file: MappingFile): string {
  const lines = Object.entries(file.columns).map(([column, entry]) => {
    const keys = [
      ['column', entry.column],
      ['field', entry.field],
      ['split', entry.split],
      ['money', entry.money],
      ['dateOrder', entry.dateOrder],
      ['twoDigitYears', entry.twoDigitYears],
      ['listSeparator', entry.listSeparator],
      ['secondPhoneTo', entry.secondPhoneTo],
      ['rawTo', entry.rawTo],
      ['match', entry.match],
      ['placeholders', entry.placeholders],
      ['values', entry.values],
    ] as const;
    const pairs = keys.filter(([, value]) => value !== undefined).map(([key, value]) => `"${key}": ${inlineJson(value)}`);
    return `    ${JSON.stringify(column)}: { ${pairs.join(', ')} }`;
  });
  const columns = lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`;
  const headerRow = file.headerRow === undefined ? '' : `\n  "headerRow": ${JSON.stringify(file.headerRow)},`;
  const scope = (['integration', 'property'] as const)
    .map((key) => (file[key] === undefined ? '' : `\n  "${key}": ${JSON.stringify(file[key])},`))
    .join('');
  return `{\n  "version": ${JSON.stringify(file.version)},${headerRow}${scope}\n  "columns": ${columns}\n}\n`;
}

/** JSON on one line, with a space after each separator of a value table: `{ "Contacted": "ACTIVE", "Lost": null }`. */
function inlineJson(value: unknown): string {
  if (!isPlainObject(value)) return JSON.stringify(value);
  const pairs = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`);
  return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
}

/**
 * A mapping as a file a person can edit (`lead-import map FILE --out mapping.json`): every
 * column but our report columns, unmapped ones as `"field": null`, options spelled out. A
 * column whose name the header repeats is written with its letter (`"Create Date (AB)": {
 * "column": "AB", … }`), so the file says which one it means. `headerRow` is written when
 * given (a header below a title block). `undecided` adds words to a column's value table with
 * a null target, for the person to fill in.
 */
export function toMappingFile(
  mapping: Mapping,
  headerRow?: number,
  undecided: ReadonlyMap<number, readonly string[]> = new Map(),
): MappingFile {
  const repeated = new Set(repeatedNames(mapping.columns.map((column) => column.column)).flat());
  const entries: [string, MappingFileColumn][] = [];
  for (const column of mapping.columns) {
    if (column.method === 'report_column') continue;
    const letter = repeated.has(column.index) ? columnLetter(column.index) : undefined;
    const words = undecided.get(column.index) ?? [];
    const values =
      column.field === null || words.length === 0
        ? column.options.values
        : { ...column.options.values, ...Object.fromEntries(words.map((word) => [word, null])) };
    const entry: MappingFileColumn =
      column.field === null ? { field: null } : { field: column.field, ...column.options, ...(values === undefined ? {} : { values }) };
    entries.push(letter === undefined ? [column.column, entry] : [`${column.column} (${letter})`, { column: letter, ...entry }]);
  }
  return { version: MAPPING_FILE_VERSION, ...(headerRow === undefined ? {} : { headerRow }), columns: Object.fromEntries(entries) };
}

type FileEntry = readonly [name: string, entry: MappingFileColumn];

/**
 * The mapping a file gives a header. Entries with a `column` letter take that column; the
 * others match header columns exactly (after trimming), then ignoring case. Header columns the
 * file does not name, or names with `"field": null`, are unmapped and never sent (our report
 * columns are recognised as such); file columns the header lacks, and options that do not fit
 * their field, are `problems` for the caller to weigh. An entry that fills a field by a name
 * the header gives more than one column, or a field another column fills (edit-mapping.ts's
 * one policy), is `ambiguous`: the caller must refuse the mapping rather than guess. Messages
 * do not name the file: callers prefix it.
 */
export function applyMappingFile(
  header: readonly string[],
  file: MappingFile,
): { mapping: Mapping; problems: string[]; ambiguous: string[] } {
  const problems: string[] = [];
  const ambiguous: string[] = [];
  const entryAt = matchColumns(header, Object.entries(file.columns), problems, ambiguous);
  const columns = header.map((column, index): ColumnMapping => {
    const found = entryAt.get(index);
    const field = found?.[1].field ?? null;
    if (found === undefined || field === null) {
      if (isReportColumn(column)) return { index, column, field: null, method: 'report_column', options: {} };
      return { index, column, field: null, method: 'unmapped', options: {} };
    }
    const [name, entry] = found;
    const read = columnOptions(column, field, optionsOf(entry));
    problems.push(...read.misfits.map((misfit) => `column ${JSON.stringify(name)}: ${misfit}`));
    return { index, column, field, method: 'mapping_file', options: read.options };
  });
  // A field two columns fill (a file that was not parsed): the caller refuses, as the Map screen
  // does; the later column is left out so that the mapping never fills a field twice.
  const twice = doubleFills(columns.map((c) => ({ name: entryAt.get(c.index)?.[0] ?? c.column, field: c.field, options: c.options })));
  for (const d of twice) {
    ambiguous.push(doubleFillMessage(d));
    const { index, column } = columns[d.laterAt];
    columns[d.laterAt] = { index, column, field: null, method: 'unmapped', options: {} };
  }
  return { mapping: { columns }, problems, ambiguous };
}

function matchColumns(
  header: readonly string[],
  entries: readonly FileEntry[],
  problems: string[],
  ambiguous: string[],
): Map<number, FileEntry> {
  const entryAt = new Map<number, FileEntry>();
  const trimmed = header.map((column) => column.trim());
  const missing = (name: string, entry: MappingFileColumn, why: string): void => {
    // A column the file leaves out anyway is no loss.
    if (entry.field === null) return;
    const consequence = entry.field === LEAD_ID_FIELD ? ': without it no row can be matched to a lead' : '';
    problems.push(`column ${JSON.stringify(name)} (${entry.field}) ${why}${consequence}`);
  };
  // Letters first: they say exactly which column, and leave the other namesakes to names.
  const byName: FileEntry[] = [];
  for (const entry of entries) {
    const [name, { column: letter }] = entry;
    if (letter === undefined) {
      byName.push(entry);
      continue;
    }
    const index = columnIndexOf(letter) ?? -1;
    if (index < 0 || index >= header.length)
      missing(name, entry[1], `is column ${letter}, past the header's last column (${columnLetter(header.length - 1)})`);
    else if (entryAt.has(index))
      problems.push(
        `column ${JSON.stringify(name)}: column ${letter} is already given by the entry ${JSON.stringify(entryAt.get(index)?.[0])}; this entry is ignored`,
      );
    else entryAt.set(index, entry);
  }
  /** The unclaimed columns `same` matches: one is a match, several are ambiguous. */
  const claim = (entry: FileEntry, same: (column: string, name: string) => boolean): boolean => {
    const name = entry[0].trim();
    const indexes = trimmed.flatMap((column, i) => (!entryAt.has(i) && same(column, name) ? [i] : []));
    if (indexes.length === 1) entryAt.set(indexes[0], entry);
    else if (indexes.length > 1 && entry[1].field !== null) {
      const letters = indexes.map(columnLetter);
      ambiguous.push(
        `column ${JSON.stringify(entry[0])} (${entry[1].field}): the header has ${indexes.length} columns of that name, ` +
          `${describeColumns(header, indexes)}; say which one in its entry, e.g. "column": "${letters[0]}"`,
      );
    }
    return indexes.length > 0;
  };
  const inexact = byName.filter((entry) => !claim(entry, (column, name) => column === name));
  for (const [name, entry] of inexact.filter((e) => !claim(e, (column, name) => column.toLowerCase() === name.toLowerCase()))) {
    missing(name, entry, 'is not in the header');
  }
  return entryAt;
}

/** A column's options as the decoder takes them; a value table's undecided (null) words are left out. */
const optionsOf = (entry: MappingFileColumn): ColumnOptions => ({
  ...(entry.money === undefined ? {} : { money: entry.money }),
  ...(entry.dateOrder === undefined ? {} : { dateOrder: entry.dateOrder }),
  ...(entry.twoDigitYears === undefined ? {} : { twoDigitYears: entry.twoDigitYears }),
  ...(entry.listSeparator === undefined ? {} : { listSeparator: entry.listSeparator }),
  ...(entry.values === undefined ? {} : { values: decidedValues(entry.values) }),
  ...(entry.placeholders === undefined ? {} : { placeholders: entry.placeholders }),
  ...(entry.split === undefined ? {} : { split: entry.split }),
  ...(entry.secondPhoneTo === undefined || entry.secondPhoneTo === null ? {} : { secondPhoneTo: entry.secondPhoneTo }),
  ...(entry.rawTo === undefined ? {} : { rawTo: entry.rawTo }),
  ...(entry.match === undefined ? {} : { match: entry.match }),
});

const decidedValues = (values: Readonly<Record<string, TableValue | null>>): Record<string, TableValue> =>
  Object.fromEntries(Object.entries(values).filter((entry): entry is [string, TableValue] => entry[1] !== null));
