// The renderer's only way to the core. Everything goes through `window.importer`; this
// module adds nothing but a clear failure when the page runs without it.
import type { ImporterApi } from '../app/shared/contract.ts';
import type { Result } from '../app/shared/contract-kit.ts';

export type { Result };

export class MissingBridgeError extends Error {
  constructor() {
    super('Lead Importer cannot reach its engine: this page must be opened by the Lead Importer app.');
    this.name = 'MissingBridgeError';
  }
}

export function bridge(): ImporterApi {
  const api = window.importer;
  if (api === undefined) throw new MissingBridgeError();
  return api;
}

export const hasBridge = (): boolean => window.importer !== undefined;
