// 6. History: every run kept on this computer, newest first, with how it went. Reopen the
// results, resume an interrupted run, re-check jobs left pending, undo a run that wrote something
// (a run of its own, linked both ways in the list).
import { useState, type ReactNode } from 'react';
import type { RunListItem, UndoPlanView } from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { Badge, Spinner } from '../components/Bits.tsx';
import { useNotices } from '../components/Notices.tsx';
import { RunHistoryStatus, RunLinks, useRunHistory } from '../components/RunHistory.tsx';
import { UndoDialog } from '../components/UndoDialog.tsx';
import { count, environmentLabel, runStateHelp, runStateLabel, runStateTone, when } from '../format.ts';
import { outcomeLine } from './run-summary.ts';

export interface HistoryScreenProps {
  readonly onShowRun: (run: RunListItem) => void;
  /** Resume, re-check or undo started: show the run live (`runId`: the undo's own). */
  readonly onContinued: (run: RunListItem, runId: string, undo?: boolean) => void;
}

export function HistoryScreen({ onShowRun, onContinued }: HistoryScreenProps): ReactNode {
  const notices = useNotices();
  const history = useRunHistory();
  const { runs } = history;
  const [busy, setBusy] = useState<string | null>(null);
  const [undo, setUndo] = useState<{ readonly run: RunListItem; readonly plan: UndoPlanView } | null>(null);

  /** Reads what the undo would do (the leads now; nothing written), then asks. */
  const planUndo = async (run: RunListItem): Promise<void> => {
    setBusy(`undoPlan:${run.runId}`);
    const result = await bridge().undoPlan({ runId: run.runId });
    setBusy(null);
    if (!result.ok) notices.error(`Could not plan the undo of ${run.fileName}: ${result.error.message}`);
    else if (result.value.nothingToDo !== null) notices.info(result.value.nothingToDo);
    else setUndo({ run, plan: result.value });
  };

  const startUndo = async (force: boolean): Promise<void> => {
    if (undo === null) return;
    const { run } = undo;
    setBusy(`undoRun:${run.runId}`);
    const result = await bridge().undoRun({ runId: run.runId, force });
    setBusy(null);
    setUndo(null);
    if (result.ok) onContinued(run, result.value.runId, true);
    else if (result.error.code === 'cancelled') notices.info(result.error.message);
    else notices.error(`Could not undo ${run.fileName}: ${result.error.message}`);
  };

  const continueRun = async (run: RunListItem, request: 'resumeInterrupted' | 'recheckRun', doing: string): Promise<void> => {
    setBusy(`${request}:${run.runId}`);
    const result = await bridge()[request]({ runId: run.runId });
    setBusy(null);
    if (result.ok) onContinued(run, result.value.runId);
    else if (result.error.code === 'cancelled') notices.info(result.error.message);
    else notices.error(`Could not ${doing} ${run.fileName}: ${result.error.message}`);
  };

  return (
    <div className="screen screen--history">
      <header className="screen-head">
        <div>
          <h1 className="screen-title">History</h1>
          <p className="screen-subtitle">Every run sent from this computer. Results and error reports can be exported again at any time.</p>
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={history.reload}>
            Refresh
          </button>
        </div>
      </header>
      <RunHistoryStatus history={history} empty="When you send a file, its run appears here with its results." />
      {runs !== null && runs.length > 0 ? (
        <div className="table-wrap">
          <table className="history-table" aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">File</th>
                <th scope="col">Environment</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const pending = (run.outcomes.pending ?? 0) + (run.outcomes.accepted ?? 0);
                const wrote = (run.outcomes.succeeded ?? 0) + (run.outcomes.partial ?? 0) + (run.outcomes.unknown ?? 0) > 0;
                const ended = run.state !== 'running' && run.state !== 'interrupted';
                return (
                  <tr key={run.runId} id={`run-${run.runId}`} tabIndex={-1} data-testid={`history-${run.runId}`}>
                    <td className="nowrap">{when(run.createdAt)}</td>
                    <td>
                      <span className="file-name" title={run.filePath}>
                        {run.fileName}
                      </span>
                      <RunLinks run={run} runs={runs} />
                    </td>
                    <td>{environmentLabel(run.environment)}</td>
                    <td>
                      <Badge tone={runStateTone[run.state]} title={runStateHelp[run.state]}>
                        {runStateLabel[run.state]}
                      </Badge>
                    </td>
                    <td className="num">{count(run.rows)}</td>
                    <td className="outcome-cell">{outcomeLine(run)}</td>
                    <td className="actions">
                      {run.state === 'interrupted' ? (
                        <button
                          type="button"
                          className="button button--small button--primary"
                          disabled={busy !== null}
                          onClick={() => void continueRun(run, 'resumeInterrupted', 'resume')}
                          data-testid={`resume-${run.runId}`}
                        >
                          {busy === `resumeInterrupted:${run.runId}` ? <Spinner /> : null} Resume
                        </button>
                      ) : null}
                      {pending > 0 && run.state !== 'running' && run.state !== 'interrupted' ? (
                        <button
                          type="button"
                          className="button button--small"
                          disabled={busy !== null}
                          onClick={() => void continueRun(run, 'recheckRun', 're-check')}
                        >
                          {busy === `recheckRun:${run.runId}` ? <Spinner /> : null} Re-check pending
                        </button>
                      ) : null}
                      {ended && wrote ? (
                        <button
                          type="button"
                          className="button button--small"
                          disabled={busy !== null}
                          onClick={() => void planUndo(run)}
                          aria-label={`Undo this run: ${run.fileName}, ${when(run.createdAt)}`}
                          data-testid={`undo-${run.runId}`}
                        >
                          {busy === `undoPlan:${run.runId}` ? <Spinner /> : null} Undo this run
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => onShowRun(run)}
                        aria-label={`Results of ${run.fileName}, ${when(run.createdAt)}`}
                      >
                        {run.state === 'running' ? 'Watch' : 'Results'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <UndoDialog
        plan={undo?.plan ?? null}
        busy={busy !== null}
        onConfirm={(force) => void startUndo(force)}
        onCancel={() => setUndo(null)}
      />
    </div>
  );
}
