// Job tracking scaled to test windows: polls in milliseconds instead of seconds (the CLI and
// the app keep production's). Shared by the send integration tests, the reliability suites and
// the e2e harness, so they all follow jobs the same way.
import type { ConnectionOptions } from '../../app/run/run-context.ts';

export const fastTracking: NonNullable<ConnectionOptions['tracking']> = {
  firstCheckAfterMs: 60,
  maxCheckIntervalMs: 400,
  logsBatchSize: 25,
  logsMaxWaitMs: 300,
  logsMinIntervalMs: 100,
  logsFallbackAfterMs: 1_500,
};
