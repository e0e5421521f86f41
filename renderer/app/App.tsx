// The window: the workflow steps across the top, the current screen below, files dropped
// anywhere, menu commands, and the file-opened events from outside (dock, second instance).
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import type { FieldView, ImportOverview, RunListItem } from '../../app/shared/views.ts';
import { bridge, hasBridge } from '../bridge.ts';
import { FieldsContext, fieldMap } from '../components/FieldName.tsx';
import { NoticeProvider, useNotices } from '../components/Notices.tsx';
import { plural, reportExtension, suggestedName } from '../format.ts';
import { HistoryScreen } from '../screens/HistoryScreen.tsx';
import { MapScreen, type SourceChoice } from '../screens/MapScreen.tsx';
import { ReviewScreen } from '../screens/ReviewScreen.tsx';
import { RunScreen } from '../screens/RunScreen.tsx';
import { SendScreen } from '../screens/SendScreen.tsx';
import { StartScreen } from '../screens/StartScreen.tsx';
import { finishedLine, type FinishedRunName } from '../screens/run-summary.ts';
import { useFileDrop } from './file-drop.ts';
import { useKeepFocus } from './keep-focus.ts';
import { canGo, initialSession, session, whyNot, type RunRef, type Screen } from './session.ts';

const STEPS: readonly { readonly screen: Screen; readonly label: string }[] = [
  { screen: 'start', label: 'Open' },
  { screen: 'map', label: 'Map' },
  { screen: 'review', label: 'Review' },
  { screen: 'send', label: 'Send' },
  { screen: 'run', label: 'Results' },
];

export function App(): ReactNode {
  if (!hasBridge()) {
    return (
      <main className="no-bridge">
        <h1>Lead Importer</h1>
        <p>This page cannot reach the importer. Open it from the Lead Importer app.</p>
      </main>
    );
  }
  return (
    <NoticeProvider>
      <Workbench />
    </NoticeProvider>
  );
}

const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;

const runRefOf = (run: RunListItem, runId = run.runId, live = false, undoOf = run.undoOf ?? undefined): RunRef => ({
  runId,
  fileName: run.fileName,
  environment: run.environment,
  live,
  shownAt: Date.now(),
  ...(live ? {} : { state: run.state }),
  ...(undoOf === undefined ? {} : { undoOf }),
});

function Workbench(): ReactNode {
  const [state, dispatch] = useReducer(session, initialSession);
  const notices = useNotices();
  const [opening, setOpening] = useState<string | null>(null);
  const [fields, setFields] = useState<readonly FieldView[] | null>(null);
  const [fieldsError, setFieldsError] = useState<string | null>(null);
  const fieldsByName = useMemo(() => fieldMap(fields), [fields]);
  useKeepFocus();
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    void bridge()
      .listFields()
      .then((result) => {
        if (result.ok) setFields(result.value);
        else setFieldsError(`The list of Propexo fields could not be read: ${result.error.message}`);
      });
  }, []);

  useEffect(() => {
    const name = state.overview?.fileName;
    document.title = name === undefined ? 'Lead Importer' : `${name} – Lead Importer`;
  }, [state.overview?.fileName]);

  const openPath = useCallback(
    async (path: string, options: SourceChoice = {}) => {
      const name = fileNameOf(path);
      setOpening(name);
      const result = await bridge().openImport({ path, options });
      setOpening(null);
      if (!result.ok) {
        notices.error(`Could not open ${name}: ${result.error.message}`);
        return;
      }
      const previous = stateRef.current.overview;
      dispatch({ type: 'opened', overview: result.value });
      // One import open at a time: the previous one's memory goes back to the core.
      if (previous !== null && previous.importId !== result.value.importId) void bridge().closeImport({ importId: previous.importId });
    },
    [notices],
  );

  const openDialog = useCallback(async () => {
    const result = await bridge().openFileDialog();
    if (!result.ok) notices.error(`Could not show the open dialog: ${result.error.message}`);
    else if (result.value !== null) await openPath(result.value);
  }, [notices, openPath]);

  const loadTemplate = useCallback(
    async (path?: string) => {
      const overview = stateRef.current.overview;
      if (overview === null) return;
      let chosen = path;
      if (chosen === undefined) {
        const result = await bridge().openMappingDialog();
        if (!result.ok) return notices.error(`Could not show the open dialog: ${result.error.message}`);
        if (result.value === null) return;
        chosen = result.value;
      }
      const loaded = await bridge().loadMapping({ importId: overview.importId, path: chosen });
      if (!loaded.ok) return notices.error(`Could not load the mapping template ${fileNameOf(chosen)}: ${loaded.error.message}`);
      dispatch({ type: 'mapped', overview: loaded.value });
      notices.success(`Loaded the mapping template ${fileNameOf(chosen)}.`);
    },
    [notices],
  );

  const exportImportErrors = useCallback(async () => {
    const overview = stateRef.current.overview;
    if (overview === null) return notices.info('Open a file first: its error report lists the rows that cannot be sent.');
    const path = await bridge().saveFileDialog({
      defaultName: suggestedName(overview.fileName, 'errors', reportExtension(overview.fileName)),
      kind: 'report',
    });
    if (!path.ok) return notices.error(`Could not show the save dialog: ${path.error.message}`);
    if (path.value === null) return;
    const saved = await bridge().exportImportErrors({ importId: overview.importId, path: path.value });
    if (saved.ok)
      notices.success(
        `Saved the error report (${plural(saved.value.rows, 'row')}) to ${saved.value.path}. Fix it and open it again to send those rows.`,
      );
    else notices.error(`Could not save the error report: ${saved.error.message}`);
  }, [notices]);

  const exportRun = useCallback(
    async (run: RunRef, which: 'errors' | 'results') => {
      const path =
        which === 'errors'
          ? await bridge().saveFileDialog({
              defaultName: suggestedName(run.fileName, which, reportExtension(run.fileName)),
              kind: 'report',
            })
          : await bridge().saveFileDialog({ defaultName: suggestedName(run.fileName, which, 'csv'), kind: 'csv' });
      if (!path.ok) return notices.error(`Could not show the save dialog: ${path.error.message}`);
      if (path.value === null) return;
      const saved =
        which === 'errors'
          ? await bridge().exportRunErrors({ runId: run.runId, path: path.value })
          : await bridge().exportResults({ runId: run.runId, path: path.value });
      if (saved.ok) notices.success(`Saved the ${which === 'errors' ? 'error report' : 'results'} to ${saved.value.path}.`);
      else notices.error(`Could not save the ${which === 'errors' ? 'error report' : 'results'}: ${saved.error.message}`);
    },
    [notices],
  );

  // Files from outside: subscribe first, then take what arrived before we listened.
  useEffect(() => {
    const api = bridge();
    const off = api.on('file:opened', ({ path }) => void openPath(path));
    void api.takePendingFiles().then((result) => {
      if (!result.ok) notices.error(`Could not read the files given to Lead Importer: ${result.error.message}`);
      else if (result.value.length > 0) void openPath(result.value[result.value.length - 1]);
    });
    return off;
  }, [openPath, notices]);

  // The application menu: File › Open, Export error report, Export results.
  useEffect(
    () =>
      bridge().on('menu:command', ({ command }) => {
        const s = stateRef.current;
        if (command === 'open') void openDialog();
        else if (command === 'exportErrors') {
          if (s.screen === 'run' && s.run !== null) void exportRun(s.run, 'errors');
          else if (s.overview !== null) void exportImportErrors();
          else if (s.run !== null) void exportRun(s.run, 'errors');
          else notices.info('Open a file or a run first: the error report lists the rows that could not be sent.');
        } else if (s.run !== null) void exportRun(s.run, 'results');
        else notices.info('Results exist once a file has been sent: open a run from History.');
      }),
    [openDialog, exportRun, exportImportErrors, notices],
  );

  // A run that ends while another screen is shown still says so.
  useEffect(
    () =>
      bridge().on('run:finished', ({ runId, summary }) => {
        const s = stateRef.current;
        if (s.screen === 'run' && s.run?.runId === runId) return;
        const problems = summary.failed + summary.rejected + summary.unknown + summary.notSent;
        const say = (name: FinishedRunName): void => {
          const text = finishedLine(name, summary);
          if (problems > 0) notices.info(text);
          else notices.success(text);
        };
        if (s.run?.runId === runId) {
          say({ fileName: s.run.fileName, undo: s.run.undoOf !== undefined });
          return;
        }
        // A run this window did not start (or no longer shows): the history names its file.
        void bridge()
          .listRuns()
          .then((listed) => {
            const run = listed.ok ? listed.value.find((r) => r.runId === runId) : undefined;
            say(run === undefined ? { fileName: null, undo: false } : { fileName: run.fileName, undo: run.undoOf !== null });
          });
      }),
    [notices],
  );

  // Drop a spreadsheet anywhere (or a mapping template on the Map screen).
  const dragging = useFileDrop((file) => {
    const asTemplate = /\.json$/i.test(file.name) && stateRef.current.screen === 'map';
    // The preload reads the path from the File and main accepts it: the page names no path itself.
    void bridge()
      .pathForDroppedFile(file)
      .then((dropped) => {
        if (!dropped.ok) notices.error(`${file.name} cannot be opened from here: ${dropped.error.message} Use “Open a file…”.`);
        else if (asTemplate) void loadTemplate(dropped.value);
        else void openPath(dropped.value);
      });
  });

  const go = (screen: Screen): void => dispatch({ type: 'go', screen });
  const showRun = (run: RunRef): void => dispatch({ type: 'runShown', run });
  const onMapped = useCallback((overview: ImportOverview) => dispatch({ type: 'mapped', overview }), []);
  const onValidated = useCallback((counts: NonNullable<typeof state.counts>) => dispatch({ type: 'validated', counts }), []);

  const resume = async (run: RunListItem): Promise<void> => {
    const result = await bridge().resumeInterrupted({ runId: run.runId });
    if (result.ok) showRun(runRefOf(run, result.value.runId, true));
    else if (result.error.code === 'cancelled') notices.info(result.error.message);
    else notices.error(`Could not resume the run of ${run.fileName}: ${result.error.message}`);
  };

  let screen: ReactNode;
  switch (state.screen) {
    case 'start':
      screen = (
        <StartScreen
          opening={opening}
          onOpenDialog={() => void openDialog()}
          onResume={resume}
          onShowRun={(run) => showRun(runRefOf(run))}
          onHistory={() => go('history')}
        />
      );
      break;
    case 'map':
      screen =
        state.overview === null ? null : (
          <MapScreen
            overview={state.overview}
            fields={fields}
            fieldsError={fieldsError}
            onMapped={onMapped}
            onNext={() => go('review')}
            onLoadTemplate={() => void loadTemplate()}
          />
        );
      break;
    case 'review':
      screen =
        state.overview === null ? null : (
          <ReviewScreen
            key={state.overview.importId}
            overview={state.overview}
            counts={state.counts}
            onValidated={onValidated}
            onExportErrors={() => void exportImportErrors()}
            onBack={() => go('map')}
            onNext={() => go('send')}
          />
        );
      break;
    case 'send':
      screen =
        state.overview === null || state.counts === null ? null : (
          <SendScreen
            overview={state.overview}
            counts={state.counts}
            onBack={() => go('review')}
            onStarted={(runId, environment) =>
              showRun({ runId, fileName: state.overview?.fileName ?? '', environment, live: true, shownAt: Date.now() })
            }
          />
        );
      break;
    case 'run':
      screen =
        state.run === null ? null : (
          <RunScreen
            key={`${state.run.runId}:${state.run.shownAt}`}
            run={state.run}
            onExportErrors={(run) => void exportRun(run, 'errors')}
            onExportResults={(run) => void exportRun(run, 'results')}
            onContinued={showRun}
          />
        );
      break;
    case 'history':
      screen = (
        <HistoryScreen
          onShowRun={(run) => showRun(runRefOf(run))}
          onContinued={(run, runId, undo) => showRun(runRefOf(run, runId, true, undo ? run.runId : undefined))}
        />
      );
      break;
  }

  return (
    <FieldsContext.Provider value={fieldsByName}>
      <div className="app">
        <header className="topbar">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Lead Importer
          </span>
          <nav className="steps" aria-label="Steps">
            <ol>
              {STEPS.map((step, i) => {
                const reachable = canGo(state, step.screen);
                const current = state.screen === step.screen;
                return (
                  <li key={step.screen}>
                    <button
                      type="button"
                      className={`step${current ? ' step--current' : ''}`}
                      aria-current={current ? 'step' : undefined}
                      disabled={!reachable}
                      title={whyNot(state, step.screen) ?? undefined}
                      onClick={() => go(step.screen)}
                      data-testid={`step-${step.screen}`}
                    >
                      <span className="step-number" aria-hidden="true">
                        {i + 1}
                      </span>
                      {step.label}
                    </button>
                  </li>
                );
              })}
            </ol>
          </nav>
          <button
            type="button"
            className={`step step--history${state.screen === 'history' ? ' step--current' : ''}`}
            aria-current={state.screen === 'history' ? 'page' : undefined}
            onClick={() => go('history')}
            data-testid="step-history"
          >
            History
          </button>
        </header>
        <main className="main">{screen}</main>
        {dragging ? (
          <div className="drop-overlay" aria-hidden="true">
            <div className="drop-overlay-box">
              {state.screen === 'map' ? 'Drop a spreadsheet to open it, or a mapping template to apply it' : 'Drop the file to open it'}
            </div>
          </div>
        ) : null}
      </div>
    </FieldsContext.Provider>
  );
}
