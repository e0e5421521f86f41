// The contract's events the desktop service sends (main forwards them to the window; the e2e
// harness to the page).
import type { PayloadOf } from '../shared/contract-kit.ts';
import type { ImporterContract } from '../shared/contract.ts';

export type DesktopEvent = 'import:progress' | 'run:update' | 'run:finished';

export type DesktopEventSender = <E extends DesktopEvent>(event: E, payload: PayloadOf<ImporterContract, E>) => void;
