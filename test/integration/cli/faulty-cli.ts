// `lead-import` as bin/lead-import.mjs runs it (runCommandLine), with a fault injected under it,
// for the tests that prove no command can end without its summary (exit code 13):
//
//   node --import tsx test/integration/cli/faulty-cli.ts FAULT COMMAND ARGS…
//
// FAULT is one of the keys of `faults` below. The Propexo API is a simulator the test runs.
import { processIo, type CliIo, type CliOverrides } from '../../../app/cli/io.ts';
import { runCommandLine } from '../../../app/cli/run-command-line.ts';
import { createJobTracker } from '../../../app/run/job-tracker.ts';
import { fastTracking } from '../../support/fast-tracking.ts';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

const faults: Readonly<Record<string, { readonly overrides: CliOverrides; readonly io?: Partial<CliIo> }>> = {
  /** Jobs are accepted, then forgotten: their rows wait on a promise nothing will ever settle. */
  'lose-jobs': {
    overrides: {
      connection: {
        tracking: fastTracking,
        createTracker: (options) => {
          const real = createJobTracker(options);
          return {
            track: () => never(),
            follows: (jobId) => real.follows(jobId),
            draining: () => real.draining(),
            stop: () => real.stop(),
            get size() {
              return real.size;
            },
          };
        },
      },
    },
  },
  /** Lead updates never answer, whatever their time limit: nothing is left in flight or scheduled. */
  'hang-updates': {
    overrides: { connection: { tracking: fastTracking, fetch: (input, init) => (init?.method === 'PUT' ? never() : fetch(input, init)) } },
  },
  /** No fault: jobs still pending after 300 ms end `pending` (a run for `status` to re-check). */
  'short-pending': { overrides: { connection: { tracking: fastTracking, pendingTimeoutMs: 300 } } },
  /** The confirmation question for production is never answered: only the last-resort guard can end it. */
  'unanswered-prompt': { overrides: {}, io: { confirm: () => never() } },
};

const [name, ...argv] = process.argv.slice(2);
const fault = faults[name ?? ''];
if (!fault) {
  process.stderr.write(`faulty-cli: unknown fault '${name}' (one of ${Object.keys(faults).join(', ')})\n`);
  process.exit(64);
}
process.exitCode = await runCommandLine(argv, { ...processIo(), ...fault.io }, fault.overrides);
