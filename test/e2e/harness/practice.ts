// The practice environment scaled to tests: the service's in-process simulator answers at
// once, jobs settle in ~50 ms and job tracking polls in milliseconds instead of seconds. Same
// code paths as the app's practice; only the clocks are shorter.
import type { DesktopServiceDeps } from '../../../app/desktop/service.ts';
import { fastTracking } from '../../support/fast-tracking.ts';

export function fastPractice(
  simulator: NonNullable<NonNullable<DesktopServiceDeps['connection']>['simulator']> = {},
): NonNullable<DesktopServiceDeps['connection']> {
  return {
    // The UI's "requests per minute" then reads as per second: runs take seconds, not minutes.
    windowMs: 1_000,
    // Jobs of a practice simulator that is gone (a killed process) end quickly: unknown once
    // write status says 404 twice, pending at this limit.
    pendingTimeoutMs: 4_000,
    tracking: fastTracking,
    simulator: {
      rateLimit: 10_000,
      windowMs: 1_000,
      jobPendingMs: 50,
      latencyMs: 0,
      latencySpikes: null,
      successRate: 1,
      partialRate: 0,
      seed: 7,
      ...simulator,
    },
  };
}
