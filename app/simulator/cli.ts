// `node --import tsx app/simulator/cli.ts --port 4010 …`: the simulator as a standalone
// server, for rehearsing an import or pointing a client at it by hand. The token to require
// comes only from PROPEXO_API_KEY, never from argv (argv shows in process lists and shell history).
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import * as E from 'fp-ts/Either';
import { defaultOptions, resolveOptions, simulatorOptionProps, SimulatorOptionsError, type SimulatorOptions } from './options.ts';
import { dataPresets, practicePreset } from './presets.ts';
import type { RecordedRequest } from './record.ts';
import { startSimulator } from './server.ts';

export const TOKEN_ENV_VAR = 'PROPEXO_API_KEY';

/** Flags that carry a number, and the option each sets. */
const numberFlags = {
  port: 'port',
  rate: 'rateLimit',
  'window-ms': 'windowMs',
  'slowdown-ms': 'slowdownMs',
  'success-rate': 'successRate',
  'partial-rate': 'partialRate',
  'retry-success-rate': 'retrySuccessRate',
  'server-error-rate': 'serverErrorRate',
  'admin-server-error-rate': 'adminServerErrorRate',
  'read-server-error-rate': 'readServerErrorRate',
  'drop-before-apply-rate': 'dropBeforeApplyRate',
  'drop-after-apply-rate': 'dropAfterApplyRate',
  'repeated-job-id-rate': 'repeatedJobIdRate',
  'latency-ms': 'latencyMs',
  'logs-coverage': 'logsCoverage',
  seed: 'seed',
} as const satisfies Record<string, keyof SimulatorOptions>;

const usage = `Usage: node --import tsx app/simulator/cli.ts [options]

A practice Propexo API on 127.0.0.1 (PUT /v1/leads/{id}, write status, retry-write, write logs,
and the read endpoints: GET /v1/leads/, /v1/leads/{id}, integrations, properties, lead sources,
employees, units, floor plans, lead relationships, address types).

  --port N                     port to listen on (0 picks a free one; default 0)
  --practice                   start from the practice preset (jobs pending 1-3 s, 95% success)
  --rate N                     requests per window (default 150)
  --window-ms MS               rate window length (default 60000)
  --slowdown-ms MS             delay added from 80% of the budget (default 2000)
  --pending-ms MS|MIN-MAX      how long jobs stay PENDING (default 3000)
  --success-rate R             share of jobs that succeed (default 0.9)
  --partial-rate R             share of jobs that partially succeed (default 0.05)
  --retry-success-rate R       share of retried jobs that succeed (default: as new jobs)
  --server-error-rate R        lead updates answered 500/502/503/504, not applied (default 0)
  --admin-server-error-rate R  status/log/retry calls answered with a 5xx (default 0)
  --read-server-error-rate R   list and GET lead calls answered with a 5xx (default 0)
  --data small|practice|large  the seeded world of the read endpoints (default practice: 3000 leads)
  --leads N                    how many seeded leads (overrides the --data size)
  --data-seed N                seed of the seeded world (default 1)
  --drop-before-apply-rate R   lead updates cut off before being applied (default 0)
  --drop-after-apply-rate R    lead updates applied, then cut off unanswered (default 0)
  --repeated-job-id-rate R     lead updates applied, answered with the job id answered last (default 0)
  --latency-ms MS              added to every response (default 0)
  --logs-coverage R            share of finished jobs that show in the write logs (default 1)
  --logs-hide-root-ids         write logs show job ids other than the update's root job id
  --shape openapi|meta         success body: { job_id, data } or { meta: { job_id }, result }
  --token-required             require "Authorization: Bearer $${TOKEN_ENV_VAR}"
  --seed N                     seed for every random choice (default 1)
  --quiet                      do not log requests
  --help                       show this help
`;

export type CliParse =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly options: SimulatorOptions; readonly quiet: boolean }
  | { readonly kind: 'error'; readonly message: string };

const optionToFlag = new Map<string, string>([
  ...Object.entries(numberFlags).map(([flag, option]): [string, string] => [option, `--${flag}`]),
  ['jobPendingMs', '--pending-ms'],
]);

function parseNumber(flag: string, raw: string): E.Either<string, number> {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? E.right(value) : E.left(`--${flag} expects a number, got '${raw}'`);
}

/** Checks one flag's value with the option's own codec, so messages name the flag. */
function checkFlag(flag: string, option: keyof SimulatorOptions, value: unknown): string | null {
  const codec = simulatorOptionProps[option];
  return E.isLeft(codec.decode(value)) ? `--${flag} must be ${codec.name}, got ${JSON.stringify(value)}` : null;
}

function parsePending(raw: string): E.Either<string, SimulatorOptions['jobPendingMs']> {
  const range = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (range) return E.right([Number(range[1]), Number(range[2])]);
  return parseNumber('pending-ms', raw);
}

/** `--data`, `--leads`, `--data-seed` → the `data` option, or undefined when none is given. */
function seedDataOf(
  preset: string | undefined,
  leads: string | undefined,
  seed: string | undefined,
  problems: string[],
): SimulatorOptions['data'] | undefined {
  if (preset === undefined && leads === undefined && seed === undefined) return undefined;
  let data: SimulatorOptions['data'] = defaultOptions.data;
  if (preset !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(dataPresets, preset))
      problems.push(`--data must be one of ${Object.keys(dataPresets).join(', ')}, got '${preset}'`);
    else data = dataPresets[preset as keyof typeof dataPresets];
  }
  for (const [flag, raw, key] of [
    ['leads', leads, 'leads'],
    ['data-seed', seed, 'seed'],
  ] as const) {
    if (raw === undefined) continue;
    const parsed = parseNumber(flag, raw);
    if (E.isLeft(parsed)) problems.push(parsed.left);
    else if (!Number.isInteger(parsed.right) || (key === 'leads' && parsed.right < 0))
      problems.push(`--${flag} must be a whole number${key === 'leads' ? ' ≥ 0' : ''}, got '${raw}'`);
    else data = { ...data, [key]: parsed.right };
  }
  return data;
}

export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliParse {
  if (argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    return { kind: 'error', message: `the token is never passed on the command line: set ${TOKEN_ENV_VAR} and use --token-required` };
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(numberFlags).map((flag) => [flag, { type: 'string' as const }])),
        'pending-ms': { type: 'string' },
        data: { type: 'string' },
        leads: { type: 'string' },
        'data-seed': { type: 'string' },
        shape: { type: 'string' },
        practice: { type: 'boolean' },
        'logs-hide-root-ids': { type: 'boolean' },
        'token-required': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help', text: usage };

  const problems: string[] = [];
  const patch: Record<string, unknown> = values.practice === true ? { ...practicePreset } : {};
  for (const [flag, option] of Object.entries(numberFlags)) {
    const raw = (values as Readonly<Record<string, string | boolean | undefined>>)[flag];
    if (typeof raw !== 'string') continue;
    const parsed = parseNumber(flag, raw);
    if (E.isLeft(parsed)) {
      problems.push(parsed.left);
      continue;
    }
    const problem = checkFlag(flag, option, parsed.right);
    if (problem) problems.push(problem);
    else patch[option] = parsed.right;
  }
  const pending = values['pending-ms'];
  if (typeof pending === 'string') {
    const parsed = parsePending(pending);
    if (E.isLeft(parsed)) problems.push(parsed.left);
    else {
      const problem = checkFlag('pending-ms', 'jobPendingMs', parsed.right);
      if (problem) problems.push(problem);
      else patch.jobPendingMs = parsed.right;
    }
  }
  const shape = values.shape;
  if (typeof shape === 'string') {
    const problem = checkFlag('shape', 'responseShape', shape);
    if (problem) problems.push(problem);
    else patch.responseShape = shape;
  }
  const data = seedDataOf(values.data, values.leads, values['data-seed'], problems);
  if (data !== undefined) patch.data = data;
  if (values['logs-hide-root-ids'] === true) patch.logsShowRootJobIds = false;
  if (values['token-required'] === true) {
    const token = env[TOKEN_ENV_VAR];
    if (token === undefined || token.trim() === '')
      problems.push(`--token-required needs the token in the environment variable ${TOKEN_ENV_VAR}`);
    else patch.token = token.trim();
  }
  if (problems.length > 0) return { kind: 'error', message: problems.join('\n') };

  try {
    return { kind: 'run', options: resolveOptions(defaultOptions, patch), quiet: values.quiet === true };
  } catch (error) {
    if (error instanceof SimulatorOptionsError) {
      // Name the flags the person typed rather than the option names behind them.
      const named = error.problems.map((p) => p.replace(/\b[a-z]+(?:[A-Z][a-z]+)+\b/g, (name) => optionToFlag.get(name) ?? name));
      return { kind: 'error', message: named.join('\n') };
    }
    throw error;
  }
}

export function formatRequestLine(r: RecordedRequest): string {
  const took = r.finishedAt === null ? '' : ` ${Math.round(r.finishedAt - r.at)} ms`;
  const job = r.applied && r.jobId !== undefined ? ` job ${r.jobId}` : '';
  const fault = r.fault === undefined ? '' : ` [${r.fault}]`;
  return `${String(r.status).padEnd(7)} ${r.method} ${r.path}${r.search}${job}${took}${fault}`;
}

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the simulator should stop (SIGINT/SIGTERM for the real process). */
  readonly stopped: Promise<string>;
}

/** Runs the simulator until `io.stopped` resolves; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCliArgs(argv, io.env);
  if (parsed.kind === 'help') {
    io.stdout(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`simulator: ${parsed.message}`);
    io.stderr('Run with --help for the options.');
    return 2;
  }
  const simulator = await startSimulator(parsed.options, parsed.quiet ? {} : { onFinished: (r) => io.stdout(formatRequestLine(r)) });
  io.stdout(`Propexo simulator listening on ${simulator.url}`);
  const o = parsed.options;
  io.stdout(
    `rate ${o.rateLimit} per ${o.windowMs} ms, jobs pending ${JSON.stringify(o.jobPendingMs)} ms, ` +
      `success ${o.successRate}, partial ${o.partialRate}, token ${o.token === null ? 'not required' : `required (from ${TOKEN_ENV_VAR})`}, seed ${o.seed}`,
  );
  const signal = await io.stopped;
  io.stdout(`${signal}: stopping after ${simulator.record.length} requests`);
  await simulator.close();
  return 0;
}

const isMain = (): boolean => {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
};

if (isMain()) {
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    stopped,
  });
}
