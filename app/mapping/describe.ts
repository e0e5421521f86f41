// One line per column for the CLI's `map` output and the UI's mapping screen.
import { fieldSpecByName } from '../lead/fields.ts';
import type { ColumnMapping, ColumnOptions, Mapping, MatchMethod } from './types.ts';

const methodLabel: Record<MatchMethod, string> = {
  exact: 'exact',
  normalized: 'normalized',
  synonym: 'synonym',
  typo: 'typo',
  mapping_file: 'mapping file',
  report_column: 'report column',
  unmapped: 'unmapped',
};

function optionNotes(options: ColumnOptions): string[] {
  const notes: string[] = [];
  if (options.money !== undefined) notes.push(`in ${options.money}`);
  if (options.dateOrder === 'DMY') notes.push('day first: DD/MM/YYYY');
  if (options.dateOrder === 'MDY') notes.push('month first: MM/DD/YYYY');
  if (options.listSeparator !== undefined) notes.push(`split on ${JSON.stringify(options.listSeparator)}`);
  if (options.twoDigitYears !== undefined) notes.push(`2-digit years in the ${options.twoDigitYears}`);
  if (options.split !== undefined) notes.push(`split ${JSON.stringify(options.split)} into first_name and last_name`);
  if (options.secondPhoneTo !== undefined) notes.push(`a second number to ${options.secondPhoneTo}`);
  if (options.rawTo !== undefined) notes.push(`the text as written also to ${options.rawTo}`);
  const translated = options.values === undefined ? 0 : Object.keys(options.values).length;
  if (translated > 0) notes.push(`${translated} value${translated === 1 ? '' : 's'} translated`);
  if (options.placeholders !== undefined) {
    notes.push(
      options.placeholders.length === 0 ? 'no placeholders' : `blank: ${options.placeholders.map((p) => JSON.stringify(p)).join(', ')}`,
    );
  }
  return notes;
}

/**
 * "E-mail Address → email_1 (synonym)", "Max Rent ($) → desired_max_rent_in_cents (synonym;
 * in dollars)", "Internal notes: not mapped, never sent".
 */
export function describeMatch(column: ColumnMapping): string {
  if (column.method === 'report_column') return `${column.column}: Lead Importer report column, never sent`;
  if (column.field === null) {
    return `${column.column}: not mapped, never sent`;
  }
  const spec = fieldSpecByName.get(column.field);
  const deprecation = spec?.deprecated ? [`deprecated${spec.replacedBy === undefined ? '' : `: prefer ${spec.replacedBy}`}`] : [];
  const notes = [methodLabel[column.method], ...optionNotes(column.options), ...deprecation];
  return `${column.column} → ${column.field} (${notes.join('; ')})`;
}

/** The columns whose cells are never sent, our own report columns aside. */
export function unmappedColumns(mapping: Mapping): string[] {
  return mapping.columns.filter((c) => c.field === null && c.method !== 'report_column').map((c) => c.column);
}
