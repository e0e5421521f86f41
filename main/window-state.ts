// The window comes back where the user left it: size, position and maximised state, kept in a
// small JSON file in userData (written atomically, app/run/atomic-write.ts). A saved position that
// no display shows any more (a monitor unplugged) is dropped, so the window is never off-screen.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { writePrivateFileAtomically } from '../app/run/atomic-write.ts';

export const WINDOW_STATE_FILE = 'window-state.json';

const Bounds = t.type({ x: t.number, y: t.number, width: t.number, height: t.number });
export type Bounds = t.TypeOf<typeof Bounds>;

const WindowState = t.type({ version: t.literal(1), bounds: Bounds, maximized: t.boolean });
export type WindowState = t.TypeOf<typeof WindowState>;

/** What the window is created with: a size always; a position only where a display shows it. */
export interface WindowPlacement {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
  readonly maximized: boolean;
}

/** The parts of a BrowserWindow the state is read from. */
export interface StatefulWindow {
  getNormalBounds(): Bounds;
  isMaximized(): boolean;
  on(event: 'close' | 'resized' | 'moved' | 'maximize' | 'unmaximize', listener: () => void): unknown;
}

/** The saved state, or null when there is none or it cannot be read (a fresh default is fine). */
export async function readWindowState(userData: string): Promise<WindowState | null> {
  try {
    const decoded = WindowState.decode(JSON.parse(await readFile(join(userData, WINDOW_STATE_FILE), 'utf8')));
    return E.isRight(decoded) ? decoded.right : null;
  } catch {
    return null;
  }
}

/** How much of a window must be on a display for its saved position to be kept. */
const MIN_VISIBLE = 100;

const overlap = (a: Bounds, b: Bounds): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

export function placement(
  state: WindowState | null,
  workAreas: readonly Bounds[],
  defaults: { readonly width: number; readonly height: number; readonly minWidth: number; readonly minHeight: number },
): WindowPlacement {
  if (state === null) return { width: defaults.width, height: defaults.height, maximized: false };
  const width = Math.max(defaults.minWidth, Math.round(state.bounds.width));
  const height = Math.max(defaults.minHeight, Math.round(state.bounds.height));
  const bounds = { ...state.bounds, width, height };
  const visible = workAreas.some((area) => overlap(bounds, area) >= MIN_VISIBLE * MIN_VISIBLE);
  return visible
    ? { width, height, x: Math.round(bounds.x), y: Math.round(bounds.y), maximized: state.maximized }
    : { width, height, maximized: state.maximized };
}

/**
 * Saves the window's state when a move or resize ends, when it is (un)maximised, and when it
 * closes. Writes go one after another, so the last state is the one on disk.
 */
export function rememberWindowState(
  window: StatefulWindow,
  userData: string,
  hooks: { readonly onState?: (state: WindowState) => void; readonly onError?: (e: unknown) => void } = {},
): { readonly saved: () => Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  const onError = hooks.onError ?? (() => undefined);
  const save = (): void => {
    const state: WindowState = { version: 1, bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    hooks.onState?.(state);
    chain = chain.then(() => writePrivateFileAtomically(join(userData, WINDOW_STATE_FILE), `${JSON.stringify(state)}\n`)).catch(onError);
  };
  for (const event of ['resized', 'moved', 'maximize', 'unmaximize', 'close'] as const) window.on(event, save);
  return { saved: () => chain };
}
