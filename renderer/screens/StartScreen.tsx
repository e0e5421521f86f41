// 1. Start: open a spreadsheet (drop it anywhere on the window, or the Open button), see the
// recent runs, and resume an interrupted one from the banner.
import { useEffect, useState, type ReactNode } from 'react';
import type { RunListItem } from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { Badge, ErrorText, Spinner } from '../components/Bits.tsx';
import { CellsGuide } from '../components/CellsGuide.tsx';
import { RunHistoryStatus, useRunHistory } from '../components/RunHistory.tsx';
import { count, environmentLabel, plural, runStateHelp, runStateLabel, runStateTone, when } from '../format.ts';
import { interruptedLine, outcomeLine } from './run-summary.ts';

export interface StartScreenProps {
  readonly opening: string | null;
  readonly onOpenDialog: () => void;
  /** Resolves once the run is shown, or its failure told. */
  readonly onResume: (run: RunListItem) => Promise<void>;
  readonly onShowRun: (run: RunListItem) => void;
  readonly onHistory: () => void;
}

const RECENT = 5;

const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;
const folderOf = (path: string): string => path.slice(0, Math.max(0, path.length - fileNameOf(path).length - 1));

export function StartScreen({ opening, onOpenDialog, onResume, onShowRun, onHistory }: StartScreenProps): ReactNode {
  const history = useRunHistory();
  const { runs } = history;
  const [openError, setOpenError] = useState<string | null>(null);
  const [resuming, setResuming] = useState<string | null>(null);
  const [recentFiles, setRecentFiles] = useState<readonly string[] | null>(null);

  useEffect(() => {
    void bridge()
      .recentFiles()
      .then((result) => setRecentFiles(result.ok ? result.value : []));
  }, []);

  const openRecent = async (path: string): Promise<void> => {
    setOpenError(null);
    const result = await bridge().openRecentFile({ path });
    if (!result.ok) setOpenError(`Could not open ${fileNameOf(path)}: ${result.error.message}`);
  };
  /** Nothing sent and nothing opened yet: say what the app is for. */
  const firstRun = runs !== null && runs.length === 0 && recentFiles !== null && recentFiles.length === 0;

  const interrupted = runs?.find((r) => r.state === 'interrupted');

  return (
    <div className="screen screen--start">
      {interrupted !== undefined ? (
        <section className="banner banner--warn" aria-labelledby="interrupted-title" data-testid="resume-banner">
          <div className="banner-text">
            <h2 id="interrupted-title" className="banner-title">
              A run was interrupted
            </h2>
            <p>
              <strong>{interrupted.fileName}</strong> to {environmentLabel(interrupted.environment)}, started {when(interrupted.createdAt)}:{' '}
              {interruptedLine(interrupted)}. Resuming sends only what was not sent and follows the updates already accepted.
            </p>
          </div>
          <div className="banner-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={resuming !== null}
              onClick={() => {
                setResuming(interrupted.runId);
                void onResume(interrupted).finally(() => setResuming(null));
              }}
            >
              {resuming === interrupted.runId ? <Spinner /> : null} Resume run
            </button>
            <button type="button" className="button" onClick={onHistory}>
              See history
            </button>
          </div>
        </section>
      ) : null}

      <section className="dropzone" aria-labelledby="open-title">
        <svg className="dropzone-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <path className="dropzone-icon-sheet" d="M13 6h16l10 10v24a2 2 0 0 1-2 2H13a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z" />
          <path className="dropzone-icon-fold" d="M29 6v10h10" />
          <path className="dropzone-icon-lines" d="M17 24h14M17 30h14M17 36h9" />
        </svg>
        <h1 id="open-title" className="dropzone-title">
          Update leads from a spreadsheet
        </h1>
        <p className="dropzone-text">
          Drop a CSV or Excel file anywhere on this window, or choose one. Nothing is sent until you have reviewed every row.
        </p>
        <button
          type="button"
          className="button button--primary button--large"
          onClick={onOpenDialog}
          disabled={opening !== null}
          data-testid="open-file"
        >
          {opening !== null ? (
            <>
              <Spinner /> Opening {opening}…
            </>
          ) : (
            'Open a file…'
          )}
        </button>
        <p className="hint">CSV, TSV or Excel (.xlsx), with a header row. Ctrl+O / ⌘O opens a file from anywhere.</p>
      </section>

      {firstRun ? (
        <section className="panel welcome" aria-labelledby="welcome-title" data-testid="welcome">
          <h2 id="welcome-title" className="panel-title">
            New here?
          </h2>
          <p>Lead Importer updates the leads in your property-management system from a spreadsheet, through Propexo.</p>
          <p>It reads every row first and shows each problem cell by cell; nothing is sent until you have reviewed it and said so.</p>
          <p>
            Try it safely with <strong>Practice</strong>, chosen for you on the Send step: a rehearsal on this computer that needs no API
            key and changes nothing.
          </p>
          <CellsGuide />
        </section>
      ) : null}

      {recentFiles !== null && recentFiles.length > 0 ? (
        <section className="panel" aria-labelledby="recent-files-title">
          <h2 id="recent-files-title" className="panel-title">
            Recent files
          </h2>
          <ErrorText message={openError} />
          <ul className="recent-files" aria-label="Recent files">
            {recentFiles.map((path) => (
              <li key={path}>
                <button type="button" className="button button--link recent-file" title={path} onClick={() => void openRecent(path)}>
                  {fileNameOf(path)}
                </button>
                <span className="recent-file-folder">{folderOf(path)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="recent-title">
        <div className="panel-head">
          <h2 id="recent-title" className="panel-title">
            Recent runs
          </h2>
          {runs !== null && runs.length > RECENT ? (
            <button type="button" className="button button--link" onClick={onHistory}>
              All {count(runs.length)} runs
            </button>
          ) : null}
        </div>
        <RunHistoryStatus
          history={history}
          empty="Every file you send appears here, with its results, so you can export them or retry what failed."
        />
        {runs !== null && runs.length > 0 ? (
          <ul className="run-list" aria-label="Recent runs">
            {runs.slice(0, RECENT).map((run) => (
              <li key={run.runId} className="run-list-item">
                <div className="run-list-main">
                  <span className="run-list-file">{run.fileName}</span>
                  <span className="run-list-meta">
                    {environmentLabel(run.environment)} · {when(run.createdAt)} · {plural(run.rows, 'row')}
                  </span>
                  <span className="run-list-outcome">{outcomeLine(run)}</span>
                </div>
                <Badge tone={runStateTone[run.state]} title={runStateHelp[run.state]}>
                  {runStateLabel[run.state]}
                </Badge>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onShowRun(run)}
                  aria-label={`Show the results of ${run.fileName}, ${when(run.createdAt)}`}
                >
                  Results
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
