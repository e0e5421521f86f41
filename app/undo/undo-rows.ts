// undo.json: what an undo run sends and why, written into its run folder before its journal's
// first entry. Its rows are not read from a file, so resuming it (and undoing it: re-applying)
// reads them from here: one write-back per lead, keyed by the lead's last row in the file of
// the run undone, and every field's verdict for the summary and the error report.
import { join } from 'node:path';
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { LeadUpdate } from '../lead/lead-update.ts';
import { decodeErrorLines } from '../shared/decode-errors.ts';
import { FieldValue } from '../run/journal-entry.ts';
import { NonNegativeInteger, RowNumber } from '../run/codec-util.ts';
import { RunId } from '../run/run-header.ts';
import { writeFileAtomic } from '../run/atomic-write.ts';
import { nodeRunFs, type RunFs } from '../run/run-fs.ts';

export const UNDO_FILE = 'undo.json';

const Verdict = t.keyof(
  { restore: null, forced: null, changed_since: null, not_applied: null, cannot_clear: null, cannot_restore: null },
  'undo verdict',
);

export const StoredFieldUndo = t.exact(
  t.intersection([
    t.type({ row: RowNumber, leadId: t.string, field: t.string, verdict: Verdict }),
    t.partial({ before: FieldValue, written: FieldValue, current: FieldValue, reason: t.string }),
  ]),
  'field undo',
);
export type StoredFieldUndo = t.TypeOf<typeof StoredFieldUndo>;

export const UndoWrite = t.exact(
  t.type({
    /** The lead's last row in the run undone: the undo run's row number for this lead. */
    row: RowNumber,
    leadId: t.string,
    /** Every row of the lead it undoes, in the order undone. */
    rows: t.array(RowNumber),
    payload: LeadUpdate,
  }),
  'undo write',
);
export type UndoWrite = t.TypeOf<typeof UndoWrite>;

export const UndoFile = t.exact(
  t.type({
    undoOf: RunId,
    force: t.boolean,
    writes: t.array(UndoWrite),
    fields: t.array(StoredFieldUndo),
    skipped: t.array(t.exact(t.type({ row: RowNumber, leadId: t.string, reason: t.string }))),
    counts: t.record(t.string, NonNegativeInteger),
  }),
  'undo file',
);
export type UndoFile = t.TypeOf<typeof UndoFile>;

export async function writeUndoFile(runDir: string, file: UndoFile, fs: RunFs = nodeRunFs): Promise<void> {
  await writeFileAtomic(fs, join(runDir, UNDO_FILE), JSON.stringify(UndoFile.encode(file)));
}

export async function readUndoFile(runDir: string, fs: RunFs = nodeRunFs): Promise<E.Either<string, UndoFile>> {
  const path = join(runDir, UNDO_FILE);
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(path));
  } catch (error) {
    return E.left(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return E.left(`${path} is not valid JSON`);
  }
  return pipe(
    UndoFile.decode(json),
    E.mapLeft((errors) => `${path}: ${decodeErrorLines(errors, { actual: 'json' }).join('; ')}`),
  );
}
