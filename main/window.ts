// The main window: Electron's security checklist in its webPreferences, and a page that only
// ever comes from the app bundle, on app:// (the dev server only under `npm run dev`).
import type { BrowserWindowConstructorOptions } from 'electron';
import type { RendererSource } from './bundle.ts';
import type { WindowPlacement } from './window-state.ts';

export const WINDOW_TITLE = 'Lead Importer';
const LIGHT_BACKGROUND = '#ffffff';
const DARK_BACKGROUND = '#1e1e1e';

/** The first window's size, and the smallest the screens are laid out for. */
export const WINDOW_SIZE = { width: 1280, height: 840, minWidth: 960, minHeight: 600 } as const;

export function mainWindowOptions(
  preloadPath: string,
  theme: { readonly prefersDark: boolean },
  placement: WindowPlacement = { width: WINDOW_SIZE.width, height: WINDOW_SIZE.height, maximized: false },
): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    minWidth: WINDOW_SIZE.minWidth,
    minHeight: WINDOW_SIZE.minHeight,
    // Painted before the page loads, so no white flash in dark mode.
    backgroundColor: theme.prefersDark ? DARK_BACKGROUND : LIGHT_BACKGROUND,
    // Shown on 'ready-to-show', not as an empty frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A file dropped outside the drop zone must not replace the page with file://….
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      safeDialogs: true,
    },
  };
}

/** The parts of a BrowserWindow this module drives. */
export interface WindowLike {
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  maximize(): void;
}

export interface WindowFactory<W extends WindowLike> {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  readonly nativeTheme: { readonly shouldUseDarkColors: boolean };
}

export interface CreatedWindow<W> {
  readonly window: W;
  /** Settles when the page has loaded (rejects if it could not be loaded). */
  readonly loaded: Promise<void>;
}

export function createMainWindow<W extends WindowLike>(
  electron: WindowFactory<W>,
  options: { readonly preloadPath: string; readonly renderer: RendererSource; readonly placement?: WindowPlacement },
): CreatedWindow<W> {
  const window = new electron.BrowserWindow(
    mainWindowOptions(options.preloadPath, { prefersDark: electron.nativeTheme.shouldUseDarkColors }, options.placement),
  );
  // Maximised before it is shown: no normal-size frame first.
  if (options.placement?.maximized === true) window.maximize();
  window.once('ready-to-show', () => window.show());
  // Never loadFile: a file:// page's 'self' is every local file (main/app-protocol.ts).
  const loaded = window.loadURL(options.renderer.url);
  return { window, loaded };
}
