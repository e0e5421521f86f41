// The whole main process against the double: start-up, the bridge end to end (preload →
// ipcMain → handlers → results and events back), files opened from outside, and quitting.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contract } from '../../../app/shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../../main/csp.ts';
import { startApp, type LaunchEnvironment } from '../../../main/lifecycle.ts';
import { buildPreloadApi } from '../../../main/preload-bridge.ts';
import * as electron from '../../support/electron-double.ts';
import { everythingUnder, expectNoTraceOf } from './secret-traces.ts';
import { desktopHeapFlags } from '../../../app/desktop/heap-policy.ts';

const { app, BrowserWindow, dialog, electronDouble, invokeEventFrom, ipcMain, Menu, protocol, safeStorage, session, shell } = electron;

vi.mock('electron', () => import('../../support/electron-double.ts'));

const MAIN_DIR = '/opt/lead-importer/resources/app.asar/out/main';
const RENDERER_HTML = '/opt/lead-importer/resources/app.asar/out/renderer/index.html';
const PAGE_URL = 'app://lead-importer/index.html';
const SANDBOX_KEY = 'sbx_live_5e3f0c1d2b4a69788796a5b4c3d2e1f0';
const PRODUCTION_KEY = 'prd_live_a1b2c3d4e5f60718293a4b5c6d7e8f90';

type WindowDouble = InstanceType<typeof BrowserWindow>;
const start = (launch: LaunchEnvironment) => startApp<WindowDouble>(electron, launch);

function env(overrides: Partial<LaunchEnvironment> = {}): LaunchEnvironment {
  return {
    argv: ['/opt/lead-importer/lead-importer'],
    cwd: '/',
    platform: 'linux',
    isDefaultApp: false,
    mainDir: MAIN_DIR,
    devServerUrl: undefined,
    // Not this test process's own flags.
    setV8Flags: (flags) => v8Flags.push(flags),
    ...overrides,
  };
}
const v8Flags: string[] = [];

async function started(overrides: Partial<LaunchEnvironment> = {}) {
  app.isPackaged = true;
  const running = await start(env(overrides));
  if (running === null) throw new Error('expected the first instance');
  const window = running.window();
  if (window === null) throw new Error('expected a window');
  // The page's preload, connected to the window's webContents.
  electronDouble.connectRenderer(window.webContents);
  const importer = buildPreloadApi(electron, contract);
  return { running, window, importer };
}

describe('startApp', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('in a second instance, quits without a window or handlers', async () => {
    app.singleInstanceLock = false;
    v8Flags.length = 0;
    expect(await start(env())).toBeNull();
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.instances).toEqual([]);
    expect(ipcMain.handlers.size).toBe(0);
    expect(v8Flags).toEqual([]);
  });

  it('sets the desktop heap policy at startup', async () => {
    v8Flags.length = 0;
    await started();
    expect(v8Flags).toEqual([desktopHeapFlags]);
  });

  it('sandboxes every renderer, opens one hardened window on the bundled page', async () => {
    const { window } = await started();
    expect(app.sandboxEnabled).toBe(true);
    expect(BrowserWindow.instances).toEqual([window]);
    expect(window.options.webPreferences).toMatchObject({
      preload: join(MAIN_DIR, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
    });
    expect(window.loadedUrl).toBe(PAGE_URL);
    expect(window.loadedFile).toBeNull();
    // app:// was made standard and secure before 'ready', and serves the bundle after.
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    expect(protocol.isProtocolHandled('app')).toBe(true);
    expect((await protocol.fetch('app://lead-importer/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(404);
    expect(window.visible).toBe(true);
    expect(Menu.getApplicationMenu()).not.toBeNull();
    expect(await session.defaultSession.requestPermission('media')).toBe(false);
    expect(await session.defaultSession.receiveHeaders({ url: `file://${RENDERER_HTML}`, resourceType: 'mainFrame' })).toEqual({});
    expect(await session.defaultSession.receiveHeaders({ url: PAGE_URL, resourceType: 'mainFrame' })).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('registers a handler for every request of the contract, and only those', async () => {
    await started();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(contract.requests).sort());
  });

  it('guards the window it creates: no navigation away, no new windows, no webviews', async () => {
    const { window } = await started();
    expect(window.webContents.tryNavigate('https://evil.example/')).toBe(false);
    expect(window.webContents.tryNavigate(`${PAGE_URL}#/review`)).toBe(true);
    expect(window.webContents.tryNavigate(`file://${RENDERER_HTML}`)).toBe(false);
    expect(window.webContents.tryOpenWindow('https://docs.propexo.com/guides')).toBe('deny');
    expect(window.webContents.tryOpenWindow('https://evil.example/')).toBe('deny');
    expect(window.webContents.tryAttachWebview('https://evil.example/')).toBe(false);
    // No WebRTC outside a proxy, no download.
    expect(window.webContents.webRTCIPHandlingPolicy).toBe('disable_non_proxied_udp');
    expect(session.defaultSession.tryDownload('data:application/octet-stream,x', window.webContents).started).toBe(false);
    await vi.waitFor(() => expect(shell.opened).toEqual(['https://docs.propexo.com/guides']));
  });

  it('answers the page through the bridge', async () => {
    const { importer } = await started();
    expect(await importer.appInfo()).toEqual({ ok: true, value: { name: 'Lead Importer', version: '0.1.0', platform: 'linux' } });
    dialog.nextOpen = '/home/ann/leads.csv';
    expect(await importer.openFileDialog()).toEqual({ ok: true, value: '/home/ann/leads.csv' });
    expect(await importer.openExternal({ url: 'https://docs.propexo.com/' })).toEqual({ ok: true, value: undefined });
    expect(await importer.openExternal({ url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await importer.saveFileDialog({ defaultName: '../../etc/cron.d/x', kind: 'csv' })).toMatchObject({
      ok: false,
      error: { code: 'bad_argument' },
    });
    expect(shell.opened).toEqual(['https://docs.propexo.com/']);
  });

  it('refuses requests from any other webContents', async () => {
    await started();
    const intruder = new BrowserWindow();
    await intruder.loadURL(PAGE_URL);
    const reply = await ipcMain.invoke(invokeEventFrom(intruder.webContents), 'credentials:set', {
      environment: 'sandbox',
      apiKey: SANDBOX_KEY,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(everythingUnder(app.getPath('userData'))).toBe('');
  });

  it.each([
    ['available', (): void => undefined, 'os'],
    ['unavailable', (): void => void (safeStorage.available = false), 'unavailable'],
  ] as const)(
    'never lets the API key out: not on disk in plain text, not in any IPC result (encryption %s)',
    async (_name, setUp, encryption) => {
      setUp();
      const { importer, running } = await started();
      const results: unknown[] = [];
      const record = async <T>(reply: Promise<T>): Promise<T> => {
        const value = await reply;
        results.push(value);
        return value;
      };
      expect(await record(importer.credentialsStatus())).toEqual({
        ok: true,
        value: { sandbox: { stored: false, encryption }, production: { stored: false, encryption } },
      });
      expect(await record(importer.setCredentials({ environment: 'sandbox', apiKey: `  ${SANDBOX_KEY}\n` }))).toMatchObject({
        ok: true,
        value: { sandbox: { stored: true, encryption } },
      });
      await record(importer.setCredentials({ environment: 'production', apiKey: PRODUCTION_KEY }));
      await record(importer.credentialsStatus());
      // Mistakes echo nothing of what was typed.
      await record(importer.setCredentials({ environment: 'sandbox', apiKey: `${SANDBOX_KEY} ${PRODUCTION_KEY}` }));
      await record(importer.setCredentials({ environment: 'staging' as 'sandbox', apiKey: SANDBOX_KEY }));
      await record(ipcMain.invoke(invokeEventFrom(new BrowserWindow().webContents), 'credentials:status'));
      // Main code gets the key; the page never does.
      expect(await running.credentials.getKeyForRun('sandbox')).toBe(SANDBOX_KEY);
      expect(await record(importer.clearCredentials({ environment: 'production' }))).toMatchObject({
        ok: true,
        value: { production: { stored: false } },
      });
      expect(results).toHaveLength(8);
      expect(results.slice(4, 7)).toMatchObject([
        {
          ok: false,
          error: { code: 'bad_argument', message: 'credentials:set: apiKey: an API key has no spaces, line breaks or control characters' },
        },
        { ok: false, error: { code: 'bad_argument' } },
        { ok: false, error: { code: 'forbidden' } },
      ]);
      const everyResult = JSON.stringify(results);
      const onDisk = everythingUnder(app.getPath('userData'));
      for (const key of [SANDBOX_KEY, PRODUCTION_KEY]) {
        expectNoTraceOf(key, everyResult);
        expectNoTraceOf(key, onDisk);
      }
      expect(onDisk === '').toBe(encryption === 'unavailable');
    },
  );

  it('sends menu commands to the page', async () => {
    const { importer } = await started();
    const commands: string[] = [];
    importer.on('menu:command', ({ command }) => commands.push(command));
    const item = Menu.getApplicationMenu()
      ?.allItems()
      .find((i) => i.label === 'Export results…');
    item?.click();
    expect(commands).toEqual(['exportResults']);
  });

  it('hands over files opened before the page listened, then sends new ones as events', async () => {
    const early = join(app.getPath('documents'), 'from-command-line.csv');
    const second = join(app.getPath('documents'), 'from-second-instance.xlsx');
    for (const path of [early, second]) writeFileSync(path, 'lead_id\n1\n');
    app.holdReady();
    const starting = start(env({ argv: ['/opt/lead-importer/lead-importer', early, '--flag'] }));
    // macOS delivers the double-clicked file before 'ready'.
    const macEvent = new electron.PreventableEventDouble();
    app.emit('open-file', macEvent, '/Users/ann/finder.csv');
    expect(macEvent.defaultPrevented).toBe(true);
    app.becomeReady();
    const running = await starting;
    const window = running?.window();
    if (!window) throw new Error('expected a window');
    electronDouble.connectRenderer(window.webContents);
    const importer = buildPreloadApi(electron, contract);

    const opened: string[] = [];
    importer.on('file:opened', ({ path }) => opened.push(path));
    expect(await importer.takePendingFiles()).toEqual({ ok: true, value: [early, '/Users/ann/finder.csv'] });

    window.minimize();
    app.emit(
      'second-instance',
      new electron.PreventableEventDouble(),
      ['/opt/lead-importer/lead-importer', 'from-second-instance.xlsx'],
      app.getPath('documents'),
    );
    expect(opened).toEqual([second]);
    expect(window.isMinimized()).toBe(false);
    expect(window.focused).toBe(true);
    // The save dialog now suggests the folder of that file.
    dialog.nextSave = join(app.getPath('documents'), 'x.csv');
    await importer.saveFileDialog({ defaultName: 'errors', kind: 'csv' });
    expect((dialog.calls.at(-1)?.options as { defaultPath?: string } | undefined)?.defaultPath).toBe(
      join(app.getPath('documents'), 'errors.csv'),
    );
  });

  it('quits when the last window closes, except on macOS where activate reopens one', async () => {
    const linux = await started();
    linux.window.close();
    expect(app.quitCalls).toBe(1);
    await linux.running.settled();

    electronDouble.reset();
    const mac = await started({ platform: 'darwin' });
    mac.window.close();
    expect(app.quitCalls).toBe(0);
    expect(mac.running.window()).toBeNull();
    app.emit('activate');
    const reopened = mac.running.window();
    expect(reopened).not.toBeNull();
    expect(reopened).not.toBe(mac.window);
    // The new window is the trusted one.
    if (reopened === null) throw new Error('expected a window');
    electronDouble.connectRenderer(reopened.webContents);
    expect(await buildPreloadApi(electron, contract).appInfo()).toMatchObject({ ok: true });
    expect(await ipcMain.invoke(invokeEventFrom(mac.window.webContents), 'app:info')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await mac.running.settled();
  });

  it('loads the dev server only when not packaged', async () => {
    app.isPackaged = false;
    const running = await start(env({ devServerUrl: 'http://localhost:5173/' }));
    expect(running?.window()?.loadedUrl).toBe('http://localhost:5173/');
    expect(await session.defaultSession.receiveHeaders({ url: 'http://localhost:5173/', resourceType: 'mainFrame' })).toEqual({});
  });
});

describe('main/index.ts', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('starts the app with the electron module it imports', async () => {
    await import('../../../main/index.ts');
    await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
    const window = BrowserWindow.instances[0];
    expect(String(window.options.webPreferences?.preload).replaceAll('\\', '/')).toMatch(/\/preload\/index\.cjs$/);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(contract.requests).sort());
  });
});
