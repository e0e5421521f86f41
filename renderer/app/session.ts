// Where the user is in the workflow: the open import (file + mapping), its review counts, the
// run on screen. A reducer, so every transition is a named, testable step; the screens ask the
// core and report what it answered.
import type { ImportOverview, ReviewCounts, RunListItem } from '../../app/shared/views.ts';

export type Screen = 'start' | 'map' | 'review' | 'send' | 'run' | 'history';

export interface RunRef {
  readonly runId: string;
  readonly fileName: string;
  readonly environment: string;
  /** Started or resumed in this session (events will come), rather than reopened from history. */
  readonly live: boolean;
  /** Tells one pass of a run from the next (a retry or re-check continues the same run id). */
  readonly shownAt: number;
  /** The state the run history gave, for a run reopened from it. */
  readonly state?: RunListItem['state'];
  /** An undo run: the run it undoes (its notices say "Undo of the run of …"). */
  readonly undoOf?: string;
}

export interface SessionState {
  readonly screen: Screen;
  readonly overview: ImportOverview | null;
  /** Counts of the last validation of the current mapping; null until validated. */
  readonly counts: ReviewCounts | null;
  readonly run: RunRef | null;
}

export type SessionAction =
  | { readonly type: 'opened'; readonly overview: ImportOverview }
  | { readonly type: 'mapped'; readonly overview: ImportOverview }
  | { readonly type: 'validated'; readonly counts: ReviewCounts }
  | { readonly type: 'runShown'; readonly run: RunRef }
  | { readonly type: 'go'; readonly screen: Screen };

export const initialSession: SessionState = { screen: 'start', overview: null, counts: null, run: null };

export function canGo(state: SessionState, screen: Screen): boolean {
  switch (screen) {
    case 'start':
    case 'history':
      return true;
    case 'map':
      return state.overview !== null;
    case 'review':
      return state.overview !== null && state.overview.hasLeadId;
    case 'send':
      return state.overview !== null && state.counts !== null && state.counts.valid > 0;
    case 'run':
      return state.run !== null;
  }
}

/** Why a step is not available yet, for its tooltip. */
export function whyNot(state: SessionState, screen: Screen): string | null {
  if (canGo(state, screen)) return null;
  switch (screen) {
    case 'map':
      return 'Open a file first.';
    case 'review':
      return state.overview === null ? 'Open a file first.' : 'Map a column to lead_id first.';
    case 'send':
      if (state.overview === null) return 'Open a file first.';
      if (state.counts === null) return 'Review the rows first.';
      return 'No row is valid: fix the errors first.';
    case 'run':
      return 'No run yet.';
    default:
      return null;
  }
}

export function session(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'opened':
      return { ...state, screen: 'map', overview: action.overview, counts: null };
    case 'mapped':
      // A new mapping reads every row differently: the old counts no longer hold.
      return {
        ...state,
        overview: action.overview,
        counts: null,
        screen: action.overview.hasLeadId || state.screen !== 'review' ? state.screen : 'map',
      };
    case 'validated':
      return state.overview === null ? state : { ...state, counts: action.counts };
    case 'runShown':
      return { ...state, run: action.run, screen: 'run' };
    case 'go':
      return canGo(state, action.screen) ? { ...state, screen: action.screen } : state;
  }
}
