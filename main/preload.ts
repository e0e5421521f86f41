// The preload entry of the main window (bundled by electron-vite into one CommonJS file,
// out/preload/index.cjs, as a sandboxed preload must be).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { contract } from '../app/shared/contract.ts';
import { exposeBridge } from './preload-bridge.ts';

exposeBridge({ contextBridge, ipcRenderer, webUtils }, contract);
