// The one global the page is given: `window.importer`, built from the contract by the preload
// (in Electron) or by the e2e harness (in Chromium). Types only: the renderer imports nothing
// from app/ at run time.
import type { ImporterApi } from '../app/shared/contract.ts';

declare global {
  interface Window {
    /** Absent only when the page is opened outside the app (a plain browser tab). */
    readonly importer: ImporterApi | undefined;
  }
}

export {};
