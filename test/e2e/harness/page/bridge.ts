// Runs in the page before the app's script (page.addInitScript), in place of Electron's
// preload: `window.importer` built by the same `createBridgeApi` from the same contract table,
// over a transport that reaches the harness's server (fetch for requests, server-sent events
// for events) instead of ipcRenderer. Bundled by esbuild into one script (see ../bridge-bundle.ts).
//
// Harness only. In the app, the preload exposes the bridge through contextBridge and the page
// has connect-src 'none'; here the page is served with connect-src 'self' so that this script
// can reach the harness (see ../server.ts).
import { createBridgeApi, type BridgeTransport } from '../../../../app/shared/contract-kit.ts';
import { contract } from '../../../../app/shared/contract.ts';

interface HarnessProbe {
  /**
   * File name → path on disk, for files a test drops on the window (a browser File has no path):
   * the stand-in for webUtils.getPathForFile. The harness's server accepts the path only for a
   * file the test dropped (`harness.shell.droppedFiles`), as main trusts only the preload.
   */
  readonly dropPaths: Map<string, string>;
  /** Events delivered to the page, by channel, and the arrival times of 'run:update' (performance.now()). */
  readonly events: Record<string, number>;
  readonly runUpdateTimes: number[];
  /** Requests made, by channel. */
  readonly requests: Record<string, number>;
  /** Set once the event stream is open: events sent before it would be lost. */
  connected: boolean;
}

declare global {
  interface Window {
    __leadImporterHarness: HarnessProbe;
  }
}

const probe: HarnessProbe = { dropPaths: new Map(), events: {}, runUpdateTimes: [], requests: {}, connected: false };
Object.defineProperty(window, '__leadImporterHarness', { value: probe });

const listeners = new Map<string, Set<(payload: unknown) => void>>();
const stream = new EventSource('/__bridge/events');
stream.addEventListener('open', () => {
  probe.connected = true;
});
stream.addEventListener('message', (message: MessageEvent<string>) => {
  const { event, payload } = JSON.parse(message.data) as { event: string; payload: unknown };
  probe.events[event] = (probe.events[event] ?? 0) + 1;
  if (event === 'run:update') probe.runUpdateTimes.push(performance.now());
  for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
});

const transport: BridgeTransport = {
  async invoke(channel, arg) {
    probe.requests[channel] = (probe.requests[channel] ?? 0) + 1;
    // JSON stands in for the structured clone of Electron's IPC: the contract's values are plain data.
    const response = await fetch(`/__bridge/invoke/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(arg === undefined ? {} : { arg }),
    });
    if (!response.ok) throw new Error(`harness answered ${response.status}`);
    return (await response.json()) as unknown;
  },
  subscribe(channel, listener) {
    let set = listeners.get(channel);
    if (set === undefined) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
  pathForFile: (file) => probe.dropPaths.get(file.name) ?? '',
};

// Like contextBridge.exposeInMainWorld: a frozen object the page cannot replace.
Object.defineProperty(window, 'importer', { value: createBridgeApi(contract, transport), enumerable: true });
