// What a run reads: a prepared import (file opened, columns mapped, decoder compiled), the
// cell fixes made in the app by row and column index, and which file it is. The CLI and the
// desktop app prepare it once and hand it over; resume, retry and re-check rebuild it from the
// run's header. The mapping-file form and the edits by column name exist only in run.json.
import * as E from 'fp-ts/Either';
import { decodeMappingFile } from '../mapping/mapping-file.ts';
import { columnLabel, columnOfLabel } from '../source/header.ts';
import type { CellEdits } from '../validate/decoded-rows.ts';
import { prepareImport, type PreparedImport, type PrepareOptions } from '../validate/prepare-import.ts';
import type { ValidationSummary } from '../validate/validate-file.ts';
import { sourceOptionsOfRun, type CellEdit, type RunHeader } from './run-header.ts';
import type { RunRowIndex } from './run-row-index.ts';

/** Which file a run reads: its path, and what was known of it when the input was prepared (a new run refuses it if that changed). */
export interface SourceFileIdentity {
  readonly path: string;
  readonly size?: number;
  readonly mtimeMs?: number;
  readonly sha256?: string;
}

export interface RunInput {
  readonly prepared: PreparedImport;
  /** Cell fixes: row number → column index → value. The file itself is never changed. */
  readonly edits: CellEdits;
  readonly sourceFile: SourceFileIdentity;
  /** The largest workbook the run may read (kept in run.json, so a resume reads it the same way). */
  readonly maxWorkbookMb?: number;
  /** Its rows as a check already found them (the app's review): a new run then does not read the file to check it. */
  readonly checked?: InputCheck;
}

/**
 * What a check of an input found, in the pass that read it. It names what it checked, the very
 * `prepared` import and `edits` objects: a run takes it only for an input that holds both, so a
 * check of another mapping or of other fixes is never taken for this one.
 */
export interface InputCheck {
  readonly prepared: PreparedImport;
  readonly edits: CellEdits;
  readonly rows: RunRowIndex;
  readonly validation: ValidationSummary;
}

export interface RunInputError {
  readonly code: 'run' | 'file';
  readonly message: string;
}

/** Cell edits as run.json keeps them (column labels) made into edits by column index. */
export function editsByRow(header: readonly string[], edits: readonly CellEdit[]): CellEdits {
  const byRow = new Map<number, Map<number, string>>();
  for (const edit of edits) {
    const column = columnOfLabel(header, edit.column);
    if (column < 0) continue;
    let row = byRow.get(edit.row);
    if (!row) byRow.set(edit.row, (row = new Map()));
    row.set(column, edit.value);
  }
  return byRow;
}

/** Edits by column index as run.json keeps them: by column label, which survives a reread of the header. */
export function editList(header: readonly string[], edits: CellEdits): CellEdit[] {
  const list: CellEdit[] = [];
  for (const [row, columns] of edits) for (const [column, value] of columns) list.push({ row, column: columnLabel(header, column), value });
  return list;
}

/** The input of a run as its header describes it: same file, read the same way, same mapping, same edits. */
export async function prepareFromHeader(
  header: RunHeader,
  open?: PrepareOptions['openSource'],
): Promise<E.Either<RunInputError, RunInput>> {
  const mapping = decodeMappingFile(header.mapping, `run ${header.runId} mapping`);
  if (E.isLeft(mapping)) return E.left({ code: 'run', message: mapping.left.join('\n') });
  const prepared = await prepareImport({
    path: header.file.path,
    source: sourceOptionsOfRun(header.file),
    mappingFile: mapping.right,
    openSource: open,
  });
  if (E.isLeft(prepared)) return E.left({ code: 'file', message: prepared.left.message });
  return E.right({
    prepared: prepared.right,
    edits: editsByRow(prepared.right.source.header, header.edits),
    sourceFile: { path: header.file.path, size: header.file.size, sha256: header.file.sha256 },
    ...(header.file.maxWorkbookMb !== undefined ? { maxWorkbookMb: header.file.maxWorkbookMb } : {}),
  });
}
