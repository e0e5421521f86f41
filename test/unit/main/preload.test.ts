import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESERVED_MEMBERS } from '../../../app/shared/contract-kit.ts';
import { contract } from '../../../app/shared/contract.ts';
import { BRIDGE_KEY, buildPreloadApi, exposeBridge } from '../../../main/preload-bridge.ts';
import * as electron from '../../support/electron-double.ts';

const { contextBridge, electronDouble, ipcMain, ipcRenderer, webUtils, WebContentsDouble } = electron;

vi.mock('electron', () => import('../../support/electron-double.ts'));

/** The methods of window.importer: every request but the preload's own ('file:dropped'). */
const requestMethods = Object.values(contract.requests)
  .filter((spec) => spec.caller !== 'preload')
  .map((spec) => spec.method);

function connectedContents(): InstanceType<typeof WebContentsDouble> {
  const contents = new WebContentsDouble();
  contents.showPage('file:///app/out/renderer/index.html');
  electronDouble.connectRenderer(contents);
  return contents;
}

/** Every function and object reachable from the exposed value. */
function reachable(value: unknown, seen = new Set<unknown>()): unknown[] {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return [];
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) reachable((value as Record<PropertyKey, unknown>)[key], seen);
  return [...seen];
}

describe('the preload bridge', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('exposes exactly one method per request, on and pathForDroppedFile, as window.importer', () => {
    exposeBridge(electron, contract);
    expect([...contextBridge.exposed.keys()]).toEqual([BRIDGE_KEY]);
    const api = contextBridge.exposed.get(BRIDGE_KEY) as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...requestMethods, ...RESERVED_MEMBERS].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('never exposes ipcRenderer or a way to reach it', () => {
    exposeBridge(electron, contract);
    const api = contextBridge.exposed.get(BRIDGE_KEY);
    const everything = reachable(api);
    expect(everything).not.toContain(ipcRenderer);
    expect(everything).not.toContain(ipcRenderer.invoke);
    expect(everything).not.toContain(ipcRenderer.on);
    for (const name of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'removeListener', 'removeAllListeners']) {
      expect(Object.keys(api as object)).not.toContain(name);
    }
  });

  it('invokes the channel of every request in the table, with one argument', async () => {
    connectedContents();
    const api = buildPreloadApi(electron, contract) as unknown as Record<string, (arg?: unknown) => Promise<unknown>>;
    const seen: { channel: string; args: unknown[] }[] = [];
    for (const channel of Object.keys(contract.requests)) {
      ipcMain.handle(channel, (_event, ...args) => {
        seen.push({ channel, args });
        return { ok: true, value: channel };
      });
    }
    const pageChannels = Object.entries(contract.requests).filter(([, spec]) => spec.caller !== 'preload');
    for (const [channel, spec] of pageChannels) {
      expect(await api[spec.method]({ probe: channel })).toEqual({ ok: true, value: channel });
    }
    expect(seen).toEqual(pageChannels.map(([channel]) => ({ channel, args: [{ probe: channel }] })));
  });

  it('answers a failure result when main has no handler', async () => {
    connectedContents();
    const api = buildPreloadApi(electron, contract);
    expect(await api.appInfo()).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('No handler registered') },
    });
  });

  it('gives listeners the payload only, and on() returns an unsubscribe that works', () => {
    const contents = connectedContents();
    const api = buildPreloadApi(electron, contract);
    const calls: unknown[][] = [];
    const off = api.on('menu:command', (...args: unknown[]) => calls.push(args));
    contents.send('menu:command', { command: 'open' });
    expect(calls).toEqual([[{ command: 'open' }]]);
    expect(ipcRenderer.listenerCount('menu:command')).toBe(1);
    off();
    contents.send('menu:command', { command: 'exportErrors' });
    expect(calls).toHaveLength(1);
    expect(ipcRenderer.listenerCount('menu:command')).toBe(0);
  });

  it('keeps two listeners of one event independent', () => {
    const contents = connectedContents();
    const api = buildPreloadApi(electron, contract);
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = api.on('file:opened', (p) => a.push(p.path));
    api.on('file:opened', (p) => b.push(p.path));
    offA();
    contents.send('file:opened', { path: '/x.csv' });
    expect(a).toEqual([]);
    expect(b).toEqual(['/x.csv']);
  });

  it('refuses to listen to channels outside the contract', () => {
    const api = buildPreloadApi(electron, contract);
    const on = api.on as (event: string, listener: () => void) => unknown;
    for (const channel of ['credentials:set', 'ELECTRON_BROWSER_WINDOW_ALERT', '__proto__', 'toString']) {
      expect(() => on(channel, () => undefined)).toThrow(TypeError);
    }
    expect(ipcRenderer.listenerCount('credentials:set')).toBe(0);
  });

  it('hands main the path of a really dropped file, read through webUtils; a File made by the page reaches nothing', async () => {
    connectedContents();
    const seen: unknown[] = [];
    ipcMain.handle('file:dropped', (_event, arg) => {
      seen.push(arg);
      return { ok: true, value: (arg as { path: string }).path };
    });
    const api = buildPreloadApi(electron, contract);
    expect(await api.pathForDroppedFile(webUtils.fileAt('/home/ann/leads.xlsx'))).toEqual({ ok: true, value: '/home/ann/leads.xlsx' });
    expect(await api.pathForDroppedFile(new File(['x'], 'made-in-js.csv'))).toEqual({
      ok: false,
      error: { code: 'bad_argument', message: 'made-in-js.csv is not a file on this computer.' },
    });
    expect(await api.pathForDroppedFile('/etc/passwd' as unknown as File)).toMatchObject({ ok: false, error: { code: 'bad_argument' } });
    expect(seen).toEqual([{ path: '/home/ann/leads.xlsx' }]);
    // The page has no method of its own for that channel.
    expect(Object.keys(api)).not.toContain(contract.requests['file:dropped'].method);
  });

  it('main/preload.ts exposes the bridge when loaded', async () => {
    // The mocked 'electron' is this same double module: preload.ts runs against it.
    expect(await import('electron')).toHaveProperty('contextBridge', contextBridge);
    await import('../../../main/preload.ts');
    const api = contextBridge.exposed.get(BRIDGE_KEY) as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...requestMethods, ...RESERVED_MEMBERS].sort());
  });
});
