// The window comes back as the user left it: main/window-state.ts alone, then through startApp
// with the electron double (not Electron: see DEVELOPERS.md).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApp, type LaunchEnvironment } from '../../../main/lifecycle.ts';
import { WINDOW_SIZE } from '../../../main/window.ts';
import { placement, readWindowState, rememberWindowState, WINDOW_STATE_FILE, type WindowState } from '../../../main/window-state.ts';
import * as electron from '../../support/electron-double.ts';

const { app, BrowserWindow, electronDouble, screen } = electron;

vi.mock('electron', () => import('../../support/electron-double.ts'));

const env: LaunchEnvironment = {
  argv: ['/opt/lead-importer/lead-importer'],
  cwd: '/',
  platform: 'linux',
  isDefaultApp: false,
  mainDir: '/opt/lead-importer/resources/app.asar/out/main',
  devServerUrl: undefined,
};
const display = { x: 0, y: 0, width: 1920, height: 1040 };
const saved = (bounds: WindowState['bounds'], maximized = false): WindowState => ({ version: 1, bounds, maximized });

describe('placement', () => {
  it('uses the default size the first time', () => {
    expect(placement(null, [display], WINDOW_SIZE)).toEqual({ width: 1280, height: 840, maximized: false });
  });

  it('puts the window back where it was, maximised if it was', () => {
    expect(placement(saved({ x: 200, y: 120, width: 1400, height: 900 }, true), [display], WINDOW_SIZE)).toEqual({
      x: 200,
      y: 120,
      width: 1400,
      height: 900,
      maximized: true,
    });
  });

  it('drops a position no display shows any more (a monitor unplugged), keeping the size', () => {
    expect(placement(saved({ x: 2500, y: 100, width: 1400, height: 900 }), [display], WINDOW_SIZE)).toEqual({
      width: 1400,
      height: 900,
      maximized: false,
    });
    const second = { x: 1920, y: 0, width: 2560, height: 1400 };
    expect(placement(saved({ x: 2500, y: 100, width: 1400, height: 900 }), [display, second], WINDOW_SIZE)).toMatchObject({
      x: 2500,
      y: 100,
    });
  });

  it('never makes the window smaller than the screens are laid out for', () => {
    expect(placement(saved({ x: 10, y: 10, width: 300, height: 200 }), [display], WINDOW_SIZE)).toMatchObject({ width: 960, height: 600 });
  });
});

describe('the window state file', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('is read as nothing when missing or not ours', async () => {
    const userData = app.getPath('userData');
    expect(await readWindowState(userData)).toBeNull();
    await writeFile(join(userData, WINDOW_STATE_FILE), '{"version":1,"bounds":{"x":"left"}}');
    expect(await readWindowState(userData)).toBeNull();
    await writeFile(join(userData, WINDOW_STATE_FILE), 'not json');
    expect(await readWindowState(userData)).toBeNull();
  });

  it('follows moves, resizes and maximising, the last one winning', async () => {
    const userData = app.getPath('userData');
    const window = new BrowserWindow({ x: 10, y: 20, width: 1000, height: 700 });
    const memory = rememberWindowState(window, userData);
    window.setBounds({ width: 1100 });
    window.setBounds({ x: 40, y: 50 });
    window.maximize();
    await memory.saved();
    expect(await readWindowState(userData)).toEqual(saved({ x: 40, y: 50, width: 1100, height: 700 }, true));
  });

  it('makes startApp reopen the window where it was closed, maximised again', async () => {
    app.isPackaged = true;
    const first = await startApp<InstanceType<typeof BrowserWindow>>(electron, env);
    const window = first?.window();
    if (window === null || window === undefined) throw new Error('expected a window');
    expect(window.options).toMatchObject({ width: 1280, height: 840 });
    expect(window.options.x).toBeUndefined();
    window.setBounds({ x: 300, y: 150, width: 1500, height: 950 });
    window.maximize();
    window.close();
    await expect
      .poll(async () => JSON.parse(await readFile(join(app.getPath('userData'), WINDOW_STATE_FILE), 'utf8').catch(() => '{}')) as unknown)
      .toEqual(saved({ x: 300, y: 150, width: 1500, height: 950 }, true));

    // The next start, same userData.
    const userData = app.getPath('userData');
    const state = await readFile(join(userData, WINDOW_STATE_FILE), 'utf8');
    electronDouble.reset();
    await writeFile(join(app.getPath('userData'), WINDOW_STATE_FILE), state);
    app.isPackaged = true;
    const second = await startApp<InstanceType<typeof BrowserWindow>>(electron, env);
    const reopened = second?.window();
    expect(reopened?.options).toMatchObject({ x: 300, y: 150, width: 1500, height: 950 });
    expect(reopened?.isMaximized()).toBe(true);
  });

  it('opens on the display that is left when the one it was on is gone', async () => {
    await writeFile(join(app.getPath('userData'), WINDOW_STATE_FILE), JSON.stringify(saved({ x: 2500, y: 100, width: 1400, height: 900 })));
    screen.displays = [{ workArea: display }];
    app.isPackaged = true;
    const running = await startApp<InstanceType<typeof BrowserWindow>>(electron, env);
    expect(running?.window()?.options).toMatchObject({ width: 1400, height: 900 });
    expect(running?.window()?.options.x).toBeUndefined();
  });
});
