// The run history as Start and History show it: read through `listRuns`, newest first, with
// one loading line, one empty state and one error (with "Try again") for both screens.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { RunListItem } from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { EmptyState, ErrorText, Spinner } from './Bits.tsx';
import { when } from '../format.ts';

export interface RunHistory {
  /** Newest first; null until the first answer. */
  readonly runs: readonly RunListItem[] | null;
  readonly error: string | null;
  /** Reads the list again (Refresh, Try again). */
  readonly reload: () => void;
}

export function useRunHistory(): RunHistory {
  const [runs, setRuns] = useState<readonly RunListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    setError(null);
    void bridge()
      .listRuns()
      .then((result) => {
        if (result.ok) setRuns([...result.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
        else setError(`Could not read the run history: ${result.error.message}`);
      });
  }, []);
  useEffect(reload, [reload]);
  return { runs, error, reload };
}

/** What stands in for the list while it is read, when reading it failed, or when there is no run yet. */
export function RunHistoryStatus({ history, empty }: { readonly history: RunHistory; readonly empty: ReactNode }): ReactNode {
  const { runs, error, reload } = history;
  return (
    <>
      <ErrorText message={error} onRetry={reload} />
      {runs === null && error === null ? (
        <p className="loading-line">
          <Spinner /> Reading the run history…
        </p>
      ) : null}
      {runs !== null && runs.length === 0 ? <EmptyState title="No runs yet">{empty}</EmptyState> : null}
    </>
  );
}

/** Jumps to another run's row in the list (its row has `id="run-<runId>"` and takes the focus). */
function showRow(runId: string): void {
  const row = document.getElementById(`run-${runId}`);
  if (row === null) return;
  row.scrollIntoView({ block: 'nearest' });
  row.focus();
}

/** "Undo of …" and "Undone by …": the runs an undo links, each a jump to the other run's row. */
export function RunLinks({ run, runs }: { readonly run: RunListItem; readonly runs: readonly RunListItem[] }): ReactNode {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const label = (runId: string): string => {
    const other = byId.get(runId);
    return other === undefined ? `run ${runId}` : `the run of ${when(other.createdAt)}`;
  };
  const link = (runId: string): ReactNode => (
    <button
      key={runId}
      type="button"
      className="button button--link"
      onClick={() => showRow(runId)}
      data-testid={`link-${run.runId}-${runId}`}
    >
      {label(runId)}
    </button>
  );
  if (run.undoOf === null && run.undoneBy.length === 0) return null;
  return (
    <span className="run-links">
      {run.undoOf !== null ? <span className="run-link">Undo of {link(run.undoOf)}</span> : null}
      {run.undoneBy.length > 0 ? (
        <span className="run-link">
          Undone by{' '}
          {run.undoneBy.map((id, i) => (
            <span key={id}>
              {i > 0 ? ', ' : null}
              {link(id)}
            </span>
          ))}
        </span>
      ) : null}
    </span>
  );
}
