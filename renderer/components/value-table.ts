// A column's value table as the Map screen edits it: entries matched as the core matches them
// (case and surrounding spaces ignored, app/lead/value-table.ts), targets encoded for a
// <select> (true, false, or "=VALUE" so an enum value can never be read as a yes/no).
import type { ColumnOptionsView, TableValueView } from '../../app/shared/views.ts';

export type EditableOptions = { -readonly [K in keyof ColumnOptionsView]: ColumnOptionsView[K] };

/** The options without `key`. */
export const without = <K extends keyof ColumnOptionsView>(options: ColumnOptionsView, key: K): EditableOptions => {
  const copy: EditableOptions = { ...options };
  delete copy[key];
  return copy;
};

export const fold = (text: string): string => text.trim().toLowerCase();

export const targetText = (value: TableValueView): string => (value === true ? 'Yes (true)' : value === false ? 'No (false)' : value);

export const encodeTarget = (value: TableValueView): string => (typeof value === 'boolean' ? String(value) : `=${value}`);

/** A <select>'s value back to a target; '' (no translation) is undefined. */
export const decodeTarget = (text: string): TableValueView | undefined =>
  text === 'true' ? true : text === 'false' ? false : text.startsWith('=') ? text.slice(1) : undefined;

/** The table's entry for a value of the file. */
export function entryFor(table: Readonly<Record<string, TableValueView>> | undefined, text: string): [string, TableValueView] | undefined {
  if (table === undefined) return undefined;
  const key = fold(text);
  return Object.entries(table).find(([word]) => fold(word) === key);
}

/** The options with `text` translated to `target` (undefined: no translation); an empty table is none. */
export function withTarget(options: ColumnOptionsView, text: string, target: TableValueView | undefined): EditableOptions {
  const table: Record<string, TableValueView> = {};
  for (const [word, value] of Object.entries(options.values ?? {})) if (fold(word) !== fold(text)) table[word] = value;
  if (target !== undefined) table[text] = target;
  return Object.keys(table).length === 0 ? without(options, 'values') : { ...options, values: table };
}
