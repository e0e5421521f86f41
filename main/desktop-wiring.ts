// How main plugs the desktop service (app/desktop/service.ts) in: its events sent to the window;
// where its runs live; and its end when the app quits. (Its handlers are registered beside the
// shell's; the paths they read and write are checked by main/ipc.ts, as the contract declares.)
import { join } from 'node:path';
import { contract } from '../app/shared/contract.ts';
import type { DesktopService } from '../app/desktop/service.ts';
import { DATA_DIR_ENV, resolveDataDir } from '../app/run/data-dir.ts';
import { sendEvent, type EventTarget } from './ipc.ts';

/** Sends the service's events to the window there is now (none: the run goes on unseen). */
export function forwardEvents(service: Pick<DesktopService, 'subscribe'>, target: () => EventTarget | null): () => void {
  return service.subscribe((event, payload) => {
    const window = target();
    if (window !== null) sendEvent(window, contract, event, payload);
  });
}

/** Where the app keeps its runs: LEAD_IMPORTER_HOME when set (shared with the CLI), else `<userData>/runs-data`. */
export function desktopDataDir(userData: string, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolveDataDir({ env, cwd }).dir;
  return join(userData, 'runs-data');
}

/** How long quitting waits for live runs to stop (requests in flight finish or time out). */
export const QUIT_WAIT_MS = 10_000;

/**
 * Holds the first quit until the service has closed (live runs cancelled: their journals keep
 * them resumable), then quits for real. Returns the 'before-quit' listener.
 */
export function quitAfterClosing(
  service: Pick<DesktopService, 'close'>,
  quit: () => void,
  waitMs: number = QUIT_WAIT_MS,
): (event: { preventDefault(): void }) => void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  return (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    void Promise.race([service.close().catch(() => undefined), timeout]).then(() => {
      clearTimeout(timer);
      state = 'closed';
      quit();
    });
  };
}
