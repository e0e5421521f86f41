// Acting as a compromised page (XSS, a hostile dependency in the bundle) calling
// `window.importer` with any argument, against the whole main process on the electron double:
// main reads only the files the user designated (open dialog, command line, open-file, a second
// instance, a real drop), writes only where the save dialog pointed, and sends nothing to
// Production that the person did not confirm in main's own dialog. Nothing here ran in Electron.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contract } from '../../../app/shared/contract.ts';
import { startApp, type LaunchEnvironment, type RunningApp } from '../../../main/lifecycle.ts';
import { buildPreloadApi } from '../../../main/preload-bridge.ts';
import * as electron from '../../support/electron-double.ts';

const { app, dialog, electronDouble, webUtils } = electron;

vi.mock('electron', () => import('../../support/electron-double.ts'));

type WindowDouble = InstanceType<typeof electron.BrowserWindow>;

const MAIN_DIR = '/opt/lead-importer/resources/app.asar/out/main';
const LEADS = 'Lead ID,First Name,Status\nlead-1,Ann,ACTIVE\n';
const PLANTED_KEY = 'prd_live_0f1e2d3c4b5a69788796a5b4c3d2e1f0';

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

function documentsFile(name: string, text: string): string {
  const path = join(app.getPath('documents'), name);
  writeFileSync(path, text);
  return path;
}

const NOT_CHOSEN = /reads only the files you choose/;

describe('what main reads for the page', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await r.service.close();
      await r.settled();
    }
    electronDouble.cleanup();
  });

  it('refuses to open a file nobody chose: /etc/passwd, a planted key file, a file beside the chosen one', async () => {
    const { importer } = await started();
    const keyFile = documentsFile('propexo-api-key.txt', `lead_id\n${PLANTED_KEY}\n`);
    const chosen = documentsFile('leads.csv', LEADS);
    dialog.nextOpen = chosen;
    expect(await importer.openFileDialog()).toEqual({ ok: true, value: chosen });
    for (const path of ['/etc/passwd', keyFile, `${app.getPath('documents')}/../Documents/leads.csv`, `${chosen}/../propexo-api-key.txt`]) {
      const reply = await importer.openImport({ path, options: {} });
      expect(reply, path).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(NOT_CHOSEN) } });
      expect(JSON.stringify(reply)).not.toContain(PLANTED_KEY);
    }
  });

  it('opens the file chosen in the open dialog, again with other options by the path it shows', async () => {
    const { importer } = await started();
    const chosen = documentsFile('leads.csv', LEADS);
    // As a dialog may spell it; the service reads (and shows) the resolved path.
    dialog.nextOpen = chosen.replace(/\/leads\.csv$/, '//leads.csv');
    await importer.openFileDialog();
    const opened = await importer.openImport({ path: dialog.nextOpen, options: {} });
    expect(opened).toMatchObject({ ok: true, value: { fileName: 'leads.csv', path: chosen } });
    if (!opened.ok) return;
    expect(await importer.openImport({ path: opened.value.path, options: { delimiter: ';' } })).toMatchObject({ ok: true });
  });

  it('loads a mapping only from the file chosen for it, and is no existence oracle', async () => {
    const { importer } = await started();
    const leads = documentsFile('leads.csv', LEADS);
    dialog.nextOpen = leads;
    await importer.openFileDialog();
    const opened = await importer.openImport({ path: leads, options: {} });
    if (!opened.ok) throw new Error(opened.error.message);
    const { importId } = opened.value;
    const existing = documentsFile('other-mapping.json', '{"version":1,"columns":{}}');
    const missing = join(app.getPath('documents'), 'no-such-mapping.json');
    const onExisting = await importer.loadMapping({ importId, path: existing });
    const onMissing = await importer.loadMapping({ importId, path: missing });
    expect(onExisting).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Word for word the same: the refusal comes before anything looks at the disk.
    expect(onMissing).toEqual(onExisting);

    const template = documentsFile('spring-mapping.json', JSON.stringify({ version: 1, columns: { 'Lead ID': { field: 'lead_id' } } }));
    dialog.nextOpen = template;
    expect(await importer.openMappingDialog()).toEqual({ ok: true, value: template });
    expect(await importer.loadMapping({ importId, path: template })).toMatchObject({ ok: true });
  });

  it('opens files given from outside: the command line, a second instance, macOS open-file', async () => {
    const fromArgv = documentsFile('argv.csv', LEADS);
    const fromSecond = documentsFile('second.csv', LEADS);
    const fromFinder = documentsFile('finder.csv', LEADS);
    const { importer } = await started({ argv: ['/opt/lead-importer/lead-importer', fromArgv] });
    app.emit('second-instance', new electron.PreventableEventDouble(), ['/opt/lead-importer/lead-importer', fromSecond], '/');
    app.emit('open-file', new electron.PreventableEventDouble(), fromFinder);
    for (const path of [fromArgv, fromSecond, fromFinder])
      expect(await importer.openImport({ path, options: {} }), path).toMatchObject({ ok: true });
  });

  it('opens a file really dropped on the window, through the preload; a page-made File gives nothing', async () => {
    const { importer } = await started();
    const dropped = documentsFile('dropped.csv', LEADS);
    const granted = await importer.pathForDroppedFile(webUtils.fileAt(dropped));
    expect(granted).toEqual({ ok: true, value: dropped });
    expect(await importer.openImport({ path: dropped, options: {} })).toMatchObject({ ok: true });
    // A File the page builds itself is backed by nothing on disk.
    expect(await importer.pathForDroppedFile(new File(['x'], 'passwd'))).toMatchObject({ ok: false, error: { code: 'bad_argument' } });
    // And the channel the preload uses is no method of window.importer.
    expect(Object.values(importer).length).toBe(Object.keys(importer).length);
    expect(Object.keys(importer)).not.toContain('grantDroppedFile');
  });

  it('refuses Windows network and device paths that no dialog returned, before touching them', async () => {
    const { importer } = await started();
    for (const path of [
      '\\\\attacker.example\\share\\leads.csv',
      '\\\\?\\C:\\Users\\ann\\leads.csv',
      '\\\\.\\PhysicalDrive0',
      '//attacker.example/share/leads.csv',
    ]) {
      expect(await importer.openImport({ path, options: {} }), path).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Given from outside (a crafted shortcut, a second instance): not even looked at.
      app.emit('open-file', new electron.PreventableEventDouble(), path);
      expect(await importer.openImport({ path, options: {} }), path).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // A real drop of a file on a share is refused too (open it with the dialog instead).
    expect(await importer.pathForDroppedFile(webUtils.fileAt('\\\\attacker.example\\share\\leads.csv'))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Chosen in the dialog, a network path is the user's choice.
    dialog.nextOpen = '\\\\fileserver\\leads\\spring.csv';
    await importer.openFileDialog();
    const reply = await importer.openImport({ path: '\\\\fileserver\\leads\\spring.csv', options: {} });
    expect(reply).not.toMatchObject({ error: { code: 'forbidden' } });
  });

  it.skipIf(process.platform === 'win32')('refuses what is not a regular file, with a clear message: a folder, a FIFO', async () => {
    const { importer } = await started();
    const folder = join(app.getPath('documents'), 'a-folder.csv');
    mkdirSync(folder);
    const fifo = join(app.getPath('documents'), 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    for (const [path, what] of [
      [folder, 'a folder'],
      [fifo, 'a pipe'],
    ] as const) {
      dialog.nextOpen = path;
      await importer.openFileDialog();
      expect(await importer.openImport({ path, options: {} })).toEqual({
        ok: false,
        error: { code: 'bad_argument', message: `${path} is ${what}, not a file.` },
      });
    }
  });

  it('writes only where the save dialog pointed (declared in the contract, enforced by main/ipc.ts)', async () => {
    const { importer } = await started();
    const leads = documentsFile('leads.csv', LEADS);
    dialog.nextOpen = leads;
    await importer.openFileDialog();
    const opened = await importer.openImport({ path: leads, options: {} });
    if (!opened.ok) throw new Error(opened.error.message);
    // A file the user opened is not a place to write to.
    expect(await importer.saveMapping({ importId: opened.value.importId, path: leads })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('what main sends for the page', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await r.service.close();
      await r.settled();
    }
    electronDouble.cleanup();
  });

  it('asks in a native dialog before a Production run, whatever the page says; Cancel sends nothing', async () => {
    const { importer } = await started();
    expect(await importer.setCredentials({ environment: 'production', apiKey: PLANTED_KEY })).toMatchObject({ ok: true });
    const leads = documentsFile('leads.csv', LEADS);
    dialog.nextOpen = leads;
    await importer.openFileDialog();
    const opened = await importer.openImport({ path: leads, options: {} });
    if (!opened.ok) throw new Error(opened.error.message);
    await importer.validateImport({ importId: opened.value.importId });
    // The page may add anything it likes: the contract takes no "confirmed" flag.
    const forged = await importer.startRun({
      importId: opened.value.importId,
      environment: 'production',
      concurrency: 1,
      rate: 10,
      confirmedProduction: true,
    } as never);
    expect(forged).toMatchObject({ ok: false, error: { code: 'bad_argument' } });
    const reply = await importer.startRun({ importId: opened.value.importId, environment: 'production', concurrency: 1, rate: 10 });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'cancelled', message: 'Nothing was sent: sending to Production was not confirmed.' },
    });
    expect(dialog.calls.filter((c) => c.kind === 'message').map((c) => c.options)).toEqual([
      expect.objectContaining({ message: 'Send 1 lead update from leads.csv to Production?', defaultId: 0, cancelId: 0 }),
    ]);
    expect(existsSync(join(app.getPath('userData'), 'runs-data', 'runs'))).toBe(false);
  });
});
