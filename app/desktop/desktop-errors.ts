// What the desktop service throws back over the bridge, and the words it uses for an
// environment: one place, so that imports, runs and "test connection" say the same thing.
import { BridgeError } from '../shared/contract-kit.ts';
import type { CredentialEnvironment } from '../shared/contract.ts';

/** A request that could not be done; the message is shown to the user as is. */
export const failed = (message: string): BridgeError => new BridgeError('failed', message);

/** The message of anything thrown (a non-Error is shown as its text). */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How the environments are named on screen. */
export const ENVIRONMENT_LABEL: Readonly<Record<CredentialEnvironment, string>> = { sandbox: 'Sandbox', production: 'Production' };
