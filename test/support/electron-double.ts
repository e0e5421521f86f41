// A small, honest stand-in for the `electron` module (the Electron runtime cannot be
// downloaded on our machines). It implements only what main/ uses, the way Electron documents
// it, and records what happened so tests can assert behaviour:
// - pass its parts to the modules that take electron as a parameter, or
// - replace the module: `vi.mock('electron', () => import('../../support/electron-double.ts'))`.
// Nothing here proves anything about Electron itself; it proves what our code does with it.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  BrowserWindowConstructorOptions,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  OpenDialogOptions,
  SaveDialogOptions,
} from 'electron';

// ---------------------------------------------------------------------------------------------
// Events

/** Electron's preventable event: handlers call preventDefault(), tests read defaultPrevented. */
export class PreventableEventDouble {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class NavigationEventDouble extends PreventableEventDouble {
  constructor(
    readonly url: string,
    readonly isMainFrame = true,
  ) {
    super();
  }
}

// ---------------------------------------------------------------------------------------------
// webContents and windows

export interface FrameDouble {
  url: string;
  parent: FrameDouble | null;
}

type WindowOpenHandler = (details: { readonly url: string }) => { action: 'allow' | 'deny' };

let nextWebContentsId = 1;

export class WebContentsDouble extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly mainFrame: FrameDouble = { url: 'about:blank', parent: null };
  /** Every `send(channel, ...args)`, in order. */
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  /** Chromium's default lets WebRTC gather every local address and use UDP directly. */
  webRTCIPHandlingPolicy:
    'default' | 'default_public_interface_only' | 'default_public_and_private_interfaces' | 'disable_non_proxied_udp' = 'default';
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
    if (ipcRenderer.connectedTo === this) ipcRenderer.deliver(channel, args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  setWebRTCIPHandlingPolicy(policy: WebContentsDouble['webRTCIPHandlingPolicy']): void {
    this.webRTCIPHandlingPolicy = policy;
  }
  getWebRTCIPHandlingPolicy(): string {
    return this.webRTCIPHandlingPolicy;
  }

  /** The page is shown at `url` (what loadFile/loadURL does once loaded). */
  showPage(url: string): void {
    this.emit('did-start-loading');
    this.mainFrame.url = url;
  }
  /** The page (or the user) tries to navigate: true when our code let it through. */
  tryNavigate(url: string, event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' = 'will-navigate'): boolean {
    const e = new NavigationEventDouble(url);
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
  /** `window.open(url)` or a target=_blank link. */
  tryOpenWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler === null ? 'allow' : this.windowOpenHandler({ url }).action;
  }
  /** A `<webview>` is about to be attached: true when our code let it through. */
  tryAttachWebview(src: string): boolean {
    const e = new PreventableEventDouble();
    this.emit('will-attach-webview', e, {}, { src });
    return !e.defaultPrevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.isDestroyed());
  }

  readonly options: BrowserWindowConstructorOptions;
  readonly webContents = new WebContentsDouble();
  loadedFile: string | null = null;
  loadedUrl: string | null = null;
  visible = false;
  minimized = false;
  maximized = false;
  focused = false;
  /** The bounds when not maximised (what the user dragged and resized to). */
  normalBounds: { x: number; y: number; width: number; height: number };
  private destroyed = false;

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    this.options = options;
    this.normalBounds = { x: options.x ?? 100, y: options.y ?? 80, width: options.width ?? 800, height: options.height ?? 600 };
    BrowserWindow.instances.push(this);
    // Electron announces every new webContents on app.
    app.emit('web-contents-created', new PreventableEventDouble(), this.webContents);
  }

  async loadFile(path: string): Promise<void> {
    this.loadedFile = path;
    this.webContents.showPage(pathToFileURL(path).href);
    this.emit('ready-to-show');
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.showPage(url);
    this.emit('ready-to-show');
  }
  show(): void {
    this.visible = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.normalBounds };
  }
  /** Like the user finishing a drag or a resize (Electron's 'moved' / 'resized'). */
  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>): void {
    const moved = bounds.x !== undefined || bounds.y !== undefined;
    this.normalBounds = { ...this.normalBounds, ...bounds };
    this.emit(moved ? 'moved' : 'resized');
  }
  focus(): void {
    this.focused = true;
  }
  close(): void {
    if (this.destroyed) return;
    this.emit('close', new PreventableEventDouble());
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

// ---------------------------------------------------------------------------------------------
// app

class AppDouble extends EventEmitter {
  isPackaged = false;
  /** What requestSingleInstanceLock() answers (false: another instance runs). */
  singleInstanceLock = true;
  sandboxEnabled = false;
  quitCalls = 0;
  exitCodes: number[] = [];
  paths: Record<string, string> = {};
  /** What app.addRecentDocument was given (the OS's recent documents). */
  recentDocuments: string[] = [];
  private ready = false;
  private held: Promise<void> | null = null;
  private resolveHeld: () => void = () => undefined;

  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() must be called before the ready event');
    this.sandboxEnabled = true;
  }
  /** Like Electron starting up: ready comes on its own, unless a test holds it back. */
  whenReady(): Promise<void> {
    if (this.held !== null) return this.held;
    if (!this.ready) this.becomeReady();
    return Promise.resolve();
  }
  isReady(): boolean {
    return this.ready;
  }
  /** Ready waits for `becomeReady()` (tests of what happens before 'ready'). */
  holdReady(): void {
    this.held = new Promise((resolve) => {
      this.resolveHeld = resolve;
    });
  }
  becomeReady(): void {
    this.ready = true;
    this.held = null;
    this.resolveHeld();
    this.emit('ready');
  }
  quit(): void {
    this.quitCalls += 1;
  }
  exit(code = 0): void {
    this.exitCodes.push(code);
  }
  getName(): string {
    return 'Lead Importer';
  }
  getVersion(): string {
    return '0.1.0';
  }
  addRecentDocument(path: string): void {
    this.recentDocuments.push(path);
  }
  getPath(name: string): string {
    const path = this.paths[name];
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  reset(root: string): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.singleInstanceLock = true;
    this.sandboxEnabled = false;
    this.quitCalls = 0;
    this.exitCodes = [];
    this.recentDocuments = [];
    this.paths = { userData: join(root, 'userData'), documents: join(root, 'Documents'), temp: join(root, 'tmp') };
    for (const path of Object.values(this.paths)) mkdirSync(path, { recursive: true });
    this.ready = false;
    this.held = null;
  }
}

export const app = new AppDouble();

// ---------------------------------------------------------------------------------------------
// IPC

export interface InvokeEventDouble {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameDouble | null;
  readonly frameId: number;
  readonly processId: number;
  readonly type: 'frame';
}

type InvokeListener = (event: InvokeEventDouble, ...args: unknown[]) => unknown;

class IpcMainDouble extends EventEmitter {
  readonly handlers = new Map<string, InvokeListener>();

  handle(channel: string, listener: InvokeListener): void {
    // Electron refuses a second handler for a channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke does: rejects when no handler is registered. */
  async invoke(event: InvokeEventDouble, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    // Arguments cross by structured clone, as in Electron.
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
  reset(): void {
    this.handlers.clear();
    this.removeAllListeners();
  }
}

export const ipcMain = new IpcMainDouble();

/** An invoke event as Electron builds it, from a webContents and the frame that sent it. */
export function invokeEventFrom(
  sender: { id: number; mainFrame: FrameDouble },
  frame: FrameDouble | null = sender.mainFrame,
): InvokeEventDouble {
  return { sender: { id: sender.id }, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' };
}

type RendererListener = (event: unknown, ...args: unknown[]) => void;

class IpcRendererDouble {
  /** The webContents this renderer belongs to: its invokes come from there, its sends arrive here. */
  connectedTo: WebContentsDouble | null = null;
  private readonly listeners = new Map<string, RendererListener[]>();

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    if (this.connectedTo === null) throw new Error('ipcRenderer double: connect it to a webContents first');
    return ipcMain.invoke(invokeEventFrom(this.connectedTo), channel, ...args);
  }
  on(channel: string, listener: RendererListener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  removeListener(channel: string, listener: RendererListener): this {
    const list = this.listeners.get(channel) ?? [];
    const index = list.indexOf(listener);
    if (index >= 0) this.listeners.set(channel, [...list.slice(0, index), ...list.slice(index + 1)]);
    return this;
  }
  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.length ?? 0;
  }
  /** A message from main: listeners get an IpcRendererEvent (whose `sender` is ipcRenderer) first. */
  deliver(channel: string, args: readonly unknown[]): void {
    const event = { sender: this, senderId: 0, ports: [] as unknown[] };
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...structuredClone(args));
  }
  reset(): void {
    this.connectedTo = null;
    this.listeners.clear();
  }
}

export const ipcRenderer = new IpcRendererDouble();

class ContextBridgeDouble {
  /** What the page's main world received, by key. */
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (this.exposed.has(apiKey)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${apiKey}`);
    this.exposed.set(apiKey, api);
  }
  reset(): void {
    this.exposed.clear();
  }
}

export const contextBridge = new ContextBridgeDouble();

class WebUtilsDouble {
  private readonly paths = new WeakMap<File, string>();
  /** A File as a drop gives it: backed by `path` on disk. */
  fileAt(path: string): File {
    const file = new File([], path.split(/[\\/]/).pop() ?? 'file');
    this.paths.set(file, path);
    return file;
  }
  getPathForFile(file: File): string {
    if (!(file instanceof File)) throw new TypeError('getPathForFile: expected a File');
    return this.paths.get(file) ?? '';
  }
}

export const webUtils = new WebUtilsDouble();

// ---------------------------------------------------------------------------------------------
// safeStorage: reversible fake encryption; the ciphertext never contains the plain text.

const FAKE_HEADER = Buffer.from('dbl10');

class SafeStorageDouble {
  available = true;
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret';
  /** Answer `shouldReEncrypt: true` on decryption (the OS rotated its key). */
  rotateKey = false;
  encryptCalls = 0;
  decryptCalls = 0;

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.available) throw new Error('Encryption is not available.');
    this.encryptCalls += 1;
    const bytes = Buffer.from(plainText, 'utf8');
    return Buffer.concat([FAKE_HEADER, bytes.map((b, i) => b ^ ((0xa5 + i) % 256))]);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    if (!this.available) throw new Error('Decryption is not available.');
    if (!encrypted.subarray(0, FAKE_HEADER.length).equals(FAKE_HEADER))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    this.decryptCalls += 1;
    const body = encrypted.subarray(FAKE_HEADER.length);
    return { shouldReEncrypt: this.rotateKey, result: Buffer.from(body.map((b, i) => b ^ ((0xa5 + i) % 256))).toString('utf8') };
  }
  reset(): void {
    this.available = true;
    this.backend = 'gnome_libsecret';
    this.rotateKey = false;
    this.encryptCalls = 0;
    this.decryptCalls = 0;
  }
}

export const safeStorage = new SafeStorageDouble();

// ---------------------------------------------------------------------------------------------
// dialog, shell, nativeTheme

class DialogDouble {
  readonly calls: {
    kind: 'open' | 'save' | 'message';
    window: unknown;
    options: OpenDialogOptions | SaveDialogOptions | MessageBoxOptions;
  }[] = [];
  /** What the user picks next; null: cancels. */
  nextOpen: string | null = null;
  nextSave: string | null = null;
  /** The buttons the user clicks in the next message boxes, by index; none left: Escape (cancelId). */
  readonly messageBoxClicks: number[] = [];

  async showOpenDialog(window: unknown, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.calls.push({ kind: 'open', window, options });
    const pick = this.nextOpen;
    return pick === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [pick] };
  }
  async showSaveDialog(window: unknown, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath: string }> {
    this.calls.push({ kind: 'save', window, options });
    const pick = this.nextSave;
    return pick === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: pick };
  }
  async showMessageBox(window: unknown, options: MessageBoxOptions): Promise<{ response: number; checkboxChecked: boolean }> {
    this.calls.push({ kind: 'message', window, options });
    // Escape answers cancelId; without one, Electron picks a "cancel"-labelled button, else 0.
    const escape =
      options.cancelId ??
      Math.max(
        0,
        (options.buttons ?? []).findIndex((b) => /^(cancel|no)$/i.test(b)),
      );
    return { response: this.messageBoxClicks.shift() ?? escape, checkboxChecked: false };
  }
  reset(): void {
    this.calls.length = 0;
    this.nextOpen = null;
    this.nextSave = null;
    this.messageBoxClicks.length = 0;
  }
}

export const dialog = new DialogDouble();

class ShellDouble {
  readonly opened: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
  reset(): void {
    this.opened.length = 0;
  }
}

export const shell = new ShellDouble();

export const nativeTheme = { shouldUseDarkColors: false };

// ---------------------------------------------------------------------------------------------
// screen

class ScreenDouble {
  /** One 1920×1080 display unless a test plugs in others. */
  displays: { workArea: { x: number; y: number; width: number; height: number } }[] = [];
  getAllDisplays(): { workArea: { x: number; y: number; width: number; height: number } }[] {
    return this.displays;
  }
  reset(): void {
    this.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  }
}

export const screen = new ScreenDouble();

// ---------------------------------------------------------------------------------------------
// Menu

export class MenuItem {
  readonly label: string | undefined;
  readonly role: MenuItemConstructorOptions['role'];
  readonly type: MenuItemConstructorOptions['type'];
  readonly accelerator: MenuItemConstructorOptions['accelerator'];
  readonly submenu: Menu | null;
  readonly enabled: boolean;
  private readonly onClick: MenuItemConstructorOptions['click'];

  constructor(options: MenuItemConstructorOptions) {
    this.label = options.label;
    this.enabled = options.enabled ?? true;
    this.role = options.role;
    this.type = options.type ?? (options.submenu === undefined ? 'normal' : 'submenu');
    this.accelerator = options.accelerator;
    const submenu = options.submenu;
    if (submenu === undefined) this.submenu = null;
    else if (Array.isArray(submenu)) this.submenu = Menu.buildFromTemplate(submenu);
    else if ((submenu as unknown) instanceof Menu) this.submenu = submenu as unknown as Menu;
    else throw new TypeError('MenuItem double: submenu must be a template or a Menu built by the double');
    this.onClick = options.click;
  }
  /** What a click (or the accelerator) does. */
  click(): void {
    this.onClick?.(this as never, undefined, {} as never);
  }
}

export class Menu {
  static applicationMenu: Menu | null = null;
  readonly items: MenuItem[] = [];

  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu {
    const menu = new Menu();
    for (const options of template) menu.items.push(new MenuItem(options));
    return menu;
  }
  static setApplicationMenu(menu: Menu | null): void {
    Menu.applicationMenu = menu;
  }
  static getApplicationMenu(): Menu | null {
    return Menu.applicationMenu;
  }
  /** Every item of this menu and its submenus, depth first. */
  allItems(): MenuItem[] {
    return this.items.flatMap((item) => [item, ...(item.submenu?.allItems() ?? [])]);
  }
}

// ---------------------------------------------------------------------------------------------
// protocol

interface CustomSchemeDouble {
  readonly scheme: string;
  readonly privileges?: Readonly<Record<string, boolean>>;
}
type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class ProtocolDouble {
  /** What registerSchemesAsPrivileged received (Electron takes one call, before ready). */
  privileged: CustomSchemeDouble[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();

  registerSchemesAsPrivileged(schemes: CustomSchemeDouble[]): void {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before the app is ready');
    this.privileged = [...schemes];
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!app.isReady()) throw new Error('protocol.handle should be called after the app is ready');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
  /** What the page's request for `url` gets (Chromium parses the URL first, as here). */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.handlers.get(scheme);
    if (handler === undefined) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${scheme})`);
    return handler(new Request(url, init));
  }
  reset(): void {
    this.privileged = [];
    this.handlers.clear();
  }
}

export const protocol = new ProtocolDouble();

// ---------------------------------------------------------------------------------------------
// session

interface HeadersDetails {
  readonly url: string;
  readonly resourceType: string;
  readonly responseHeaders?: Record<string, string[]>;
}
type HeadersListener = (details: HeadersDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void;

class DownloadItemDouble {
  cancelled = false;
  constructor(readonly url: string) {}
  cancel(): void {
    this.cancelled = true;
  }
  getURL(): string {
    return this.url;
  }
}

class SessionDouble extends EventEmitter {
  permissionRequestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  private headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener): void => {
      this.headersListener = listener;
    },
  };

  setPermissionRequestHandler(handler: SessionDouble['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: SessionDouble['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  /** A page asks for a permission. Without a handler Electron grants it: so does the double. */
  requestPermission(permission: string, webContents: unknown = null): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (handler === null) return Promise.resolve(true);
    return new Promise((resolve) => handler(webContents, permission, resolve));
  }
  checkPermission(permission: string, webContents: unknown = null): boolean {
    return this.permissionCheckHandler === null ? true : this.permissionCheckHandler(webContents, permission);
  }
  /**
   * A page starts a download (a link with `download`, a navigation to a file): Electron emits
   * 'will-download'; preventDefault (or item.cancel()) stops it. Without a listener it goes on.
   */
  tryDownload(url: string, webContents: unknown = null): { started: boolean; item: DownloadItemDouble } {
    const event = new PreventableEventDouble();
    const item = new DownloadItemDouble(url);
    this.emit('will-download', event, item, webContents);
    return { started: !event.defaultPrevented && !item.cancelled, item };
  }
  /** A response arrives: the headers the page ends up with. */
  receiveHeaders(details: HeadersDetails): Promise<Record<string, string[]>> {
    const listener = this.headersListener;
    const original = details.responseHeaders ?? {};
    if (listener === null) return Promise.resolve(original);
    return new Promise((resolve) => listener(details, (response) => resolve(response.responseHeaders ?? original)));
  }
  reset(): void {
    this.permissionRequestHandler = null;
    this.permissionCheckHandler = null;
    this.headersListener = null;
    this.removeAllListeners();
  }
}

export const session = { defaultSession: new SessionDouble() };

// ---------------------------------------------------------------------------------------------
// Control

let root: string | null = null;

export const electronDouble = {
  /** Fresh state and fresh temporary folders for app.getPath(). Call in beforeEach. */
  reset(): void {
    electronDouble.cleanup();
    root = mkdtempSync(join(tmpdir(), 'lead-importer-electron-double-'));
    app.reset(root);
    BrowserWindow.instances.length = 0;
    ipcMain.reset();
    ipcRenderer.reset();
    contextBridge.reset();
    safeStorage.reset();
    dialog.reset();
    shell.reset();
    nativeTheme.shouldUseDarkColors = false;
    screen.reset();
    Menu.applicationMenu = null;
    session.defaultSession.reset();
    protocol.reset();
  },
  /** Removes the temporary folders. Call in afterEach. */
  cleanup(): void {
    // Retries: a window closed by the test may still be saving its state (main/window-state.ts).
    if (root !== null) rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    root = null;
  },
  /** The renderer of `contents`: ipcRenderer.invoke comes from it, contents.send reaches it. */
  connectRenderer(contents: WebContentsDouble): void {
    ipcRenderer.connectedTo = contents;
  },
};

export default {
  app,
  BrowserWindow,
  ipcMain,
  ipcRenderer,
  contextBridge,
  webUtils,
  safeStorage,
  dialog,
  shell,
  nativeTheme,
  screen,
  Menu,
  MenuItem,
  session,
  protocol,
};
