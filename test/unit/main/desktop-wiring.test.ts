// The desktop service inside main, against the electron double: its handlers answer through
// the bridge, its events reach the window, writes go only where the save dialog pointed, runs
// live in the right folder, and quitting waits for live runs to stop.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../../../app/shared/contract-kit.ts';
import { contract } from '../../../app/shared/contract.ts';
import { createDesktopService } from '../../../app/desktop/service.ts';
import { desktopDataDir, quitAfterClosing } from '../../../main/desktop-wiring.ts';
import { startApp, type LaunchEnvironment, type RunningApp } from '../../../main/lifecycle.ts';
import { buildPreloadApi } from '../../../main/preload-bridge.ts';
import * as electron from '../../support/electron-double.ts';

const { app, dialog, electronDouble, ipcMain } = electron;

vi.mock('electron', () => import('../../support/electron-double.ts'));

type WindowDouble = InstanceType<typeof electron.BrowserWindow>;

const MAIN_DIR = '/opt/lead-importer/resources/app.asar/out/main';
const LEADS = 'Lead ID,First Name,Status\nlead-1,Ann,ACTIVE\nlead-2,Bob,Nope\n';

const running: RunningApp<WindowDouble>[] = [];

async function started(extra: Partial<LaunchEnvironment> = {}) {
  app.isPackaged = true;
  const launch: LaunchEnvironment = {
    argv: ['/opt/lead-importer/lead-importer'],
    cwd: '/',
    platform: 'linux',
    isDefaultApp: false,
    mainDir: MAIN_DIR,
    devServerUrl: undefined,
    env: {},
    ...extra,
  };
  const app_ = await startApp<WindowDouble>(electron, launch);
  if (app_ === null) throw new Error('expected the first instance');
  running.push(app_);
  const window = app_.window();
  if (window === null) throw new Error('expected a window');
  electronDouble.connectRenderer(window.webContents);
  return { app: app_, window, importer: buildPreloadApi(electron, contract) };
}

/** Makes a finished practice run in `dataDir` with a service of its own; returns its id. */
async function practiceRunIn(dataDir: string): Promise<string> {
  const service = createDesktopService({
    dataDir,
    getToken: async () => undefined,
    connection: {
      windowMs: 1000,
      simulator: { jobPendingMs: 10, latencyMs: 0, latencySpikes: null, successRate: 1, partialRate: 0, windowMs: 1000, rateLimit: 1000 },
      tracking: { firstCheckAfterMs: 10, logsMinIntervalMs: 20, logsMaxWaitMs: 100 },
    },
  });
  const finished = new Promise<string>((resolve) =>
    service.subscribe((event, payload) => event === 'run:finished' && resolve((payload as { runId: string }).runId)),
  );
  const { importId } = await service.handlers['import:open']({ path: leadsFile(), options: {} });
  await service.handlers['import:validate']({ importId });
  await service.handlers['run:start']({ importId, environment: 'practice', concurrency: 1, rate: 100 });
  const runId = await finished;
  await service.close();
  return runId;
}

/** The leads file, chosen in the open dialog (main reads nothing else for the page). */
async function chosenInDialog(importer: Awaited<ReturnType<typeof started>>['importer']): Promise<string> {
  dialog.nextOpen = leadsFile();
  const chosen = await importer.openFileDialog();
  if (!chosen.ok || chosen.value === null) throw new Error('expected the dialog to answer');
  return chosen.value;
}

function leadsFile(): string {
  const path = join(app.getPath('documents'), 'leads.csv');
  writeFileSync(path, LEADS);
  return path;
}

describe('the desktop service in main', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await r.service.close();
      await r.settled();
    }
    electronDouble.cleanup();
  });

  it('answers every request of the contract: the shell and the service together', async () => {
    const { importer } = await started();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(contract.requests).sort());
    const fields = await importer.listFields();
    expect(fields.ok && fields.value.some((f) => f.name === 'lead_id')).toBe(true);
    // Arguments are decoded before the service sees them.
    expect(await importer.openImport({ path: '', options: {} })).toMatchObject({ ok: false, error: { code: 'bad_argument' } });
    expect(await importer.reviewRows({ importId: 'imp-x', filter: 'everything' as 'all', offset: 0, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'bad_argument' },
    });
  });

  it('forwards the service events to the window', async () => {
    const { importer, window } = await started();
    const progress: unknown[] = [];
    importer.on('import:progress', (payload) => progress.push(payload));
    const opened = await importer.openImport({ path: await chosenInDialog(importer), options: {} });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(await importer.validateImport({ importId: opened.value.importId })).toEqual({
      ok: true,
      value: { rows: 2, valid: 1, invalid: 1, skipped: 0, warnings: 0, duplicates: 0, edits: 0, notices: [] },
    });
    expect(progress.at(-1)).toEqual({ importId: opened.value.importId, rowsRead: 2 });
    expect(window.webContents.sent.filter((m) => m.channel === 'import:progress').length).toBe(progress.length);
    // No window: events are dropped, nothing throws.
    window.close();
    expect(running[0].window()).toBeNull();
    const again = await ipcMain.invoke(electron.invokeEventFrom(window.webContents), 'import:validate', {
      importId: opened.value.importId,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('writes files only where the user chose in the save dialog', async () => {
    const { importer } = await started();
    const opened = await importer.openImport({ path: await chosenInDialog(importer), options: {} });
    if (!opened.ok) throw new Error(opened.error.message);
    const { importId } = opened.value;
    await importer.validateImport({ importId });
    const target = join(app.getPath('documents'), 'errors.csv');

    const refused = await importer.exportImportErrors({ importId, path: target });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Lead Importer saves files only where you choose: pick the place in the save dialog first.' },
    });
    expect(await importer.saveMapping({ importId, path: join(app.getPath('documents'), 'mapping.json') })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(existsSync(target)).toBe(false);

    dialog.nextSave = target;
    expect(await importer.saveFileDialog({ defaultName: 'errors', kind: 'csv' })).toEqual({ ok: true, value: target });
    expect(await importer.exportImportErrors({ importId, path: target })).toEqual({ ok: true, value: { path: target, rows: 1 } });
    expect(readFileSync(target, 'utf8')).toContain('Nope');
  });

  it('keeps runs in <userData>/runs-data', async () => {
    // A finished run made by another service in that folder, then listed through the bridge.
    const runId = await practiceRunIn(join(app.getPath('userData'), 'runs-data'));
    const { importer } = await started();
    const listed = await importer.listRuns();
    expect(listed.ok && listed.value.map((r) => [r.runId, r.state])).toEqual([[runId, 'finished']]);
  });

  it('keeps runs in LEAD_IMPORTER_HOME when it is set (shared with the command line)', async () => {
    const home = join(app.getPath('temp'), 'importer-home');
    mkdirSync(home, { recursive: true });
    const runId = await practiceRunIn(home);
    await practiceRunIn(join(app.getPath('userData'), 'runs-data'));
    const { importer } = await started({ env: { LEAD_IMPORTER_HOME: home } });
    const listed = await importer.listRuns();
    expect(listed.ok && listed.value.map((r) => [r.runId, r.state])).toEqual([[runId, 'finished']]);
  });

  it('on quit, closes the service first (live runs cancelled), then quits for real', async () => {
    await started();
    const first = new electron.PreventableEventDouble();
    app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(app.quitCalls).toBe(1));
    const second = new electron.PreventableEventDouble();
    app.emit('before-quit', second);
    expect(second.defaultPrevented).toBe(false);
    // The service refuses requests from now on.
    expect(() => running[0].service.handlers['runs:list'](undefined)).toThrow(new BridgeError('unavailable', 'Lead Importer is closing.'));
  });
});

describe('desktop-wiring helpers', () => {
  it('picks the data folder: LEAD_IMPORTER_HOME (like the CLI), else <userData>/runs-data', () => {
    expect(desktopDataDir('/u/Lead Importer', {}, '/')).toBe('/u/Lead Importer/runs-data');
    expect(desktopDataDir('/u/Lead Importer', { LEAD_IMPORTER_HOME: '  ' }, '/')).toBe('/u/Lead Importer/runs-data');
    expect(desktopDataDir('/u/Lead Importer', { LEAD_IMPORTER_HOME: 'runs' }, '/work')).toBe('/work/runs');
  });

  it('quits after a bounded wait when the service does not close', async () => {
    vi.useFakeTimers();
    try {
      let quits = 0;
      const listener = quitAfterClosing({ close: () => new Promise<void>(() => undefined) }, () => quits++, 1_000);
      const event = new electron.PreventableEventDouble();
      listener(event);
      listener(new electron.PreventableEventDouble());
      await vi.advanceTimersByTimeAsync(999);
      expect(quits).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(quits).toBe(1);
      expect(event.defaultPrevented).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
