// A run stores identifiers as they are (paths in run.json, lead ids in the journal, cell edits)
// and scrubs the API key from everything it stores. An identifier that holds the key would be
// scrubbed too, and the run could no longer find its file, its folder or its lead: such a run
// is refused before anything is written or sent. Messages say where the key was found without
// showing the text (it holds the key).
import { makeSecretFinder } from '../shared/redact.ts';
import type { SourceRow } from '../source/types.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import type { CellEdit } from './run-header.ts';

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
 * A look at each row's lead-id cell (rows as the run reads them, edits applied): the message for
 * the first that holds the key. Undefined when there is no key or no lead-id column.
 */
export function leadIdKeyFinder(token: string | undefined, file: string, prepared: PreparedImport): ((row: SourceRow) => string | undefined) | undefined {
  if (token === undefined) return undefined;
  const column = prepared.mapping.columns.find((c) => c.field === 'lead_id');
  if (column === undefined) return undefined;
  const holdsKey = makeSecretFinder([token]);
  return (row) => {
    const cell = row.cells[column.index];
    if (typeof cell !== 'string' || !holdsKey(cell)) return undefined;
    const name = prepared.source.header[column.index] ?? `column ${column.index + 1}`;
    return `${file}, row ${row.rowNumber}, column "${name}": the lead id holds the API key (not shown). ${advice}: fix the lead id, or use another key.`;
  };
}
