// Past runs, opened from history: the journal is the truth. Their rows are rebuilt from the
// journal and from their file as the run read it (unchanged); without the file, from the
// journal alone (the rows it sent).
import * as E from 'fp-ts/Either';
import { checkUnchanged } from '../run/file-hash.ts';
import { foldRowStates, lastRunEvent } from '../run/journal-entry.ts';
import { prepareFromHeader } from '../run/run-input.ts';
import { indexRunInput, type RunRowIndex } from '../run/run-row-index.ts';
import { createRunStore } from '../run/run-store.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { PastEntry } from './run-registry.ts';
import { indexFromJournal, recordsFromJournal } from './run-rows.ts';
import { summarizeRows } from './run-views.ts';
import { withUndoFound } from './undo-views.ts';
import { readUndoFile, undoRowIndex } from '../undo/undo-rows.ts';
import type { RunProgressView } from '../shared/views.ts';

export async function openPast(dataDir: string, runId: string): Promise<PastEntry> {
  const read = await createRunStore(dataDir).read(runId);
  if (E.isLeft(read)) throw failed(read.left.message);
  const { header, entries, state, dir } = read.right;
  const states = foldRowStates(entries);
  // An undo's rows are its write-backs (undo.json), not the rows of the file of the run it undid.
  const undo = header.undoOf !== undefined ? await readUndoFile(dir) : undefined;
  let file: PastEntry['file'];
  let index: RunRowIndex | undefined;
  if (undo !== undefined) {
    // Its reports come from undo.json too (run-exports.ts): the file is not read.
    file = { readable: false, problem: `run ${runId} is an undo: its rows are its write-backs, not its file's` };
    if (E.isRight(undo)) index = undoRowIndex(undo.right);
  } else {
    const unchanged = await checkUnchanged(header.file, runId);
    if (E.isRight(unchanged)) {
      try {
        const input = await prepareFromHeader(header);
        if (E.isLeft(input)) throw new Error(input.left.message);
        index = await indexRunInput(input.right);
        file = { readable: true, input: input.right };
      } catch (error) {
        file = { readable: false, problem: messageOf(error) };
      }
    } else {
      file = {
        readable: false,
        problem:
          unchanged.left.kind === 'changed'
            ? `${header.file.path} changed since the run: its reports need the file as the run read it.`
            : unchanged.left.kind === 'missing'
              ? `${header.file.path}, the run's file, is missing: its reports need it.`
              : unchanged.left.message,
      };
    }
  }
  index ??= indexFromJournal(states, entries, header.counts);
  const records = recordsFromJournal(index, states, entries);
  // A run is 'stopped' when its last run event is `stopped`, which carries the reason.
  const last = lastRunEvent(entries);
  const stoppedReason =
    last?.t === 'stopped'
      ? last.reason
      : state === 'interrupted'
        ? 'The app stopped before this run finished: resume it to send the rest.'
        : null;
  const pastState: RunProgressView['state'] = state === 'interrupted' ? 'stopped' : state;
  return {
    kind: 'past',
    runId,
    index,
    file,
    records,
    state: pastState,
    // An undo's: with what its write-backs found, from its undo.json.
    summary:
      pastState === 'running' ? null : await withUndoFound(dataDir, summarizeRows(runId, index, records, stoppedReason), header, undo),
    stoppedReason,
    filterCache: new Map(),
  };
}
