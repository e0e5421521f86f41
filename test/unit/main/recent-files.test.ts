// Recent files: main/recent-files.ts alone, then through startApp with the electron double
// (a file that opens is remembered, shown in File › Open Recent, told to the OS, and opened
// again from the list; not Electron: see DEVELOPERS.md).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contract } from '../../../app/shared/contract.ts';
import { startApp, type LaunchEnvironment } from '../../../main/lifecycle.ts';
import { buildPreloadApi } from '../../../main/preload-bridge.ts';
import { createRecentFiles, MAX_RECENT_FILES, RECENT_FILES_FILE } from '../../../main/recent-files.ts';
import * as electron from '../../support/electron-double.ts';

const { app, dialog, electronDouble, Menu } = electron;
type WindowDouble = InstanceType<typeof electron.BrowserWindow>;

vi.mock('electron', () => import('../../support/electron-double.ts'));

const env: LaunchEnvironment = {
  argv: ['/opt/lead-importer/lead-importer'],
  cwd: '/',
  platform: 'linux',
  isDefaultApp: false,
  mainDir: '/opt/lead-importer/resources/app.asar/out/main',
  devServerUrl: undefined,
};

describe('createRecentFiles', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('keeps the latest first, each once, at most a few, and on disk', async () => {
    const file = join(app.getPath('userData'), RECENT_FILES_FILE);
    const told: string[] = [];
    const changes: (readonly string[])[] = [];
    const recent = createRecentFiles({ file, addRecentDocument: (p) => told.push(p), onChange: (l) => changes.push(l) });
    await recent.load();
    expect(recent.list()).toEqual([]);
    for (let i = 1; i <= MAX_RECENT_FILES + 2; i++) recent.add(`/leads/${i}.csv`);
    recent.add('/leads/5.csv');
    expect(recent.list()[0]).toBe('/leads/5.csv');
    expect(recent.list()).toHaveLength(MAX_RECENT_FILES);
    expect(new Set(recent.list()).size).toBe(MAX_RECENT_FILES);
    expect(told.at(-1)).toBe('/leads/5.csv');
    expect(changes.at(-1)).toEqual(recent.list());
    await recent.saved();

    const again = createRecentFiles({ file, addRecentDocument: () => undefined, onChange: () => undefined });
    await again.load();
    expect(again.list()).toEqual(recent.list());
  });

  it('starts empty from a file it cannot read', async () => {
    const file = join(app.getPath('userData'), RECENT_FILES_FILE);
    await writeFile(file, '{"version":1,"paths":[3]}');
    const recent = createRecentFiles({ file, addRecentDocument: () => undefined, onChange: () => undefined });
    await recent.load();
    expect(recent.list()).toEqual([]);
  });
});

describe('recent files in the app', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('remembers a file that opened, shows it in the menu and the OS list, and opens it again from the list only', async () => {
    const leads = join(app.getPath('documents'), 'march.csv');
    await writeFile(leads, 'Lead ID,Status\nlead-1,ACTIVE\n');
    app.isPackaged = true;
    const running = await startApp<WindowDouble>(electron, env);
    const window = running?.window();
    if (running === null || window === null || window === undefined) throw new Error('expected a window');
    electronDouble.connectRenderer(window.webContents);
    const importer = buildPreloadApi(electron, contract);

    dialog.nextOpen = leads;
    const chosen = await importer.openFileDialog();
    expect(chosen).toEqual({ ok: true, value: leads });
    expect(await importer.recentFiles()).toEqual({ ok: true, value: [] });
    const opened = await importer.openImport({ path: leads, options: {} });
    expect(opened.ok).toBe(true);
    expect(await importer.recentFiles()).toEqual({ ok: true, value: [leads] });
    expect(app.recentDocuments).toEqual([leads]);
    const openRecent = Menu.getApplicationMenu()
      ?.allItems()
      .find((i) => i.label === 'Open Recent');
    expect(openRecent?.submenu?.items.map((i) => i.label)).toEqual(['march.csv']);
    await running.recentFiles.saved();
    expect(JSON.parse(await readFile(join(app.getPath('userData'), RECENT_FILES_FILE), 'utf8'))).toEqual({ version: 1, paths: [leads] });

    // From the Start screen: only a path on the list, which then arrives as an opened file.
    const events: unknown[] = [];
    importer.on('file:opened', (payload) => events.push(payload));
    // The page listens, then takes what came before (the start-up protocol of 'app:pendingFiles').
    expect(await importer.takePendingFiles()).toEqual({ ok: true, value: [] });
    expect(await importer.openRecentFile({ path: leads })).toEqual({ ok: true, value: undefined });
    expect(events).toEqual([{ path: leads }]);
    const refused = await importer.openRecentFile({ path: join(app.getPath('documents'), 'other.csv') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
