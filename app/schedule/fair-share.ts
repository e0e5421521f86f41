// Who goes next when both request classes wait. Status and log checks must not starve updates
// (the import is the point), and updates must not starve checks for long (results arrive late,
// and a finished job never settled looks like a hang). Used by the rate budget and the send queue.

/** 'update' covers lead updates and retry-write calls; 'check' covers write status and write logs. */
export type RequestClass = 'update' | 'check';

export interface FairShareOptions {
  /** When both classes wait, one grant in `checkEvery` goes to a check (at most 4 updates in a row for 5). */
  readonly checkEvery: number;
  /** A check that has waited this long goes next, unless the previous contested grant was already a check. */
  readonly maxCheckWaitMs: number;
}

export const defaultFairShare: FairShareOptions = { checkEvery: 5, maxCheckWaitMs: 2_000 };

export interface FairPicker {
  /**
   * The class to serve next, given when each class's oldest waiter started waiting
   * (undefined: nobody waits in that class).
   */
  pick(oldestUpdateSince: number | undefined, oldestCheckSince: number | undefined, now: number): RequestClass | undefined;
  /** Records a grant; `contested` when the other class had a waiter at that moment. */
  granted(kind: RequestClass, contested: boolean): void;
}

export function validateFairShare(options: FairShareOptions): FairShareOptions {
  if (!Number.isInteger(options.checkEvery) || options.checkEvery < 2) {
    throw new RangeError(`checkEvery must be an integer ≥ 2 (got ${options.checkEvery}); 1 would let checks starve updates`);
  }
  if (!(options.maxCheckWaitMs >= 0)) throw new RangeError(`maxCheckWaitMs must be ≥ 0 (got ${options.maxCheckWaitMs})`);
  return options;
}

export function createFairPicker(options: Partial<FairShareOptions> = {}): FairPicker {
  const { checkEvery, maxCheckWaitMs } = validateFairShare({ ...defaultFairShare, ...options });
  // Update grants made while a check was waiting, since the last check grant.
  let updatesSinceCheck = 0;
  return {
    pick(oldestUpdateSince, oldestCheckSince, now) {
      if (oldestCheckSince === undefined) return oldestUpdateSince === undefined ? undefined : 'update';
      if (oldestUpdateSince === undefined) return 'check';
      if (updatesSinceCheck >= checkEvery - 1) return 'check';
      // The wait bound never gives checks two contested grants in a row: updates keep ≥ 1 in 2.
      if (updatesSinceCheck >= 1 && now - oldestCheckSince >= maxCheckWaitMs) return 'check';
      return 'update';
    },
    granted(kind, contested) {
      if (kind === 'check') updatesSinceCheck = 0;
      else if (contested) updatesSinceCheck++;
    },
  };
}
