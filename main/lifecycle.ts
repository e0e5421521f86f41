// The app's life: one instance, files opened from outside, and once Electron is ready the
// security setup, the credential store, the desktop service (imports and runs), the bridge's
// handlers, the menu and the window, in that order (handlers exist before the page can call
// them); quitting waits for live runs to stop. Electron is passed in, so tests run this with
// the double.
import type { Handlers } from '../app/shared/contract-kit.ts';
import { contract, type ImporterContract } from '../app/shared/contract.ts';
import { createDesktopService, type DesktopService } from '../app/desktop/service.ts';
import { applyDesktopHeapPolicy } from '../app/desktop/heap-policy.ts';
import { registerAppScheme, serveRenderer, type ProtocolLike } from './app-protocol.ts';
import { bundlePaths, isOwnRendererUrl, rendererSource } from './bundle.ts';
import { createCredentialStore, type CredentialStore, type SafeStorageLike } from './credentials.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import { desktopDataDir, forwardEvents, quitAfterClosing } from './desktop-wiring.ts';
import { createDialogs, type DialogLike } from './dialogs.ts';
import { safelyOpenExternal, type ShellLike } from './external-links.ts';
import { createFileAccess } from './file-access.ts';
import { shellHandlers } from './handlers.ts';
import { registerHandlers, sendEvent, trustedSender, type EventTarget, type IpcMainLike } from './ipc.ts';
import { installMenu, type MenuActions, type MenuModule } from './menu.ts';
import { createOpenedFiles, filesFromArgv, type OpenedFiles } from './opened-files.ts';
import { join } from 'node:path';
import { createRecentFiles, RECENT_FILES_FILE, type RecentFiles } from './recent-files.ts';
import { makeScrubber } from '../app/shared/redact.ts';
import { hardenSession, hardenWebContents, type ContentsLike, type PreventableEvent, type SessionLike } from './security.ts';
import { createMainWindow, WINDOW_SIZE, type WindowFactory, type WindowLike } from './window.ts';
import { placement, readWindowState, rememberWindowState, type Bounds, type StatefulWindow } from './window-state.ts';

export interface MainWebContents extends EventTarget {
  readonly id: number;
  on(event: 'did-start-loading', listener: () => void): unknown;
}

export interface MainWindow extends WindowLike, StatefulWindow {
  readonly webContents: MainWebContents;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  on(event: 'closed' | 'close' | 'resized' | 'moved' | 'maximize' | 'unmaximize', listener: () => void): unknown;
}

export interface AppLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  enableSandbox(): void;
  whenReady(): Promise<void>;
  quit(): void;
  getName(): string;
  getVersion(): string;
  getPath(name: 'userData' | 'documents'): string;
  addRecentDocument(path: string): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
  on(event: 'open-file', listener: (event: PreventableEvent, path: string) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: ContentsLike) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
}

/** The electron main-process modules the app uses, as narrow as they can be. */
export interface MainElectron<W extends MainWindow = MainWindow> extends WindowFactory<W> {
  readonly app: AppLike;
  readonly ipcMain: IpcMainLike;
  readonly dialog: DialogLike<W>;
  readonly shell: ShellLike;
  readonly safeStorage: SafeStorageLike;
  readonly session: { readonly defaultSession: SessionLike };
  readonly protocol: ProtocolLike;
  readonly Menu: MenuModule<unknown>;
  /** Where displays are: a remembered window position is used only if one shows it. */
  readonly screen: { getAllDisplays(): readonly { readonly workArea: Bounds }[] };
}

export interface LaunchEnvironment {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly platform: NodeJS.Platform;
  /** process.defaultApp: started as `electron .` (argv[1] is the app folder). */
  readonly isDefaultApp: boolean;
  /** The folder of the built main script (out/main). */
  readonly mainDir: string;
  /** ELECTRON_RENDERER_URL from `electron-vite dev`; ignored when packaged. */
  readonly devServerUrl: string | undefined;
  /** Environment variables (LEAD_IMPORTER_HOME); process.env when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Sets V8 flags of this process (app/desktop/heap-policy.ts); node:v8's setFlagsFromString when absent. */
  readonly setV8Flags?: (flags: string) => void;
}

export interface RunningApp<W> {
  window(): W | null;
  readonly recentFiles: RecentFiles;
  /** Settles when the window state and the recent files are on disk (tests, before removing userData). */
  settled(): Promise<void>;
  readonly credentials: CredentialStore;
  readonly openedFiles: OpenedFiles;
  /** Imports and runs (app/desktop/service.ts). */
  readonly service: DesktopService;
}

/** Resolves to null in a second instance, which hands its files to the first and quits. */
export async function startApp<W extends MainWindow>(electron: MainElectron<W>, env: LaunchEnvironment): Promise<RunningApp<W> | null> {
  const { app, shell } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Before the service holds anything: the heap follows what is live more closely.
  applyDesktopHeapPolicy(env.setV8Flags);
  // Every renderer sandboxed, whatever a future window forgets to set.
  app.enableSandbox();
  // Privileges of app:// must be declared before 'ready'.
  registerAppScheme(electron.protocol);

  const paths = bundlePaths(env.mainDir);
  const renderer = rendererSource(paths, { isPackaged: app.isPackaged, devServerUrl: env.devServerUrl });
  const isOwnUrl = (url: string): boolean => isOwnRendererUrl(url, renderer);
  const openExternal = (url: string): Promise<boolean> => safelyOpenExternal(shell, url).catch(() => false);

  let mainWindow: W | null = null;
  const liveWindow = (): W | null => (mainWindow !== null && !mainWindow.isDestroyed() ? mainWindow : null);

  // The files the page may have main read or write: the user's choices only.
  const files = createFileAccess();
  const dialogs = createDialogs(electron.dialog, { window: liveWindow, defaultDirectory: () => app.getPath('documents'), files });
  const openedFiles = createOpenedFiles((path) => {
    const window = liveWindow();
    return window !== null && sendEvent(window.webContents, contract, 'file:opened', { path });
  });
  // Given from outside: readable from now on, except a network or device path (the page is
  // still told, and opening it says to use the Open dialog).
  const openFile = (path: string): void => {
    files.allowReading(path, 'outside');
    dialogs.noteOpenedFile(path);
    openedFiles.add(path);
  };

  // Registered before 'ready': macOS sends 'open-file' for the file that launched the app early.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFile(path);
  });
  for (const path of filesFromArgv(env.argv, { isDefaultApp: env.isDefaultApp, workingDirectory: env.cwd })) openFile(path);
  app.on('second-instance', (_event, argv, workingDirectory) => {
    for (const path of filesFromArgv(argv, { isDefaultApp: env.isDefaultApp, workingDirectory })) openFile(path);
    const window = liveWindow();
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { isOwnUrl, openExternal: (url) => void openExternal(url) });
  });
  app.on('window-all-closed', () => {
    if (env.platform !== 'darwin') app.quit();
  });

  await app.whenReady();

  // Under the dev server the HMR client needs inline scripts and a websocket: the header is
  // for the bundled page (the meta tag of the built page carries the same policy).
  hardenSession(electron.session.defaultSession, {
    contentSecurityPolicy: renderer.kind === 'bundled' ? CONTENT_SECURITY_POLICY : null,
    isOwnUrl,
  });
  if (renderer.kind === 'bundled') serveRenderer(electron.protocol, renderer.dir);

  const credentials = createCredentialStore({
    safeStorage: electron.safeStorage,
    directory: app.getPath('userData'),
    platform: env.platform,
  });
  const service = createDesktopService({
    dataDir: desktopDataDir(app.getPath('userData'), env.env ?? process.env, env.cwd),
    getToken: async (environment) => (await credentials.getKeyForRun(environment)) ?? undefined,
    // Main's own modal dialog: the page's confirmation screen is a first step, never the gate.
    confirmProduction: (request) => dialogs.confirmProduction(request),
  });
  forwardEvents(service, () => liveWindow()?.webContents ?? null);
  // Live runs are cancelled before the app goes: their journals keep them resumable.
  app.on(
    'before-quit',
    quitAfterClosing(service, () => app.quit()),
  );
  const menuOptions = { platform: env.platform, isPackaged: app.isPackaged, appName: app.getName() };
  const menuActions: MenuActions = {
    sendCommand: (command) => {
      const window = liveWindow();
      if (window !== null) sendEvent(window.webContents, contract, 'menu:command', { command });
    },
    openExternal: (url) => void openExternal(url),
    openRecent: (path) => openFile(path),
  };
  const recentFiles = createRecentFiles({
    file: join(app.getPath('userData'), RECENT_FILES_FILE),
    addRecentDocument: (path) => app.addRecentDocument(path),
    onChange: (recent) => installMenu(electron.Menu, { ...menuOptions, recentFiles: recent }, menuActions),
    onError: (e) =>
      console.error(`Lead Importer: the list of recent files could not be saved (${e instanceof Error ? e.message : String(e)})`),
  });
  await recentFiles.load();
  const openImport = service.handlers['import:open'];
  const handlers: Handlers<ImporterContract> = {
    ...shellHandlers({
      appInfo: { name: app.getName(), version: app.getVersion(), platform: env.platform },
      dialogs,
      credentials,
      openedFiles,
      recentFiles,
      openFile,
      openExternal,
    }),
    ...service.handlers,
    // A file that opened becomes a recent file (one that failed to open does not).
    'import:open': async (request) => {
      const overview = await openImport(request);
      recentFiles.add(request.path);
      return overview;
    },
  };
  registerHandlers(electron.ipcMain, contract, handlers, {
    isTrustedSender: trustedSender(() => liveWindow()?.webContents ?? null, isOwnUrl),
    scrub: makeScrubber(() => credentials.secretsInMemory()),
    files,
  });

  installMenu(electron.Menu, { ...menuOptions, recentFiles: recentFiles.list() }, menuActions);

  const userData = app.getPath('userData');
  let windowState = await readWindowState(userData);
  let windowMemory: { readonly saved: () => Promise<void> } | null = null;
  const openWindow = (): void => {
    const where = placement(
      windowState,
      electron.screen.getAllDisplays().map((d) => d.workArea),
      WINDOW_SIZE,
    );
    const { window, loaded } = createMainWindow(electron, { preloadPath: paths.preload, renderer, placement: where });
    mainWindow = window;
    windowMemory = rememberWindowState(window, userData, {
      onState: (state) => {
        windowState = state;
      },
      onError: (e) =>
        console.error(`Lead Importer: the window's size and position could not be saved (${e instanceof Error ? e.message : String(e)})`),
    });
    // A reload drops the page's listeners: files wait again until it asks for them.
    window.webContents.on('did-start-loading', () => openedFiles.detach());
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
      openedFiles.detach();
    });
    loaded.catch((e: unknown) => {
      console.error(`Lead Importer: the window's page could not be loaded (${e instanceof Error ? e.message : String(e)})`);
    });
  };
  openWindow();
  app.on('activate', () => {
    if (liveWindow() === null) openWindow();
  });

  const settled = async (): Promise<void> => {
    await windowMemory?.saved();
    await recentFiles.saved();
  };
  return { window: liveWindow, recentFiles, settled, credentials, openedFiles, service };
}
