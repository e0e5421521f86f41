// The contract's events the desktop service sends (main forwards them to the window; the e2e
// harness to the page).
import type { PayloadOf } from '../contract-kit.ts';
import type { ImporterContract } from '../contract.ts';

export type DesktopEvent = 'import:progress' | 'run:update' | 'run:finished';

export type DesktopEventSender = <E extends DesktopEvent>(event: E, payload: PayloadOf<ImporterContract, E>) => void;
