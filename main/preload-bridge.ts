// Builds `window.importer` in the preload from the contract table. The page gets one method
// per request, `on` for events and `pathForDroppedFile`: never ipcRenderer, never an
// IpcRendererEvent (whose `sender` is ipcRenderer itself).
import { createBridgeApi, type AnyContract, type BridgeApi } from '../app/shared/contract-kit.ts';

/** The name under which the page finds the bridge: `window.importer`. */
export const BRIDGE_KEY = 'importer';

/** The parts of electron's renderer modules the preload uses (injected: tests pass the double). */
export interface PreloadElectron {
  readonly contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
  readonly ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  };
  readonly webUtils: { getPathForFile(file: File): string };
}

export function buildPreloadApi<C extends AnyContract>(electron: PreloadElectron, contract: C): BridgeApi<C> {
  const { ipcRenderer, webUtils } = electron;
  return createBridgeApi(contract, {
    // Exactly one argument crosses, whatever the page passed.
    invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
    subscribe: (channel, listener) => {
      const strip = (_event: unknown, eventPayload: unknown): void => listener(eventPayload);
      ipcRenderer.on(channel, strip);
      return () => {
        ipcRenderer.removeListener(channel, strip);
      };
    },
    pathForFile: (file) => webUtils.getPathForFile(file),
  });
}

export function exposeBridge<C extends AnyContract>(electron: PreloadElectron, contract: C): BridgeApi<C> {
  const api = buildPreloadApi(electron, contract);
  electron.contextBridge.exposeInMainWorld(BRIDGE_KEY, api);
  return api;
}
