// An ended run's reports, exported from the app ("Export results…", "Export error report…").
// An undo run's are its own (app/undo/undo-reports.ts: one line per write-back, one per field
// left alone, forced, not clearable or not restorable), from its undo.json: the same files the
// CLI writes, and they need no source file. Any other run's are built from its file as the run
// read it, joined with its records.
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { matchKeysOf } from '../run/journal-entry.ts';
import type { RunInput } from '../run/run-input.ts';
import { writeRunReports, type RunReportPaths } from '../run/run-reports.ts';
import { createRunStore } from '../run/run-store.ts';
import { readUndoFile } from '../undo/undo-rows.ts';
import { writeUndoReports } from '../undo/undo-reports.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { RunEntry } from './run-registry.ts';

/** Writes the results file or the error report of the ended run `entry` to `paths`; throws a BridgeError naming what is missing. */
export async function exportRunReport(dataDir: string, entry: RunEntry, paths: RunReportPaths): Promise<void> {
  const what = paths.resultsPath !== undefined ? 'results' : 'error report';
  const store = createRunStore(dataDir);
  const header = await store.header(entry.runId);
  if (E.isRight(header) && header.right.undoOf !== undefined) {
    const undo = await readUndoFile(join(store.runsDir, entry.runId));
    if (E.isLeft(undo)) throw failed(`Cannot write the ${what} of undo run ${entry.runId}: ${undo.left}`);
    try {
      await writeUndoReports(undo.right, entry.records, paths);
    } catch (error) {
      throw failed(messageOf(error));
    }
    return;
  }
  let input: RunInput;
  if (entry.kind === 'live') input = entry.live.input;
  else if (entry.file.readable) input = entry.file.input;
  else throw failed(`Cannot write the ${what} of run ${entry.runId}: ${entry.file.problem}`);
  try {
    // The key each looked-up row was matched by: the journal keeps it (the records do not).
    const stored = paths.resultsPath !== undefined ? await store.read(entry.runId) : undefined;
    await writeRunReports(
      input.prepared,
      entry.records,
      paths,
      input.edits,
      stored !== undefined && E.isRight(stored) ? matchKeysOf(stored.right.entries) : undefined,
    );
  } catch (error) {
    throw failed(messageOf(error));
  }
}
