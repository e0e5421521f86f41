import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlePaths, isOwnRendererUrl, rendererSource } from '../../../main/bundle.ts';
import { createMainWindow, mainWindowOptions } from '../../../main/window.ts';
import { BrowserWindow, electronDouble, nativeTheme } from '../../support/electron-double.ts';

const paths = bundlePaths('/opt/Lead Importer/resources/app.asar/out/main');

describe('mainWindowOptions', () => {
  const options = mainWindowOptions(paths.preload, { prefersDark: false });

  it('turns on every security flag of the checklist', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/opt/Lead Importer/resources/app.asar/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
    });
  });

  it('waits for ready-to-show, has a title and a usable minimum size', () => {
    expect(options.show).toBe(false);
    expect(options.title).toBe('Lead Importer');
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
    expect(options.minHeight).toBeGreaterThanOrEqual(560);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight ?? 0);
  });

  it('paints the background of the system theme', () => {
    expect(mainWindowOptions('p', { prefersDark: false }).backgroundColor).toBe('#ffffff');
    expect(mainWindowOptions('p', { prefersDark: true }).backgroundColor).toBe('#1e1e1e');
  });
});

describe('rendererSource', () => {
  it('loads the bundled page when packaged, whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererSource(paths, { isPackaged: true, devServerUrl: 'http://localhost:5173/' })).toEqual({
      kind: 'bundled',
      dir: '/opt/Lead Importer/resources/app.asar/out/renderer',
      url: 'app://lead-importer/index.html',
    });
  });

  it('uses the dev server only when not packaged and only on this machine', () => {
    expect(rendererSource(paths, { isPackaged: false, devServerUrl: 'http://localhost:5173/' })).toEqual({
      kind: 'devServer',
      url: 'http://localhost:5173/',
    });
    expect(rendererSource(paths, { isPackaged: false, devServerUrl: 'http://127.0.0.1:5173' }).kind).toBe('devServer');
    for (const remote of ['https://evil.example/', 'http://192.168.1.10:5173/', 'file:///tmp/x.html', 'not a url', '']) {
      expect(rendererSource(paths, { isPackaged: false, devServerUrl: remote }).kind).toBe('bundled');
    }
    expect(rendererSource(paths, { isPackaged: false, devServerUrl: undefined }).kind).toBe('bundled');
  });
});

describe('isOwnRendererUrl', () => {
  const file = rendererSource(paths, { isPackaged: true });
  const dev = rendererSource(paths, { isPackaged: false, devServerUrl: 'http://localhost:5173/' });

  it('recognises the bundled page with any hash or query', () => {
    expect(isOwnRendererUrl(file.url, file)).toBe(true);
    expect(isOwnRendererUrl(`${file.url}#/send`, file)).toBe(true);
    expect(isOwnRendererUrl(`${file.url}?x=1`, file)).toBe(true);
  });

  it.each([
    // The file itself is not our page any more: only app:// is.
    'file:///opt/Lead%20Importer/resources/app.asar/out/renderer/index.html',
    'app://lead-importer/other.html',
    'app://lead-importer/assets/index.html',
    'app://evil.example/index.html',
    'app://lead-importer.evil.example/index.html',
    'app-x://lead-importer/index.html',
    'file:///opt/Lead%20Importer/resources/app.asar/out/renderer/other.html',
    'file:///tmp/evil.html',
    'file://attacker/opt/Lead%20Importer/resources/app.asar/out/renderer/index.html',
    'https://evil.example/out/renderer/index.html',
    'about:blank',
    'nonsense',
  ])('refuses %s for the bundled page', (url) => {
    expect(isOwnRendererUrl(url, file)).toBe(false);
  });

  it('matches the dev server by origin', () => {
    expect(isOwnRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isOwnRendererUrl(file.url, dev)).toBe(false);
  });
});

describe('createMainWindow', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('loads the bundled page from app://, never a file: URL, and shows the window when ready', async () => {
    const { window, loaded } = createMainWindow(
      { BrowserWindow, nativeTheme },
      { preloadPath: paths.preload, renderer: rendererSource(paths, { isPackaged: true }) },
    );
    await loaded;
    expect(window.loadedUrl).toBe('app://lead-importer/index.html');
    expect(window.loadedFile).toBeNull();
    expect(window.visible).toBe(true);
    expect(window.options.webPreferences?.sandbox).toBe(true);
  });

  it('follows the system theme at creation', () => {
    nativeTheme.shouldUseDarkColors = true;
    const { window } = createMainWindow(
      { BrowserWindow, nativeTheme },
      { preloadPath: paths.preload, renderer: rendererSource(paths, { isPackaged: true }) },
    );
    expect(window.options.backgroundColor).toBe('#1e1e1e');
  });

  it('loads the dev server under npm run dev', async () => {
    const { window, loaded } = createMainWindow(
      { BrowserWindow, nativeTheme },
      { preloadPath: paths.preload, renderer: rendererSource(paths, { isPackaged: false, devServerUrl: 'http://localhost:5173/' }) },
    );
    await loaded;
    expect(window.loadedUrl).toBe('http://localhost:5173/');
    expect(window.loadedFile).toBeNull();
  });
});
