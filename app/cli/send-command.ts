// `lead-import send|resume|status|retry|runs`: runs against Propexo from the command line.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as E from 'fp-ts/Either';
import { resumeAnyRun } from '../undo/undo-run.ts';
import {
  prepareSend,
  startSend,
  recheckRun,
  retryRun,
  type LiveRun,
  type RunError,
  type RunResult,
  type ResumeOptions,
  type SendOptions,
} from '../run/send-run.ts';
import { resolveDataDir } from '../run/data-dir.ts';
import { runCounts } from '../run/run-counts.ts';
import { MIN_SECRET_LENGTH } from '../shared/redact.ts';
import { createRunStore } from '../run/run-store.ts';
import type { RunEnvironment } from '../run/run-header.ts';
import { isProductionEnvironment, isProductionUrl, propexoServers, resolveBaseUrl } from '../propexo/base-url.ts';
import { environmentName } from '../run/run-context.ts';
import { concurrencyBounds, rateBounds } from '../shared/run-policy.ts';
import { confirmProduction } from './production-guard.ts';
import { EXIT, type CliIo, type CliOverrides } from './io.ts';
import { loadMappingFile, sourceFlagSpec, sourceOptionsFrom } from './source-flags.ts';
import { fatal, parseCommandLine, usageError } from './usage-error.ts';
import { count, plural } from './format.ts';
import type { PreSendReport } from '../run/pre-send.ts';
import type { LookupScope } from '../run/run-header.ts';
import { progressReporter } from './progress-reporter.ts';

export const sendUsage = `Usage: lead-import send FILE --env practice|sandbox|production|URL [--mapping M] [--integration ID] [--property ID] [--no-preview] [--concurrency N] [--rate N] [--errors OUT] [--results OUT] [--data-dir D] [--api-key-file F] [--json] [--yes]

Sends every valid row of FILE as a lead update and follows each job to its final status.
Rows that name their lead by x_id, e-mail or phone, or hold names for ids, are first looked up
in Propexo (scope: --integration/--property, or the mapping file's); rows not found or
ambiguous are not sent. Unless --no-preview, each lead's current values are read first: only
fields that change are sent, rows already up to date are not sent, and the run can be undone.
The API key comes from PROPEXO_API_KEY or --api-key-file (practice needs none). Production
asks for confirmation unless --yes. Exit 0 when every row succeeded or was skipped, 1 when any
row did not, 2 when the run could not go on (credentials, file, data directory).`;

export const resumeUsage =
  'Usage: lead-import resume RUN [--env URL] [--errors OUT] [--results OUT] [--data-dir D] [--api-key-file F] [--json] [--yes]';
export const statusUsage =
  'Usage: lead-import status RUN [--env URL] [--results OUT] [--data-dir D] [--api-key-file F] [--json]   (re-checks pending jobs)';
export const retryUsage =
  'Usage: lead-import retry RUN [--env URL] [--errors OUT] [--results OUT] [--data-dir D] [--api-key-file F] [--json] [--yes]   (retries failed jobs, re-sends rejected/failed/not-sent rows)';
export const runsUsage = 'Usage: lead-import runs [--data-dir D] [--json]   (history)';

const connectionFlags = {
  'data-dir': { type: 'string' },
  'api-key-file': { type: 'string' },
  errors: { type: 'string' },
  results: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** resume, status, retry: the server named again (a custom server's run needs it), and production's --yes. */
export const runFlags = { ...connectionFlags, env: { type: 'string' }, yes: { type: 'boolean', short: 'y' } } as const;

export function positiveInteger(value: string | undefined, flag: string, min: number, max: number): E.Either<string, number | undefined> {
  if (value === undefined) return E.right(undefined);
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) return E.left(`${flag} must be a whole number from ${min} to ${max} (got '${value}')`);
  return E.right(n);
}

/** The API key: from a file (first line) or PROPEXO_API_KEY. Never from an argument, never echoed. */
export async function readToken(io: CliIo, file: string | undefined): Promise<E.Either<string, string | undefined>> {
  // As the app's key field does: a key this short is a mistake, and could not be scrubbed from text.
  const checked = (key: string, from: string): E.Either<string, string> =>
    key.length < MIN_SECRET_LENGTH
      ? E.left(`The API key in ${from} is too short: an API key has at least ${MIN_SECRET_LENGTH} characters`)
      : E.right(key);
  if (file !== undefined) {
    try {
      const text = (await readFile(resolve(io.cwd, file), 'utf8')).split(/\r?\n/)[0]?.trim() ?? '';
      if (!text) return E.left(`The API key file ${file} is empty`);
      return checked(text, `the file ${file}`);
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
      return E.left(`Cannot read the API key file ${file} (${code})`);
    }
  }
  const fromEnv = io.env.PROPEXO_API_KEY?.trim();
  return fromEnv ? checked(fromEnv, 'PROPEXO_API_KEY') : E.right(undefined);
}

/** `server`: what continuing the run needs after its id (` --env URL` for a server of one's own, else ''). */
function humanSummary(s: RunResult, server: string): string {
  const lines = [
    `Run ${s.runId}: ${count(s.rows)} rows (${count(s.valid)} valid, ${count(s.invalid)} invalid, ${count(s.skipped)} skipped)`,
    `  ${count(s.succeeded)} succeeded, ${s.unchanged > 0 ? `${count(s.unchanged)} already up to date, ` : ''}${count(s.partial)} partial, ${count(s.failed)} failed, ${count(s.rejected)} rejected, ` +
      (s.notFound + s.ambiguous > 0 ? `${count(s.notFound)} not found, ${count(s.ambiguous)} ambiguous, ` : '') +
      `${count(s.unknown)} unknown, ${count(s.pending)} pending, ${count(s.notSent)} not sent`,
    `  Requests: ${count(s.requests.update)} updates, ${count(s.requests.status)} status checks, ${count(s.requests.logs)} log reads, ` +
      `${count(s.requests.retries)} write retries, ${count(s.requests.throttled)} throttled (429)` +
      (s.requests.lookup + s.requests.read > 0
        ? `, ${count(s.requests.lookup)} lookups, ${count(s.requests.read)} current-value reads`
        : ''),
  ];
  if (s.stopped && s.stopped.reason !== 'cancelled') lines.push(`  Stopped: ${s.stopped.message}`);
  if (s.lostTrack > 0) lines.push(`  Lost track of ${count(s.lostTrack)} rows: they end unknown (or not sent); see the results`);
  if (s.stopped?.reason === 'cancelled') lines.push(`  Cancelled. Resume with: lead-import resume ${s.runId}${server}`);
  if (s.pending > 0) lines.push(`  Some jobs were still pending: check them later with: lead-import status ${s.runId}${server}`);
  if (s.failed + s.rejected + s.unknown + s.notSent > 0 && !s.stopped)
    lines.push(`  Retry what failed with: lead-import retry ${s.runId}${server}`);
  if (s.resultsFile) lines.push(`  Results: ${s.resultsFile}`);
  if (s.errorsFile) lines.push(`  Error report: ${s.errorsFile}`);
  return `${lines.join('\n')}\n`;
}

const NO_PREVIEW_NOTE = 'Preview skipped (--no-preview): nothing was dropped as unchanged, and undo is not available for this run.';

/** The scope as run.json keeps it: only what was given. */
function lookupScopeOf(integrationId: string | undefined, propertyId: string | undefined): LookupScope | undefined {
  if (integrationId === undefined && propertyId === undefined) return undefined;
  return { ...(integrationId === undefined ? {} : { integrationId }), ...(propertyId === undefined ? {} : { propertyId }) };
}

/** Before sending: what the check against Propexo found, what reading current values costs, what will change. */
export function describePreSend(report: PreSendReport): string {
  const lines: string[] = [];
  if (report.changes === undefined) {
    if (report.lookup !== undefined) {
      const l = report.lookup;
      lines.push(
        `Checked against Propexo: ${count(l.matched)} matched, ${count(l.notFound)} not found, ${count(l.ambiguous)} ambiguous (${l.strategy}; ${plural(l.requests, 'request')})`,
      );
      if (l.scopeChanged) lines.push('  Note: the scope changed while it was read; a lead deleted meanwhile may have been missed.');
    }
    if (report.readCost !== undefined) lines.push(`${report.readCost.text}.`);
    if (report.previewSkipped) lines.push(NO_PREVIEW_NOTE);
  } else {
    const c = report.changes;
    lines.push(
      `${plural(c.leads, 'lead')}, ${plural(c.fields, 'field')} will change; ${plural(c.unchangedRows, 'row')} ${c.unchangedRows === 1 ? 'is' : 'are'} already up to date` +
        (c.unknownFields > 0 ? ` (${count(c.unknownFields)} fields whose current value could not be read are sent as they are)` : ''),
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function jsonRunSummary(s: RunResult): Record<string, unknown> {
  return {
    ...runCounts(s),
    requests: s.requests,
    errorsFile: s.errorsFile,
    resultsFile: s.resultsFile,
    stopped: s.stopped === null ? null : { reason: s.stopped.reason, message: s.stopped.message },
    reportError: s.reportError,
    lostTrack: s.lostTrack,
  };
}

/**
 * Waits for a run, showing progress, cancelling cleanly on Ctrl-C; prints the summary (with
 * `extraJson` in its --json object, taken once the run has ended when a function, and `note` as
 * the text summary's last line: what --no-preview gave up).
 */
export async function follow(
  io: CliIo,
  run: LiveRun,
  json: boolean,
  paths: { errors?: string; results?: string },
  server: string,
  extraJson: Record<string, unknown> | (() => Record<string, unknown>) = {},
  note?: string,
): Promise<number> {
  const reporter = progressReporter(io, run);
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write(
        `\nCancelling: requests in flight finish, nothing more is sent. Resume later with: lead-import resume ${run.runId}${server}\n`,
      );
      run.cancel();
    } else {
      io.stderr.write('\nStopping now. The journal keeps the run resumable.\n');
      process.exit(130);
    }
  };
  // The event loop ran dry with the run unfinished: nothing in flight or scheduled can ever end
  // its open rows, and Node would exit (code 13) without summary or reports. End them as lost
  // instead; the run then writes its journal, reports and summary. Once only: if that work runs
  // dry too, the command line's own guard (run-command-line.ts) ends the process with a sentence.
  const onDrained = (): void => {
    process.off('beforeExit', onDrained);
    run.abandon('nothing was left in flight or scheduled for it, so it could never end');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('beforeExit', onDrained);
  let summary: RunResult;
  try {
    summary = await run.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('beforeExit', onDrained);
    reporter.stop();
  }
  const shown = {
    ...summary,
    errorsFile: summary.errorsFile ? (paths.errors ?? summary.errorsFile) : null,
    resultsFile: summary.resultsFile ? (paths.results ?? summary.resultsFile) : null,
  };
  if (json)
    io.stdout.write(`${JSON.stringify({ ...jsonRunSummary(shown), ...(typeof extraJson === 'function' ? extraJson() : extraJson) })}\n`);
  else io.stdout.write(humanSummary(shown, server) + (note === undefined ? '' : `  ${note}\n`));
  let fatalProblem = false;
  if (summary.stopped && summary.stopped.reason !== 'cancelled') {
    // On stderr even with --json: the summary object has no room for why the run stopped.
    io.stderr.write(`lead-import: ${summary.stopped.message}\n`);
    fatalProblem = true;
  }
  if (summary.lostTrack > 0) {
    io.stderr.write(
      `lead-import: the run lost track of ${count(summary.lostTrack)} rows (an internal fault): they end unknown, or not sent, with the reason in the results. Send them again with: lead-import retry ${summary.runId}\n`,
    );
  }
  if (summary.reportError !== null) {
    const again = [paths.results ? `--results ${paths.results}` : '', paths.errors ? `--errors ${paths.errors}` : '']
      .filter(Boolean)
      .join(' ');
    io.stderr.write(
      `lead-import: ${summary.reportError}\nThe run itself is saved. Once the problem is fixed, write its reports with: lead-import status ${summary.runId}${server} ${again}\n`,
    );
    fatalProblem = true;
  }
  if (fatalProblem) return EXIT.fatal;
  const allGood = summary.succeeded + summary.unchanged + summary.skipped === summary.rows;
  return allGood ? EXIT.ok : EXIT.someRowsFailed;
}

/** Production was not confirmed: nothing was sent. */
export function declined(io: CliIo, json: boolean, refused: string | null): number {
  if (refused !== null) return fatal(io, json, `${refused}. Nothing was sent.`);
  io.stderr.write('Nothing was sent.\n');
  if (json) io.stdout.write(`${JSON.stringify({ error: { message: 'Not confirmed: nothing was sent.' } })}\n`);
  return EXIT.fatal;
}

const runErrorExit = (io: CliIo, json: boolean, error: RunError): number => fatal(io, json, error.message);

export async function sendCommand(argv: readonly string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  const parsed = parseCommandLine(
    io,
    {
      args: [...argv],
      allowPositionals: true,
      options: {
        ...sourceFlagSpec,
        ...connectionFlags,
        env: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        integration: { type: 'string' },
        property: { type: 'string' },
        'no-preview': { type: 'boolean' },
      },
    },
    sendUsage,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usageError(io, 'one FILE expected');
  if (!values.env) return usageError(io, '--env is required: practice, sandbox, production, or a URL');
  const json = values.json === true;
  const fail = (message: string): number => fatal(io, json, message);

  const sourceOptions = sourceOptionsFrom(values);
  if (E.isLeft(sourceOptions)) return fail(sourceOptions.left);
  const concurrency = positiveInteger(values.concurrency, '--concurrency', concurrencyBounds.min, concurrencyBounds.max);
  if (E.isLeft(concurrency)) return fail(concurrency.left);
  const rate = positiveInteger(values.rate, '--rate', rateBounds.min, rateBounds.max);
  if (E.isLeft(rate)) return fail(rate.left);
  let mappingFile;
  if (values.mapping !== undefined) {
    const loaded = await loadMappingFile(values.mapping, io.cwd);
    if (E.isLeft(loaded)) return fail(loaded.left);
    mappingFile = loaded.right;
  }
  const token = await readToken(io, values['api-key-file']);
  if (E.isLeft(token)) return fail(token.left);

  if (isProductionEnvironment(values.env)) {
    const answer = await confirmProduction(io, {
      yes: values.yes === true,
      what: `Sending to production (${propexoServers.production})`,
      question: `Send the valid rows of ${positionals[0]} to PRODUCTION (real property-management systems)? [y/N] `,
    });
    if (!answer.go) return declined(io, json, answer.refused);
  }

  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, cwd: io.cwd });
  const sendOptions: SendOptions = {
    ...overrides.connection,
    ...overrides.files,
    path: resolve(io.cwd, positionals[0]),
    source: sourceOptions.right,
    mappingFile,
    mappingFileName: values.mapping,
    environment: values.env,
    token: token.right,
    dataDir: dataDir.dir,
    concurrency: concurrency.right,
    rate: rate.right,
    errorsPath: values.errors === undefined ? undefined : resolve(io.cwd, values.errors),
    resultsPath: values.results === undefined ? undefined : resolve(io.cwd, values.results),
    lookup: lookupScopeOf(values.integration ?? mappingFile?.integration, values.property ?? mappingFile?.property),
    preview: values['no-preview'] !== true,
    onPreSend: json ? undefined : (report) => io.stderr.write(describePreSend(report)),
  };
  // The file is opened and mapped here, as validate does; the run core takes the prepared import.
  const input = await prepareSend(sendOptions);
  if (E.isLeft(input)) return runErrorExit(io, json, input.left);
  const started = await startSend(input.right, sendOptions);
  if (E.isLeft(started)) return runErrorExit(io, json, started.left);
  if (!json)
    io.stderr.write(`Run ${started.right.runId} started (${count(started.right.validation.valid)} rows to send to ${values.env}).\n`);
  const server = environmentName(values.env) === 'custom' ? E.getOrElse(() => values.env ?? '')(resolveBaseUrl(values.env)) : '';
  const note = values['no-preview'] === true ? NO_PREVIEW_NOTE : undefined;
  return follow(
    io,
    started.right,
    json,
    { errors: values.errors, results: values.results },
    server === '' ? '' : ` --env ${server}`,
    {},
    note,
  );
}

type Reopen = (options: ResumeOptions) => Promise<E.Either<RunError, LiveRun>>;

/** The environment a run records (none when it cannot be read: reopening it says why). */
export async function recordedEnvironment(dataDir: string, runId: string): Promise<RunEnvironment | undefined> {
  const header = await createRunStore(dataDir).header(runId);
  return E.isRight(header) ? header.right.environment : undefined;
}

/** The flags a command on a stored run (resume, status, retry, undo) reads here (runFlags). */
interface StoredRunValues {
  readonly env?: string;
  readonly json?: boolean;
  readonly yes?: boolean;
  readonly errors?: string;
  readonly results?: string;
  readonly concurrency?: string;
  readonly rate?: string;
  readonly 'api-key-file'?: string;
  readonly 'data-dir'?: string;
}

/** What a command on a stored run reads from its command line, checked; the run's production confirmed where it writes. */
export interface StoredRunCommand {
  readonly json: boolean;
  readonly runId: string;
  readonly dataDir: string;
  readonly options: {
    readonly dataDir: string;
    readonly runId: string;
    /**
     * A named environment is passed on as read here, so the run reopened is the one just
     * confirmed (a run.json changed in between is refused as naming another server).
     */
    readonly environment: string;
    readonly token: string | undefined;
    readonly concurrency: number | undefined;
    readonly rate: number | undefined;
    readonly errorsPath: string | undefined;
    readonly resultsPath: string | undefined;
  };
}

/**
 * The run id, key, speed and data folder of a command on a stored run, or its exit code (a
 * usage error, a bad flag, production declined). `production`: what to ask before writing to a
 * run recorded on production; null for a command that only reads.
 */
export async function storedRunCommand(
  io: CliIo,
  values: StoredRunValues,
  positionals: readonly string[],
  production: ((runId: string) => { readonly what: string; readonly question: string }) | null,
): Promise<StoredRunCommand | number> {
  if (positionals.length !== 1) return usageError(io, 'one RUN id expected (see "lead-import runs")');
  const json = values.json === true;
  const token = await readToken(io, values['api-key-file']);
  if (E.isLeft(token)) return fatal(io, json, token.left);
  const concurrency = positiveInteger(values.concurrency, '--concurrency', concurrencyBounds.min, concurrencyBounds.max);
  if (E.isLeft(concurrency)) return fatal(io, json, concurrency.left);
  const rate = positiveInteger(values.rate, '--rate', rateBounds.min, rateBounds.max);
  if (E.isLeft(rate)) return fatal(io, json, rate.left);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, cwd: io.cwd });
  const runId = positionals[0];
  const recorded = await recordedEnvironment(dataDir.dir, runId);
  if (production !== null && recorded !== undefined && (recorded.name === 'production' || isProductionUrl(recorded.baseUrl))) {
    const answer = await confirmProduction(io, { yes: values.yes === true, ...production(runId) });
    if (!answer.go) return declined(io, json, answer.refused);
  }
  return {
    json,
    runId,
    dataDir: dataDir.dir,
    options: {
      dataDir: dataDir.dir,
      runId,
      environment: values.env ?? (recorded !== undefined && recorded.name !== 'custom' ? recorded.name : ''),
      token: token.right,
      concurrency: concurrency.right,
      rate: rate.right,
      errorsPath: values.errors === undefined ? undefined : resolve(io.cwd, values.errors),
      resultsPath: values.results === undefined ? undefined : resolve(io.cwd, values.results),
    },
  };
}

/** `writes`: how to ask before a command that sends to production ("Resume", "Retry"); null for one that only reads. */
function runCommand(reopen: Reopen, usage: string, writes: string | null) {
  return async (argv: readonly string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> => {
    const parsed = parseCommandLine(io, { args: [...argv], allowPositionals: true, options: runFlags }, usage);
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const command = await storedRunCommand(
      io,
      values,
      positionals,
      writes === null
        ? null
        : (runId) => ({
            what: `${writes} of run ${runId} on production (${propexoServers.production})`,
            question: `${writes} run ${runId} on PRODUCTION (real property-management systems)? [y/N] `,
          }),
    );
    if (typeof command === 'number') return command;
    const { json } = command;
    const opened = await reopen({ ...overrides.connection, ...overrides.files, ...command.options });
    if (E.isLeft(opened)) return runErrorExit(io, json, opened.left);
    return follow(
      io,
      opened.right,
      json,
      { errors: values.errors, results: values.results },
      values.env === undefined ? '' : ` --env ${values.env.trim()}`,
    );
  };
}

// An undo run continues its write-backs, any other run its file.
export const resumeCommand = runCommand(resumeAnyRun, resumeUsage, 'Resume');
export const statusCommand = runCommand(recheckRun, statusUsage, null);
export const retryCommand = runCommand(retryRun, retryUsage, 'Retry');

export async function runsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(
    io,
    { args: [...argv], options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
    runsUsage,
  );
  if (typeof parsed === 'number') return parsed;
  const dataDir = resolveDataDir({ flag: parsed.values['data-dir'], env: io.env, cwd: io.cwd });
  const listing = await createRunStore(dataDir.dir).list();
  if (parsed.values.json) {
    io.stdout.write(
      `${JSON.stringify({ runs: listing.runs.map((r) => ({ runId: r.runId, createdAt: r.createdAt, file: r.file.name, environment: r.environment.name, state: r.state, counts: r.counts, outcomes: r.outcomes, undoOf: r.undoOf, undoneBy: r.undoneBy })) })}\n`,
    );
    return EXIT.ok;
  }
  if (listing.runs.length === 0) io.stdout.write(`No runs in ${dataDir.dir}\n`);
  for (const r of listing.runs) {
    const outcomes = Object.entries(r.outcomes)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([k, n]) => `${count(n ?? 0)} ${k.replace('_', ' ')}`)
      .join(', ');
    const links = `${r.undoOf !== undefined ? `  (undo of ${r.undoOf})` : ''}${r.undoneBy !== undefined ? `  (undone by ${r.undoneBy.join(', ')})` : ''}`;
    io.stdout.write(
      `${r.runId}  ${r.state.padEnd(11)} ${r.environment.name.padEnd(10)} ${r.file.name}  ${count(r.counts.rows)} rows${outcomes ? `: ${outcomes}` : ''}${links}\n`,
    );
  }
  for (const skipped of listing.skipped) io.stderr.write(`warning: run ${skipped.runId}: ${skipped.message}\n`);
  return EXIT.ok;
}
