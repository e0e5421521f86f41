// Choosing columns: the rules a choice of field and options for a column must meet, whether a
// person makes it on the Map screen (`editMapping`, for import:setMapping) or a mapping file
// gives it (mapping-file.ts). One policy for a field two columns would fill, counting what
// options add: refused, naming both columns (`doubleFills`), since whichever column we kept
// would surprise someone.
import * as E from 'fp-ts/Either';
import { isPhoneField } from '../lead/cell-warnings.ts';
import { fieldSpecByName, isLeadFieldName, type LeadFieldName } from '../lead/fields.ts';
import { extraFieldsOf, ownFieldOf } from '../lead/row-plan.ts';
import { takesValueTable, valueTargetProblem } from '../lead/value-table.ts';
import { bestFieldMatch, isMappableField } from './auto-map.ts';
import { fitOptions, inferColumnOptions } from './column-options.ts';
import { isReportColumn } from './report-columns.ts';
import type { ColumnMapping, ColumnOptions, Mapping } from './types.ts';

/** Options as a person gives them: the second phone's field is any text until it is checked. */
export type ChosenOptions = Omit<ColumnOptions, 'secondPhoneTo'> & { readonly secondPhoneTo?: string };

/** One column's choice: a field (or null: not sent) and its options. */
export interface ColumnChoice {
  readonly index: number;
  readonly field: string | null;
  readonly options: ChosenOptions;
}

/**
 * The options a column of `field` is read with: the chosen ones that fit the field, and what
 * the header says for the rest ("Rent (cents)"); `misfits` says what was dropped and why.
 */
export function columnOptions(column: string, field: LeadFieldName, chosen: ColumnOptions): { options: ColumnOptions; misfits: string[] } {
  const fitted = fitOptions(field, chosen);
  // What was chosen wins; what the header says fills in the rest.
  return { options: { ...inferColumnOptions(column, field), ...fitted.options }, misfits: fitted.misfits };
}

/** A field that a later column would fill when an earlier one already does. */
export interface DoubleFill {
  readonly field: LeadFieldName;
  /** The column (name, or a mapping file's entry) that fills it first. */
  readonly earlier: string;
  readonly later: string;
  /** Position of the later column in the list given to `doubleFills`. */
  readonly laterAt: number;
  /** Which of the later column's choices fills it: its field, or an option (a split, a second phone, status_raw). */
  readonly by: 'field' | 'split' | 'secondPhoneTo' | 'rawTo';
  /** How the message says it: both columns' own field, or filled through an option. */
  readonly how: 'mapped to' | 'filled from';
}

/** What a column fills, for `doubleFills`. */
export interface FillingColumn {
  readonly name: string;
  readonly field: LeadFieldName | null;
  readonly options: ColumnOptions;
}

/** Every field a column fills after an earlier one of `columns` already does (the order of `columns` decides which is earlier). */
export function doubleFills(columns: readonly FillingColumn[]): DoubleFill[] {
  const filledBy = new Map<LeadFieldName, { readonly name: string; readonly own: boolean }>();
  const found: DoubleFill[] = [];
  columns.forEach((c, at) => {
    if (c.field === null) return;
    const own = ownFieldOf(c.field, c.options);
    for (const field of [own, ...extraFieldsOf(c.field, c.options)]) {
      const earlier = filledBy.get(field);
      if (earlier === undefined) {
        filledBy.set(field, { name: c.name, own: field === own });
        continue;
      }
      const by =
        field === own ? 'field' : field === c.options.secondPhoneTo ? 'secondPhoneTo' : field === c.options.rawTo ? 'rawTo' : 'split';
      found.push({
        field,
        earlier: earlier.name,
        later: c.name,
        laterAt: at,
        by,
        how: earlier.own && field === own ? 'mapped to' : 'filled from',
      });
    }
  });
  return found;
}

/** The refusal of a field two columns fill, the same words on the Map screen and for a mapping file. */
export const doubleFillMessage = (d: DoubleFill): string =>
  `${d.field} is ${d.how} both "${d.earlier}" and "${d.later}": a field can come from one column only`;

/** What a person's choices make of a mapping. */
export interface EditedMapping {
  readonly mapping: Mapping;
  /** Columns whose mapping the person chose (shown as such), after these choices. */
  readonly manual: Set<number>;
  /** Options dropped because they do not fit their field, one sentence each. */
  readonly misfits: string[];
  /** Whether any column's field or options changed. */
  readonly changed: boolean;
}

/**
 * `choices` applied to `mapping` (of `header`, from the file `fileName`), or why not, naming the
 * column: an unknown field (with a guess), a field that no column can fill, a value-table
 * target or second phone the field does not take, a column given twice or past the header,
 * a field two columns would fill. A column whose field and options are unchanged stays as it
 * was (options compared by content).
 */
export function editMapping(
  header: readonly string[],
  fileName: string,
  mapping: Mapping,
  manual: ReadonlySet<number>,
  choices: readonly ColumnChoice[],
): E.Either<string, EditedMapping> {
  const columns: ColumnMapping[] = [...mapping.columns];
  const chosen = new Set(manual);
  const misfits: string[] = [];
  const given = new Set<number>();
  for (const choice of choices) {
    if (choice.index >= header.length) return E.left(`${fileName} has ${header.length} columns: there is no column ${choice.index + 1}.`);
    const column = header[choice.index];
    if (given.has(choice.index)) return E.left(`Column "${column}" is given twice in the mapping.`);
    given.add(choice.index);
    const current = columns[choice.index];
    if (choice.field === null) {
      if (current.field !== null) {
        chosen.delete(choice.index);
        columns[choice.index] = {
          index: choice.index,
          column,
          field: null,
          method: isReportColumn(column) ? 'report_column' : 'unmapped',
          options: {},
        };
      }
      continue;
    }
    const field = choice.field;
    if (!isLeadFieldName(field)) {
      const guess = bestFieldMatch(field);
      return E.left(
        `Column "${column}": "${field}" is not a Propexo lead field${guess === undefined ? '' : `; did you mean ${guess.field}?`}`,
      );
    }
    if (!isMappableField(field)) return E.left(`Column "${column}": ${field} cannot be filled from a spreadsheet column.`);
    const checked = checkedOptions(column, field, choice.options);
    if (E.isLeft(checked)) return checked;
    const read = columnOptions(column, field, checked.right);
    misfits.push(...read.misfits.map((misfit) => `column "${column}": ${misfit}`));
    if (current.field !== field || !sameOptions(current.options, read.options)) {
      chosen.add(choice.index);
      columns[choice.index] = { index: choice.index, column, field, method: current.method, options: read.options };
    }
  }
  const twice = doubleFills(columns.map((c) => ({ name: c.column, field: c.field, options: c.options })));
  if (twice.length > 0) return E.left(`${doubleFillMessage(twice[0])}. Choose one.`);
  const changed = columns.some((c, i) => c !== mapping.columns[i]);
  return E.right({ mapping: { columns }, manual: chosen, misfits, changed });
}

/**
 * A person's options for a column of `field`, checked where the codec cannot know the field:
 * value-table targets, the second phone's field. Empty value tables are dropped. Options that
 * do not fit the field at all are left for `fitOptions` to note.
 */
function checkedOptions(column: string, field: LeadFieldName, options: ChosenOptions): E.Either<string, ColumnOptions> {
  const { values, secondPhoneTo, ...rest } = options;
  const checked: { -readonly [K in keyof ColumnOptions]: ColumnOptions[K] } = { ...rest };
  const kind = fieldSpecByName.get(field)?.type;
  if (values !== undefined && Object.keys(values).length > 0) {
    if (kind !== undefined && takesValueTable(kind)) {
      for (const [word, target] of Object.entries(values)) {
        const problem = valueTargetProblem(kind, target);
        if (problem !== null)
          return E.left(`Column "${column}": the value "${word}" cannot become ${field} ${JSON.stringify(target)}: ${problem}.`);
      }
    }
    checked.values = values;
  }
  if (secondPhoneTo !== undefined) {
    if (isPhoneField(field) && (!isLeadFieldName(secondPhoneTo) || !isPhoneField(secondPhoneTo) || secondPhoneTo === field)) {
      return E.left(
        `Column "${column}": a second number cannot go to "${secondPhoneTo}": choose another phone field, such as ${field === 'phone_2' ? 'phone_1' : 'phone_2'}.`,
      );
    }
    if (!isLeadFieldName(secondPhoneTo)) return E.left(`Column "${column}": "${secondPhoneTo}" is not a Propexo lead field.`);
    checked.secondPhoneTo = secondPhoneTo;
  }
  return E.right(checked);
}

/** Every option compared, value tables and placeholder lists by content: a change to any of them is a new mapping. */
export function sameOptions(a: ColumnOptions, b: ColumnOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof ColumnOptions)[]);
  for (const key of keys) if (!sameValue(a[key], b[key])) return false;
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const aKeys = Object.keys(a);
    return (
      aKeys.length === Object.keys(b).length && aKeys.every((key) => Object.hasOwn(b, key) && Reflect.get(a, key) === Reflect.get(b, key))
    );
  }
  return false;
}
