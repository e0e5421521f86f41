// Electron's security checklist (docs/tutorial/security.md), item by item, for Lead Importer.
// Every item of the checklist is listed; each has a check here that complements the tests that
// already cover it (named in `alsoCoveredBy`, not repeated). Where an item does not apply, the
// check proves why. Main-process code runs against test/support/electron-double.ts: nothing
// here ran in Electron.
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as E from 'fp-ts/Either';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../../app/shared/contract-kit.ts';
import { contract, type ImporterContract } from '../../../app/shared/contract.ts';
import { bundlePaths, isOwnRendererUrl, rendererSource } from '../../../main/bundle.ts';
import { CONTENT_SECURITY_POLICY } from '../../../main/csp.ts';
import { safelyOpenExternal } from '../../../main/external-links.ts';
import { createFileAccess } from '../../../main/file-access.ts';
import { shellHandlers } from '../../../main/handlers.ts';
import { registerHandlers, trustedSender } from '../../../main/ipc.ts';
import { startApp, type LaunchEnvironment } from '../../../main/lifecycle.ts';
import { BRIDGE_KEY, buildPreloadApi, exposeBridge } from '../../../main/preload-bridge.ts';
import { hardenSession, hardenWebContents } from '../../../main/security.ts';
import { createMainWindow } from '../../../main/window.ts';
import { referencedAssets, runtimeImports } from '../../integration/packaging/support/asar-archive.ts';
import { pinnedElectronVersion, readBuilderConfig } from '../../integration/packaging/support/builder-config.ts';
import { ensureBuilt, ROOT } from '../../integration/packaging/support/built-app.ts';
import * as electron from '../../support/electron-double.ts';
import { ApiKeyText } from '../../../app/shared/contract.ts';
import { isProductionEnvironment, resolveBaseUrl } from '../../../app/propexo/base-url.ts';
import { MIN_SECRET_LENGTH, REDACTED, makeRedactor } from '../../../app/shared/redact.ts';
import { neutralizeFormula, restoreNeutralized } from '../../../app/report/csv-safety.ts';
import { createStagedFile } from '../../../app/report/staged-file.ts';
import { keyInPaths } from '../../../app/run/key-in-identifiers.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, nodeRunFs } from '../../../app/run/run-fs.ts';
import { serverForRun } from '../../../app/run/run-server.ts';
import { headerInput } from '../run/fixtures.ts';

const {
  app,
  BrowserWindow,
  contextBridge,
  electronDouble,
  invokeEventFrom,
  ipcMain,
  ipcRenderer,
  nativeTheme,
  session,
  shell,
  WebContentsDouble,
} = electron;

vi.mock('electron', () => import('../../support/electron-double.ts'));

const MAIN_DIR = '/opt/Lead Importer/resources/app.asar/out/main';
const paths = bundlePaths(MAIN_DIR);
const page = rendererSource(paths, { isPackaged: true });
const isOwnUrl = (url: string): boolean => isOwnRendererUrl(url, page);
const openExternal = (url: string): Promise<boolean> => safelyOpenExternal(shell, url).catch(() => false);

/**
 * Everything the page may call on `window.importer`. Adding a request to the bridge hands the
 * page a new power: review its handler (sender check, argument codec, what it returns), then
 * add its method here.
 */
const PRELOAD_ALLOWLIST: readonly string[] = [
  // the shell: app, files opened from outside, dialogs, credentials, links
  'appInfo',
  'takePendingFiles',
  'openFileDialog',
  // Reviewed: the paths of files the user opened (main's list), and opening one of those only.
  'recentFiles',
  'openRecentFile',
  'openMappingDialog',
  'saveFileDialog',
  'credentialsStatus',
  'setCredentials',
  'clearCredentials',
  'testCredentials',
  'openExternal',
  // import: open, map, review
  'listFields',
  'openImport',
  // reviewed: the file of an import already open, read another way (no path given)
  'reopenImport',
  'closeImport',
  'setMapping',
  // reviewed: a column of an import already open (an id and an index; no path, no file of its own)
  'columnValues',
  'loadMapping',
  'saveMapping',
  'validateImport',
  'reviewRows',
  'editCell',
  'exportImportErrors',
  // Reads only (the check against Propexo, its scope lists, the changes preview and its price): no path, no key.
  'checkOnline',
  'listIntegrations',
  'listProperties',
  'changesCost',
  'importChanges',
  // runs
  'startRun',
  'pauseRun',
  'resumeRun',
  'cancelRun',
  'runProgress',
  'runRows',
  'exportResults',
  'exportRunErrors',
  'retryRun',
  // A run id (and `force`); an undo writing to Production is confirmed in main like any run.
  'undoPlan',
  'undoRun',
  'listRuns',
  'resumeInterrupted',
  'recheckRun',
  'openRun',
  // utilities
  'on',
  'pathForDroppedFile',
];

/** Links the page (or a link in it) might try to open, none of which may reach the OS. */
const REFUSED_LINKS: readonly string[] = [
  'file:///etc/passwd',
  'file:///C:/Windows/System32/calc.exe',
  'file://attacker.example/share/payload.exe',
  'smb://attacker.example/share/payload.exe',
  '\\\\attacker.example\\share\\payload.exe',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'ms-msdt:/id PCWDiagnostic /skip force',
  'search-ms:query=invoice&crumb=location:\\\\attacker.example\\share',
  'vscode://file/etc/passwd',
  'slack://open',
  'mailto:ann@example.com',
  'http://docs.propexo.com/',
  'https://evil.example/',
  'https://docs.propexo.com.evil.example/',
  'https://docs.propexo.com@evil.example/',
  'https://api.propexo.com/v1/leads',
];

/** Places a navigation might try to take our window. */
const FOREIGN_PAGES: readonly string[] = [
  'https://evil.example/',
  'http://127.0.0.1:5173/',
  'file:///etc/passwd',
  'file:///opt/Lead%20Importer/resources/app.asar/out/renderer/index.html',
  'file:///opt/Lead%20Importer/resources/app.asar/out/renderer/other.html',
  'app://lead-importer/other.html',
  'app://evil.example/index.html',
  'file://attacker.example/opt/Lead%20Importer/resources/app.asar/out/renderer/index.html',
  'about:blank',
  'data:text/html,<h1>x</h1>',
  'javascript:alert(1)',
  'chrome://gpu',
  'devtools://devtools/bundled/inspector.html',
];

interface ChecklistItem {
  /** The item's number in Electron's checklist. */
  readonly n: number;
  readonly title: string;
  /** true, or why the item does not (fully) apply; the check then proves that premise. */
  readonly applies: true | string;
  /** The tests that already cover the item; the check here adds to them. */
  readonly alsoCoveredBy: readonly string[];
  readonly check: () => void | Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function builtFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

function builtRendererScripts(): string[] {
  const dir = join(ROOT, 'out', 'renderer', 'assets');
  return readdirSync(dir)
    .filter((f) => /\.m?js$/.test(f))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

function cspDirectives(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\b[^>]*>/gis)]
    .map((m) => m[0])
    .filter((tag) => /http-equiv\s*=\s*"Content-Security-Policy"/i.test(tag));
  expect(metas).toHaveLength(1);
  const content = /content\s*=\s*"([^"]*)"/i.exec(metas[0])?.[1] ?? '';
  expect(content).toBe(CONTENT_SECURITY_POLICY);
  return new Map(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

/** The webPreferences the BrowserWindow constructor actually receives. */
function createdWindowPreferences(): NonNullable<InstanceType<typeof BrowserWindow>['options']['webPreferences']> {
  const { window } = createMainWindow({ BrowserWindow, nativeTheme }, { preloadPath: paths.preload, renderer: page });
  const prefs = window.options.webPreferences;
  if (prefs === undefined) throw new Error('the window has no webPreferences');
  return prefs;
}

/** main/ sources, for "nothing elsewhere switches it back off" checks. */
function mainSources(): { file: string; text: string }[] {
  const dir = join(ROOT, 'main');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `main/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

function expectNoSourceMatches(pattern: RegExp): void {
  const hits = mainSources()
    .filter(({ text }) => pattern.test(text))
    .map(({ file }) => file);
  expect(hits, String(pattern)).toEqual([]);
}

/** A webContents guarded as main guards every one (main/lifecycle.ts: 'web-contents-created'). */
function guardedContents(): InstanceType<typeof WebContentsDouble> {
  const contents = new WebContentsDouble();
  hardenWebContents(contents, { isOwnUrl, openExternal: (url) => void openExternal(url) });
  contents.showPage(page.url);
  return contents;
}

/** Our window's webContents with the real bridge handlers' sender check, over the whole contract. */
function bridgeWithCheckedSender(): { own: InstanceType<typeof WebContentsDouble>; called: string[] } {
  const own = new WebContentsDouble();
  own.showPage(page.url);
  const called: string[] = [];
  const handlers = Object.fromEntries(
    Object.keys(contract.requests).map((channel) => [
      channel,
      () => {
        called.push(channel);
        return null;
      },
    ]),
  ) as unknown as Handlers<ImporterContract>;
  const shell = shellHandlers({
    appInfo: { name: 'Lead Importer', version: '0.1.0', platform: 'linux' },
    dialogs: {
      openSpreadsheet: async () => null,
      openMapping: async () => null,
      saveExport: async () => null,
      noteOpenedFile: () => undefined,
      confirmProduction: async () => false,
    },
    credentials: {
      status: async () => ({ sandbox: { stored: false, encryption: 'os' }, production: { stored: false, encryption: 'os' } }),
      set: async () => {
        throw new Error('not in this test');
      },
      clear: async () => {
        throw new Error('not in this test');
      },
      getKeyForRun: async () => null,
      secretsInMemory: () => [],
    },
    openedFiles: { add: () => undefined, take: () => [], detach: () => undefined },
    recentFiles: { load: async () => undefined, list: () => [], has: () => false, add: () => undefined, saved: async () => undefined },
    openFile: () => undefined,
    openExternal,
  });
  // The real 'shell:openExternal' answer, as main/lifecycle.ts registers it.
  registerHandlers(
    ipcMain,
    contract,
    { ...handlers, 'shell:openExternal': shell['shell:openExternal'] },
    { isTrustedSender: trustedSender(() => own, isOwnUrl), files: createFileAccess() },
  );
  return { own, called };
}

function launch(): LaunchEnvironment {
  return {
    argv: ['/opt/Lead Importer/lead-importer'],
    cwd: '/',
    platform: 'linux',
    isDefaultApp: false,
    mainDir: MAIN_DIR,
    devServerUrl: undefined,
  };
}

/** Every permission name Electron's own typings list for the request handler (node_modules/electron). */
function electronPermissions(): string[] {
  const typings = readFileSync(join(createRequire(import.meta.url).resolve('electron/package.json'), '..', 'electron.d.ts'), 'utf8');
  const signature = /setPermissionRequestHandler\(handler: \(\(webContents: WebContents, permission: ([^,]+),/.exec(typings);
  if (signature === null) throw new Error('electron.d.ts: setPermissionRequestHandler not found');
  return [...signature[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------
// The checklist

const CHECKLIST: readonly ChecklistItem[] = [
  {
    n: 1,
    title: 'Only load secure content',
    applies: true,
    alsoCoveredBy: [
      'window.test.ts: rendererSource (packaged app loads the bundled file only)',
      'app-asar.test.ts: renderer assets are inside app.asar',
    ],
    check: () => {
      // The built page pulls nothing from the network, and its policy names no remote scheme.
      const html = builtFile('out/renderer/index.html');
      const refs = referencedAssets(html);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/^\.\/|^[a-z0-9_-]+\//i);
      for (const values of cspDirectives(html).values())
        for (const value of values) expect(value).not.toMatch(/^(https?|wss?|ftp|file|blob):|^\*|\*\./);
    },
  },
  {
    n: 2,
    title: 'Do not enable Node.js integration for remote content',
    applies: 'The app shows no remote content; Node integration is off for its own page too.',
    alsoCoveredBy: ['window.test.ts: mainWindowOptions security flags'],
    check: () => {
      expect(createdWindowPreferences()).toMatchObject({
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
      });
      // The built page does not even try: no require, no Node module, no ipcRenderer.
      for (const script of builtRendererScripts()) {
        expect(runtimeImports(script).filter((s) => !s.startsWith('./') && !s.startsWith('../'))).toEqual([]);
        expect(script).not.toMatch(/\bipcRenderer\b|\bprocess\.versions\b|\brequire\(\s*["'](electron|node:|fs|child_process)/);
      }
    },
  },
  {
    n: 3,
    title: 'Enable context isolation',
    applies: true,
    alsoCoveredBy: ['window.test.ts: mainWindowOptions security flags', 'preload.test.ts: exposes window.importer'],
    check: () => {
      expect(createdWindowPreferences().contextIsolation).toBe(true);
      // The preload reaches the page only through contextBridge, once, and never by assignment.
      const before = Object.keys(globalThis);
      exposeBridge(electron, contract);
      expect([...contextBridge.exposed.keys()]).toEqual([BRIDGE_KEY]);
      expect(Object.keys(globalThis)).toEqual(before);
      const preload = builtFile('out/preload/index.cjs');
      expect(preload.match(/\.exposeInMainWorld\(/g)).toHaveLength(1);
      expect(preload).not.toMatch(/\b(window|globalThis)\.importer\s*=/);
    },
  },
  {
    n: 4,
    title: 'Enable process sandboxing',
    applies: true,
    alsoCoveredBy: [
      'lifecycle.test.ts: sandboxes every renderer',
      'app-asar.test.ts: the sandboxed preload requires only what a sandboxed preload can',
    ],
    check: () => {
      expect(createdWindowPreferences().sandbox).toBe(true);
      // app.enableSandbox() must come before 'ready' (Electron ignores it after): start the app,
      // hold 'ready' back, and look.
      app.isPackaged = true;
      app.holdReady();
      void startApp(electron, launch()).catch(() => undefined);
      expect(app.isReady()).toBe(false);
      expect(app.sandboxEnabled).toBe(true);
    },
  },
  {
    n: 5,
    title: 'Handle session permission requests from remote content',
    applies: true,
    alsoCoveredBy: [
      'security.test.ts: hardenSession denies a sample of permissions',
      'lifecycle.test.ts: the default session denies media',
    ],
    check: async () => {
      const permissions = electronPermissions();
      expect(permissions).toEqual(
        expect.arrayContaining(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial', 'usb']),
      );
      const ses = session.defaultSession;
      hardenSession(ses, { contentSecurityPolicy: CONTENT_SECURITY_POLICY, isOwnUrl });
      // Every permission Electron names, asked or checked, even by our own page.
      const own = guardedContents();
      for (const permission of permissions) {
        expect(await ses.requestPermission(permission, own), permission).toBe(false);
        expect(ses.checkPermission(permission, own), permission).toBe(false);
      }
    },
  },
  {
    n: 6,
    title: 'Do not disable webSecurity',
    applies: true,
    alsoCoveredBy: ['window.test.ts: mainWindowOptions security flags', 'security-scan.test.ts: WEB_SECURITY_JS_CHECK silent'],
    check: () => {
      expect(createdWindowPreferences().webSecurity).toBe(true);
      // Nothing in main turns it off another way (command-line switches, certificate overrides).
      expectNoSourceMatches(
        /webSecurity\s*:\s*false|disable-web-security|ignore-certificate-errors|allow-file-access-from-files|setCertificateVerifyProc|['"]certificate-error['"]/,
      );
    },
  },
  {
    n: 7,
    title: 'Define a Content Security Policy',
    applies: true,
    alsoCoveredBy: [
      'build-config.test.ts: the CSP of renderer/index.html (the source)',
      'security.test.ts: the CSP header on our documents',
    ],
    check: () => {
      // The BUILT page, as it ships: Vite must not have added anything the policy would need.
      const html = builtFile('out/renderer/index.html');
      const policy = cspDirectives(html);
      for (const values of policy.values()) {
        for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*'])
          expect(values).not.toContain(unsafe);
      }
      expect(policy.get('default-src')).toEqual(["'none'"]);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('connect-src')).toEqual(["'none'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(attributes).toMatch(/\bsrc=/);
        expect(body.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    },
  },
  {
    n: 8,
    title: 'Do not enable allowRunningInsecureContent',
    applies: true,
    alsoCoveredBy: ['window.test.ts: mainWindowOptions security flags'],
    check: () => {
      expect(createdWindowPreferences().allowRunningInsecureContent).toBe(false);
      expectNoSourceMatches(/allowRunningInsecureContent\s*:\s*true|allow-running-insecure-content/);
    },
  },
  {
    n: 9,
    title: 'Do not enable experimental features',
    applies: true,
    alsoCoveredBy: ['window.test.ts: mainWindowOptions security flags'],
    check: () => {
      expect(createdWindowPreferences().experimentalFeatures).toBe(false);
      expectNoSourceMatches(/experimentalFeatures\s*:\s*true|enable-experimental-web-platform-features/);
    },
  },
  {
    n: 10,
    title: 'Do not use enableBlinkFeatures',
    applies: true,
    alsoCoveredBy: ['security-scan.test.ts: BLINK_FEATURES_JS_CHECK silent'],
    check: () => {
      expect(createdWindowPreferences()).not.toHaveProperty('enableBlinkFeatures');
      expectNoSourceMatches(/enableBlinkFeatures|enable-blink-features/);
    },
  },
  {
    n: 11,
    title: '<webview>: Do not use allowpopups',
    applies: 'No <webview> exists: the tag is disabled on every window and any attach is prevented.',
    alsoCoveredBy: ['security.test.ts: prevents webviews from attaching', 'lifecycle.test.ts: no webviews on the window it creates'],
    check: () => {
      expect(createdWindowPreferences().webviewTag).toBe(false);
      // The page never makes one either.
      for (const script of [...builtRendererScripts(), builtFile('out/renderer/index.html')])
        expect(script).not.toMatch(/<webview\b|["']webview["']|allowpopups/i);
    },
  },
  {
    n: 12,
    title: '<webview>: Verify options and params',
    applies: 'No <webview> exists: will-attach-webview is prevented whatever it asks for, even our own page.',
    alsoCoveredBy: ['security.test.ts: prevents webviews from attaching'],
    check: () => {
      const contents = guardedContents();
      for (const src of [page.url, 'https://docs.propexo.com/', 'file:///etc/passwd'])
        expect(contents.tryAttachWebview(src), src).toBe(false);
    },
  },
  {
    n: 13,
    title: 'Disable or limit navigation',
    applies: true,
    alsoCoveredBy: [
      'security.test.ts: hardenWebContents',
      'window.test.ts: isOwnRendererUrl',
      'lifecycle.test.ts: guards the window it creates',
    ],
    check: () => {
      const contents = guardedContents();
      for (const url of FOREIGN_PAGES) {
        for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const)
          expect(contents.tryNavigate(url, event), `${event} ${url}`).toBe(false);
      }
      // Our page itself (a reload, a route in the hash) stays possible.
      expect(contents.tryNavigate(`${page.url}#/results`)).toBe(true);
    },
  },
  {
    n: 14,
    title: 'Disable or limit creation of new windows',
    applies: true,
    alsoCoveredBy: ['security.test.ts: denies every new window', 'lifecycle.test.ts: no new windows'],
    check: async () => {
      const contents = guardedContents();
      for (const url of [...FOREIGN_PAGES, ...REFUSED_LINKS, page.url, 'https://docs.propexo.com/guides'])
        expect(contents.tryOpenWindow(url), url).toBe('deny');
      // Only the allowlisted https link went on to the browser.
      await vi.waitFor(() => expect(shell.opened).toEqual(['https://docs.propexo.com/guides']));
    },
  },
  {
    n: 15,
    title: 'Do not use shell.openExternal with untrusted content',
    applies: true,
    alsoCoveredBy: ['external-links.test.ts: allowedExternalUrl', 'lifecycle.test.ts: openExternal file: through the bridge'],
    check: async () => {
      // Through the whole bridge: preload → ipcMain → the real handler → safelyOpenExternal → shell.
      const { own } = bridgeWithCheckedSender();
      electronDouble.connectRenderer(own);
      const importer = buildPreloadApi(electron, contract);
      for (const url of REFUSED_LINKS) {
        const reply = await importer.openExternal({ url });
        expect(reply.ok, url).toBe(false);
        if (!reply.ok) expect(['forbidden', 'bad_argument'], url).toContain(reply.error.code);
      }
      expect(shell.opened).toEqual([]);
      expect(await importer.openExternal({ url: 'https://docs.propexo.com/' })).toEqual({ ok: true, value: undefined });
      expect(shell.opened).toEqual(['https://docs.propexo.com/']);
    },
  },
  {
    n: 16,
    title: 'Use a current version of Electron',
    applies:
      "Checked by hand at each upgrade: whether a version is still supported needs Electron's release list, which our machines cannot fetch.",
    alsoCoveredBy: ['app-asar.test.ts: packs with the pinned version'],
    check: () => {
      const pinned = pinnedElectronVersion();
      // One exact version: what is installed (its typings, the double's model), built for and packed.
      const installed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('electron/package.json'), 'utf8')) as {
        version: string;
      };
      expect(installed.version).toBe(pinned);
      expect(Number(pinned.split('.')[0])).toBeGreaterThanOrEqual(45);
      expect(readBuilderConfig()).not.toHaveProperty('electronVersion'); // electron-builder takes the installed one
    },
  },
  {
    n: 17,
    title: 'Validate the sender of all IPC messages',
    applies: true,
    alsoCoveredBy: [
      'ipc.test.ts: refuses foreign senders (a test contract)',
      'lifecycle.test.ts: refuses requests from any other webContents (one channel)',
    ],
    check: async () => {
      const { own, called } = bridgeWithCheckedSender();
      const intruder = new WebContentsDouble();
      intruder.showPage(page.url); // even showing a copy of our page
      const foreign = [
        ['another webContents', invokeEventFrom(intruder)],
        ['a subframe of our window', invokeEventFrom(own, { url: page.url, parent: own.mainFrame })],
        ['our window after navigating away', invokeEventFrom(own, { url: 'https://evil.example/', parent: null })],
        ['a frame that is gone', invokeEventFrom(own, null)],
      ] as const;
      const channels = Object.keys(contract.requests);
      expect(channels.length).toBeGreaterThan(8);
      for (const channel of channels) {
        for (const [who, event] of foreign)
          expect(await ipcMain.invoke(event, channel, undefined), `${channel} from ${who}`).toMatchObject({
            ok: false,
            error: { code: 'forbidden' },
          });
      }
      expect(called).toEqual([]);
      // Our own window gets past the check (to the argument codec or the handler).
      for (const channel of channels)
        expect(await ipcMain.invoke(invokeEventFrom(own), channel, undefined), channel).not.toMatchObject({ error: { code: 'forbidden' } });
    },
  },
  {
    n: 18,
    title: 'Avoid usage of the file:// protocol and prefer usage of custom protocols',
    applies: true,
    alsoCoveredBy: [
      'app-protocol.test.ts: standard+secure before ready; only bundled files, by MIME type; traversal refused',
      'window.test.ts: isOwnRendererUrl accepts app://lead-importer/index.html only',
      'lifecycle.test.ts: the window loads app://',
      'app-asar.test.ts: the fuse read back from the packed binary; main bundles app://',
    ],
    check: async () => {
      // The page is app://lead-importer/index.html: 'self' is the bundle, not every local file.
      expect(page).toMatchObject({ kind: 'bundled', url: 'app://lead-importer/index.html' });
      app.isPackaged = true;
      void startApp(electron, launch()).catch(() => undefined);
      await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
      expect(BrowserWindow.instances[0].loadedUrl).toBe(page.url);
      expect(BrowserWindow.instances[0].loadedFile).toBeNull();
      // Nothing in main loads a file: URL or page any more.
      expectNoSourceMatches(/\.loadFile\(|pathToFileURL\(/);
      // A file: URL of our own page is not ours: no IPC, no navigation.
      const own = guardedContents();
      expect(own.tryNavigate(pathToFileURL(paths.rendererHtml).href)).toBe(false);
      expect(trustedSender(() => own, isOwnUrl)(invokeEventFrom(own, { url: pathToFileURL(paths.rendererHtml).href, parent: null }))).toBe(
        false,
      );
      expect(trustedSender(() => own, isOwnUrl)(invokeEventFrom(own))).toBe(true);
      // So the file protocol needs no extra privileges: the fuse is off.
      expect(readBuilderConfig().electronFuses?.grantFileProtocolExtraPrivileges).toBe(false);
    },
  },
  {
    n: 19,
    title: 'Check which fuses you can change',
    applies: true,
    alsoCoveredBy: ['app-asar.test.ts: wrote the fuses electron-builder.yml asks for into the binary'],
    check: () => {
      expect(readBuilderConfig().electronFuses).toMatchObject({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableCookieEncryption: true,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      });
    },
  },
  {
    n: 20,
    title: 'Do not expose Electron APIs to untrusted web content',
    applies: true,
    alsoCoveredBy: ['preload.test.ts: never exposes ipcRenderer or a way to reach it; listeners get the payload only'],
    check: () => {
      exposeBridge(electron, contract);
      const api = contextBridge.exposed.get(BRIDGE_KEY) as Record<string, unknown>;
      const surface = Object.keys(api).sort();
      const unreviewed = surface.filter((name) => !PRELOAD_ALLOWLIST.includes(name));
      expect(unreviewed, 'new members of window.importer: review them, then add them to PRELOAD_ALLOWLIST').toEqual([]);
      expect(surface).toEqual([...PRELOAD_ALLOWLIST].sort());
      // Functions only, frozen: no object of Electron's rides along, and the page cannot graft one on.
      for (const name of surface) expect(typeof api[name], name).toBe('function');
      expect(Object.isFrozen(api)).toBe(true);
      // What `on` hands back is a plain unsubscribe function, not a handle on ipcRenderer.
      const off = (api.on as (event: string, listener: () => void) => unknown)('menu:command', () => undefined);
      expect(typeof off).toBe('function');
      expect(Object.keys(off as object)).toEqual([]);
      expect(off).not.toBe(ipcRenderer.removeListener);
    },
  },
];

/**
 * Lead Importer's own rules, beyond Electron's checklist (issue #14, the page as an attacker):
 * each with a check here and the tests that prove it in depth.
 */
const APP_RULES: readonly Omit<ChecklistItem, 'n' | 'applies'>[] = [
  {
    title: 'Main reads only files the user chose; the contract declares every path a request carries',
    alsoCoveredBy: [
      'compromised-page.test.ts: /etc/passwd and a planted key file refused; a dialog choice, argv, open-file, a second instance and a real drop work; loadMapping is no existence oracle; network/device paths and non-regular files refused',
      'contract.test.ts: the file keys of the contract',
      'ipc.test.ts: marked paths are checked before the handler; registering without a check fails',
    ],
    check: async () => {
      // Every request that names a file says so, and registering them without a check fails closed.
      const marked = Object.entries(contract.requests)
        .filter(([, spec]) => spec.files !== undefined)
        .map(([channel]) => channel)
        .sort();
      expect(marked).toEqual([
        'file:dropped',
        'import:exportErrors',
        'import:loadMapping',
        'import:open',
        'import:saveMapping',
        'run:exportErrors',
        'run:exportResults',
      ]);
      expect(() =>
        registerHandlers({ handle: () => undefined, removeHandler: () => undefined }, contract, {} as never, {
          isTrustedSender: () => true,
        }),
      ).toThrow();
      // Acting as the page: a path nobody chose never reaches a handler.
      const { importer } = await startedPage();
      for (const path of ['/etc/passwd', '\\\\attacker.example\\share\\x.csv']) {
        expect(await importer.openImport({ path, options: {} }), path).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(await importer.loadMapping({ importId: 'imp-1', path }), path).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    },
  },
  {
    title: "Production is confirmed in main's own modal dialog (Cancel by default), never by the page",
    alsoCoveredBy: [
      'runs.test.ts: start, resume and retry of Production ask; a no sends nothing',
      'dialogs.test.ts: the message box',
      'compromised-page.test.ts: Cancel sends nothing',
    ],
    check: async () => {
      const { importer } = await startedPage();
      // The page has no way to say "confirmed".
      expect(
        await importer.startRun({
          importId: 'imp-1',
          environment: 'production',
          concurrency: 1,
          rate: 1,
          confirmedProduction: true,
        } as never),
      ).toMatchObject({
        ok: false,
        error: { code: 'bad_argument' },
      });
    },
  },
  {
    title: 'No download ever starts; WebRTC sends no UDP outside a proxy (the ways out the CSP leaves open)',
    alsoCoveredBy: ['security.test.ts: will-download prevented, the WebRTC policy', 'lifecycle.test.ts: on the window it creates'],
    check: async () => {
      await startedPage();
      const window = BrowserWindow.instances[0];
      expect(window.webContents.webRTCIPHandlingPolicy).toBe('disable_non_proxied_udp');
      // Any other webContents too (they all go through 'web-contents-created').
      expect(new BrowserWindow().webContents.webRTCIPHandlingPolicy).toBe('disable_non_proxied_udp');
      expect(session.defaultSession.tryDownload('data:application/octet-stream,x', window.webContents).started).toBe(false);
      expect(await session.defaultSession.requestPermission('media', window.webContents)).toBe(false);
    },
  },
];

const startedApps: { readonly service: { close(): Promise<void> }; settled(): Promise<void> }[] = [];

/** The app started as packaged, with the page's bridge connected to its window. */
async function startedPage() {
  app.isPackaged = true;
  const running = await startApp<InstanceType<typeof BrowserWindow>>(electron, launch());
  if (running === null) throw new Error('expected the first instance');
  startedApps.push(running);
  const window = running.window();
  if (window === null) throw new Error('expected a window');
  electronDouble.connectRenderer(window.webContents);
  return { running, importer: buildPreloadApi(electron, contract) };
}

describe("Electron's security checklist", () => {
  beforeAll(async () => {
    await ensureBuilt(); // items 1, 2, 3, 7 and 11 read the built page and preload
  }, 120_000);

  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('lists every item of the checklist, in order, each with a check and its coverage', () => {
    expect(CHECKLIST.map((item) => item.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const item of CHECKLIST) {
      expect(item.title.length).toBeGreaterThan(10);
      if (item.applies !== true) expect(item.applies.length).toBeGreaterThan(30);
      expect(item.alsoCoveredBy.length).toBeGreaterThan(0);
    }
  });

  it.each(CHECKLIST.map((item) => [`${item.n}. ${item.title}`, item] as const))('%s', async (_name, item) => {
    await item.check();
  });
});

describe("Lead Importer's own rules", () => {
  beforeEach(() => electronDouble.reset());
  afterEach(async () => {
    for (const started of startedApps.splice(0)) {
      await started.service.close();
      await started.settled();
    }
    electronDouble.cleanup();
  });

  it('lists each rule with its check and coverage', () => {
    expect(APP_RULES.length).toBeGreaterThanOrEqual(3);
    for (const rule of APP_RULES) {
      expect(rule.title.length).toBeGreaterThan(30);
      expect(rule.alsoCoveredBy.length).toBeGreaterThan(0);
    }
  });

  it.each(APP_RULES.map((rule) => [rule.title, rule] as const))('%s', async (_name, rule) => {
    await rule.check();
  });
});

// ---------------------------------------------------------------------------------------------
// Beyond Electron's checklist: the core's and the CLI's trust rules (issue 14, threat models:
// another local user, a hostile or echoing server, a hostile spreadsheet, a slip of --env).
// Each rule names the tests that prove it in depth; the check here is its smallest witness.

interface TrustRule {
  readonly rule: string;
  readonly coveredBy: readonly string[];
  readonly check: () => void | Promise<void>;
}

const KEY = 'pk_live_Ab3?dEf>6hIj9~kLm2nOp5q';

const TRUST_RULES: readonly TrustRule[] = [
  {
    rule: 'Production is told by the address requests go to, whatever the spelling; every command that writes there asks, or needs --yes',
    coveredBy: [
      'cli-production.test.ts: spellings of --env, resume and retry of production runs, no terminal → exit 2, nothing sent',
      'base-url.test.ts',
    ],
    check: () => {
      for (const env of [' production', 'HTTPS://API.PROPEXO.COM/', 'https://api.propexo.com.', 'https://api.propexo.com:443/x'])
        expect(isProductionEnvironment(env), env).toBe(true);
      expect(isProductionEnvironment('https://api.sandbox.propexo.com')).toBe(false);
    },
  },
  {
    rule: 'A continued run sends the key to a custom server only when the command line names the server run.json names',
    coveredBy: ['run-server.test.ts: a tampered run.json points at a second local server, which receives nothing'],
    check: () => {
      const header = {
        ...headerInput({ environment: { name: 'custom', baseUrl: 'https://proxy.example.com' } }),
        version: 1 as const,
        runId: '20261204-120000-abcd',
        createdAt: '2026-12-04T12:00:00.000Z',
      };
      expect(E.isLeft(serverForRun(header, ''))).toBe(true);
      expect(E.isLeft(serverForRun(header, 'https://elsewhere.example.com'))).toBe(true);
      expect(serverForRun(header, 'HTTPS://PROXY.EXAMPLE.COM/')).toEqual(E.right('https://proxy.example.com'));
    },
  },
  {
    rule: 'Plain http only to localhost, 127.0.0.0/8 and [::1] (never a name under .localhost, which DNS may answer)',
    coveredBy: ['base-url.test.ts'],
    check: () => {
      expect(E.isLeft(resolveBaseUrl('http://foo.localhost:8080'))).toBe(true);
      expect(E.isRight(resolveBaseUrl('http://127.0.0.1:8080'))).toBe(true);
    },
  },
  {
    rule: 'The key is scrubbed in every form a server can echo (base64, base64url, URL-encoded, any case, a 12+ character prefix), by one module for the client, the journal, the reports and main',
    coveredBy: ['redact.test.ts', 'key-forms.test.ts: an echoing server; journal, run.json and both reports', 'scrub.test.ts'],
    check: () => {
      const scrub = makeRedactor([KEY]);
      for (const form of [
        Buffer.from(KEY).toString('base64'),
        Buffer.from(KEY).toString('base64url'),
        encodeURIComponent(KEY),
        KEY.toUpperCase(),
        KEY.slice(0, 12),
      ]) {
        const out = scrub(`echo ${form} end`);
        expect(out).toContain(REDACTED);
        expect(out).not.toContain(form);
      }
    },
  },
  {
    rule: 'Identifiers are never scrubbed: a key in a path the run stores is refused up front, without showing it; keys have at least 20 characters',
    coveredBy: ['key-forms.test.ts: key in the data folder, input file, results file, error report', 'auth.test.ts', 'contract.test.ts'],
    check: () => {
      const message = keyInPaths(KEY, [['data folder', `/home/pat/${KEY.toLowerCase()}/data`]]);
      expect(message).toMatch(/API key appears in the data folder/);
      expect(message).not.toContain(KEY.slice(0, 12).toLowerCase());
      expect(MIN_SECRET_LENGTH).toBeGreaterThanOrEqual(20);
      expect(ApiKeyText.is('x'.repeat(MIN_SECRET_LENGTH - 1))).toBe(false);
    },
  },
  {
    rule: 'Run folders are created 0700 and run files 0600 (data folder, runs, run.json, journal, lock, caches), under any data folder',
    coveredBy: ['private-files.test.ts: a CLI run under LEAD_IMPORTER_HOME, and a live lock'],
    check: async () => {
      expect([PRIVATE_DIR_MODE, PRIVATE_FILE_MODE]).toEqual([0o700, 0o600]);
      if (process.platform === 'win32') return;
      const dir = await mkdtemp(join(tmpdir(), 'lead-import-rule-'));
      try {
        await nodeRunFs.mkdir(join(dir, 'a', 'b'), { recursive: true });
        const handle = await nodeRunFs.open(join(dir, 'a', 'b', 'f'), 'wx');
        await handle.close();
        expect((statSync(join(dir, 'a')).mode & 0o777).toString(8)).toBe('700');
        expect((statSync(join(dir, 'a', 'b', 'f')).mode & 0o777).toString(8)).toBe('600');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
  {
    rule: 'Report temporary files have a random name and are created exclusively: a planted symlink is never written through',
    coveredBy: ['staged-file.test.ts: at the old predictable name and at a guessed one, CSV and workbook'],
    check: async () => {
      if (process.platform === 'win32') return;
      const dir = await mkdtemp(join(tmpdir(), 'lead-import-rule-'));
      try {
        writeFileSync(join(dir, 'victim'), 'kept');
        symlinkSync(join(dir, 'victim'), join(dir, '.r.csv.guess.partial'));
        const names = ['guess', 'other'];
        const { staged, handle } = await createStagedFile(join(dir, 'r.csv'), { suffix: () => names.shift() ?? 'x' });
        await staged.abort(() => handle.close());
        expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('kept');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
  {
    rule: 'Report cells a spreadsheet could run are neutralised, also behind a leading NUL or blanks; the re-import round trip is exact',
    coveredBy: ['csv-safety.test.ts: examples and property tests, also through papaparse'],
    check: () => {
      for (const cell of ['=1+1', ' =1+1', '\t=1', '\u0000=1', '\u0000']) {
        expect(neutralizeFormula(cell).startsWith("'"), JSON.stringify(cell)).toBe(true);
        expect(restoreNeutralized(neutralizeFormula(cell))).toBe(cell);
      }
    },
  },
];

describe("Lead Importer's own trust rules (core and CLI)", () => {
  it('lists each rule with the tests that cover it', () => {
    expect(TRUST_RULES.length).toBeGreaterThanOrEqual(8);
    for (const rule of TRUST_RULES) {
      expect(rule.rule.length).toBeGreaterThan(30);
      expect(rule.coveredBy.length).toBeGreaterThan(0);
    }
  });

  it.each(TRUST_RULES.map((rule) => [rule.rule, rule] as const))('%s', async (_name, rule) => {
    await rule.check();
  });
});
