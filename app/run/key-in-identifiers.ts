// A run stores identifiers as they are (paths in run.json, lead ids in the journal, cell edits)
// and scrubs the API key from everything it stores. An identifier that holds the key would be
// scrubbed too, and the run could no longer find its file, its folder or its lead: such a run
// is refused before anything is written or sent. Messages say where the key was found without
// showing the text (it holds the key).
import { makeSecretFinder } from '../shared/redact.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import type { CellEdit } from './run-header.ts';
import { PackedLeadIds, type RunRowIndex } from './run-row-index.ts';

export type NamedPath = readonly [what: string, path: string | undefined];

const advice = 'A run stores identifiers as they are, and stores nothing that holds the key';

export function keyInPaths(token: string | undefined, paths: readonly NamedPath[]): string | undefined {
  if (token === undefined) return undefined;
  const holdsKey = makeSecretFinder([token]);
  for (const [what, path] of paths) {
    if (path !== undefined && holdsKey(path)) {
      return `The API key appears in the ${what}'s path (not shown here, since it holds the key). ${advice}: choose a ${what} whose path does not contain it.`;
    }
  }
  return undefined;
}

/** Cell edits are kept in run.json, to be applied again on resume. */
export function keyInEdits(token: string | undefined, file: string, edits: readonly CellEdit[]): string | undefined {
  if (token === undefined) return undefined;
  const holdsKey = makeSecretFinder([token]);
  const edit = edits.find((e) => holdsKey(e.value));
  if (edit === undefined) return undefined;
  return `${file}, row ${edit.row}, column "${edit.column}": the edited value holds the API key (not shown). ${advice}: change the value.`;
}

/**
 * The message for the first row whose lead-id cell holds the key (rows as the run reads them,
 * edits applied: the lead ids of the run's row index, and the cells refused as lead ids).
 * Undefined when there is no key or no such row. A lead id is its cell trimmed, and no form of
 * the key starts or ends with a space, so looking at the id is looking at the cell.
 */
export function keyInLeadIds(token: string | undefined, file: string, prepared: PreparedImport, rows: RunRowIndex): string | undefined {
  if (token === undefined) return undefined;
  const column = prepared.mapping.columns.find((c) => c.field === 'lead_id');
  if (column === undefined) return undefined;
  const holdsKey = makeSecretFinder([token]);
  const ids = rows.leadIds;
  let found: number | undefined;
  if (ids instanceof PackedLeadIds) found = ids.firstHolding(holdsKey);
  else {
    for (let i = 0; i < ids.length && found === undefined; i++) {
      const id = ids.at(i);
      if (typeof id === 'string' && holdsKey(id)) found = i;
    }
  }
  for (const [index, cell] of rows.refusedLeadCells ?? []) if ((found === undefined || index < found) && holdsKey(cell)) found = index;
  if (found === undefined) return undefined;
  const name = prepared.source.header[column.index] ?? `column ${column.index + 1}`;
  return `${file}, row ${rows.rowNumbers[found]}, column "${name}": the lead id holds the API key (not shown). ${advice}: fix the lead id, or use another key.`;
}
