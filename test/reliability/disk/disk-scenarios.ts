// Disk problems, met by the real CLI: a data folder it cannot write (a file in the way, no
// permission, a read-only file system, a folder that turned read-only under an interrupted
// run), a report path it cannot write, and a disk that fills up mid-run. Each must end in a
// clear message (exit 2, naming the path, not a stack trace), leave the journal readable, and
// lose nothing: once the problem is fixed, resume (or status) finishes the run and the send
// invariants hold.
//
// startSend/resumeSend take no file system (only the journal and run store do), so a full disk
// is a small tmpfs here (met by the CLI, and by startSend as the desktop app calls it), and a
// read-only folder a read-only tmpfs; both need root, and are skipped with the reason when
// mounts are not allowed.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { readJournal } from '../../../app/run/journal.ts';
import { lastRunEvent } from '../../../app/run/journal-entry.ts';
import { runCliProcess, spawnCliProcess, unprivilegedCli, type CliExit } from '../send/cli-process.ts';
import { sendFile } from '../../../app/run/send-run.ts';
import { checkInvariants, readResults, summaryFromJson, type SummaryCounts } from '../send/invariants.ts';
import { writeLeadFile, type LeadFile } from '../send/lead-file.ts';
import { Checks, timed, type Check, type ScenarioReport, type Size } from '../send/scenario-report.ts';
import { faultsInRecord, mergeFaults, startClockedSimulator, updateRequests, type ClockedSimulator } from '../send/simulator-clock.ts';
import {
  collectUnhandledRejections,
  everydaySimulator,
  fastTracking,
  hasStackTrace,
  inTempDir,
  lastJsonLine,
  onlyRun,
  patientBackoff,
  runDirOf,
  sendArgv,
} from '../send/workspace.ts';
import { mountsUnavailable, mountTmpfs, remount, unmount, withTmpfs } from './mounts.ts';

export const DISK_ROWS: Readonly<Record<Size, number>> = { fast: 300, soak: 5_000 };
/** The report-path cases only need a run to finish. */
const REPORT_ROWS: Readonly<Record<Size, number>> = { fast: 120, soak: 1_000 };

const KEY = 'sk_test_reliability-disk-0c93d1';
const env = { PATH: process.env.PATH, PROPEXO_API_KEY: KEY };

const firstLines = (text: string): string => text.trim().split('\n').slice(0, 3).join(' | ').slice(0, 400);

/**
 * The CLI refused cleanly: exit 2, a `lead-import:` message naming `path`, no stack trace, and
 * (every command here runs with --json) a JSON object on stdout for whatever automation reads it.
 */
function refusedCleanly(checks: Checks, label: string, exit: CliExit, path: string): void {
  checks.that(
    `${label}: exit 2`,
    exit.code === 2,
    `exit ${String(exit.code)}${exit.signal ? ` (${exit.signal})` : ''}: ${firstLines(exit.stderr)}`,
  );
  checks.that(`${label}: the message names ${path}`, exit.stderr.includes(path), firstLines(exit.stderr));
  checks.that(
    `${label}: a message, not a crash`,
    /^lead-import: /m.test(exit.stderr) && !hasStackTrace(exit.stderr),
    firstLines(exit.stderr),
  );
  checks.that(
    `${label}: --json still prints a JSON object (error or summary)`,
    lastJsonLine(exit.stdout) !== undefined,
    `stdout: ${JSON.stringify(exit.stdout.slice(-200))}`,
  );
}

async function journalState(dataDir: string, runId: string): Promise<{ readable: boolean; detail: string; last?: string }> {
  const read = await readJournal(runDirOf(dataDir, runId), { repair: false });
  if (E.isLeft(read)) return { readable: false, detail: read.left.message };
  return {
    readable: read.right.problems.length === 0,
    detail: read.right.problems.join('; ') || `${read.right.entries.length} entries`,
    last: lastRunEvent(read.right.entries)?.t,
  };
}

async function withSimulator<T>(
  file: LeadFile,
  body: (cs: ClockedSimulator, hooks: { onAccepted?: (n: number) => void }) => Promise<T>,
): Promise<T> {
  const hooks: { onAccepted?: (n: number) => void } = {};
  let accepted = 0;
  const cs = await startClockedSimulator(everydaySimulator(file, KEY), {
    onFinished: (r) => {
      if (r.endpoint === 'update-lead' && r.status === 200) hooks.onAccepted?.(++accepted);
    },
  });
  try {
    return await body(cs, hooks);
  } finally {
    await cs.sim.close();
  }
}

/** Sends with `send`, killed once `killAt` updates were accepted: an interrupted run. */
async function interruptedRun(
  cs: ClockedSimulator,
  hooks: { onAccepted?: (n: number) => void },
  file: LeadFile,
  dataDir: string,
  killAt: number,
): Promise<CliExit> {
  const child = spawnCliProcess(sendArgv(file, cs.sim.url, dataDir), { env });
  hooks.onAccepted = (n) => {
    if (n >= killAt) child.kill();
  };
  const exit = await child.exited;
  hooks.onAccepted = undefined;
  return exit;
}

/** Resumes until the run finishes; then the send invariants over the whole run. */
async function finishAndCheck(
  checks: Checks,
  label: string,
  cs: ClockedSimulator,
  file: LeadFile,
  dataDir: string,
  runId: string,
  results: string,
  exactSent: boolean,
): Promise<string[]> {
  const resumed = await runCliProcess(['resume', runId, '--env', cs.sim.url, '--data-dir', dataDir, '--results', results, '--json'], {
    env,
  });
  checks.that(
    `${label}: resume finished the run`,
    resumed.code === 0 || resumed.code === 1,
    `exit ${String(resumed.code)}: ${firstLines(resumed.stderr)}`,
  );
  const summary = summaryFromJson(lastJsonLine(resumed.stdout));
  const result = await checkInvariants(
    { file, simulator: cs, runDir: runDirOf(dataDir, runId), resultsPath: results, summary },
    { exactSent },
  );
  checks.add(`${label}: `, result.checks);
  return [...result.notes];
}

/** The data folder cannot be written: refused up front, or on resume of an interrupted run. */
export async function unwritableDataDir(size: Size): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('datadir', async (dir) => {
      const checks = new Checks();
      const notes: string[] = [];
      const skips: string[] = [];
      const file = await writeLeadFile(join(dir, 'leads.csv'), DISK_ROWS[size]);
      const noMounts = await mountsUnavailable();
      const faults = await withSimulator(file, async (cs, hooks) => {
        // A file where a folder should be.
        const blocker = join(dir, 'not-a-folder');
        await writeFile(blocker, 'x');
        const inTheWay = join(blocker, 'data');
        refusedCleanly(checks, 'a file in the way', await runCliProcess(sendArgv(file, cs.sim.url, inTheWay), { env }), inTheWay);

        // No permission (EACCES).
        const locked = join(dir, 'locked');
        await mkdir(locked);
        await chmod(locked, 0o555);
        await chmod(dir, 0o755); // whoever runs the CLI must reach the lead file
        const asUser = await unprivilegedCli(env);
        if ('skipped' in asUser) skips.push(`no permission: ${asUser.skipped}`);
        else {
          try {
            const denied = await runCliProcess(sendArgv(file, cs.sim.url, locked), { env, ...asUser.spawn });
            refusedCleanly(checks, 'no permission', denied, locked);
            checks.that('no permission: says so', /permission denied \(EACCES\)/.test(denied.stderr), firstLines(denied.stderr));
          } finally {
            await asUser.cleanUp();
          }
        }

        if (noMounts) skips.push(`read-only file system: ${noMounts}`);
        else {
          // A read-only file system (EROFS), as the data folder and as its parent.
          const ro = join(dir, 'ro');
          await withTmpfs(ro, 'ro,size=64k', async () => {
            const exit = await runCliProcess(sendArgv(file, cs.sim.url, ro), { env });
            refusedCleanly(checks, 'read-only data folder', exit, ro);
            checks.that('read-only data folder: says so', /read-only \(EROFS\)/.test(exit.stderr), firstLines(exit.stderr));
            const nested = join(ro, 'lead-importer');
            const below = await runCliProcess(sendArgv(file, cs.sim.url, nested), { env });
            refusedCleanly(checks, 'data folder to create on a read-only disk', below, nested);
            if (!/EROFS|read-only/.test(below.stderr))
              notes.push(`creating a data folder on a read-only disk is reported as: ${firstLines(below.stderr)}`);
          });
        }
        checks.equal('nothing was sent by a refused run', updateRequests(cs.sim).length, 0);

        if (!noMounts) {
          // A run interrupted, its folder turned read-only before the resume.
          const disk = join(dir, 'disk');
          await mountTmpfs(disk, 'size=64m');
          try {
            const dataDir = join(disk, 'data');
            const results = join(dir, 'results.csv');
            const first = await interruptedRun(cs, hooks, file, dataDir, Math.round(file.valid.length * 0.4));
            checks.that('the run was interrupted', first.signal === 'SIGKILL', `exit ${String(first.code)}`);
            const runId = await onlyRun(dataDir);
            remount(disk, 'ro');
            const before = updateRequests(cs.sim).length;
            const refused = await runCliProcess(
              ['resume', runId, '--env', cs.sim.url, '--data-dir', dataDir, '--results', results, '--json'],
              { env },
            );
            refusedCleanly(checks, 'resume on a read-only disk', refused, runDirOf(dataDir, runId));
            checks.equal('resume on a read-only disk sent nothing', updateRequests(cs.sim).length, before);
            const state = await journalState(dataDir, runId);
            checks.that('the journal stayed readable', state.readable, state.detail);
            remount(disk, 'rw');
            notes.push(...(await finishAndCheck(checks, 'writable again', cs, file, dataDir, runId, results, false)));
          } finally {
            unmount(disk);
          }
        }
        return faultsInRecord(cs.sim);
      });
      return {
        scenario: 'unwritable data folder',
        rows: file.rows.length,
        faults: mergeFaults(faults, {
          'unwritable folder': checks.list.filter((c) => c.name.endsWith(': exit 2')).length,
          SIGKILL: noMounts ? 0 : 1,
        }),
        checks: checks.list,
        notes,
        ...(skips.length > 0 ? { skipped: skips.join('; ') } : {}),
      };
    }),
  );
}

/** Report paths that cannot be written: a clear refusal; the run and its journal stay whole. */
export async function unwritableReportPath(size: Size): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('report', async (dir) => {
      const checks = new Checks();
      const notes: string[] = [];
      const file = await writeLeadFile(join(dir, 'leads.csv'), REPORT_ROWS[size]);
      const noMounts = await mountsUnavailable();
      const cases: { label: string; flag: '--results' | '--errors'; path: string; prepare?: () => Promise<void> }[] = [
        {
          label: 'results path is a folder',
          flag: '--results',
          path: join(dir, 'a-folder.csv'),
          prepare: () => mkdir(join(dir, 'a-folder.csv')).then(() => undefined),
        },
        { label: 'error report in a missing folder', flag: '--errors', path: join(dir, 'missing', 'errors.csv') },
      ];
      const ro = join(dir, 'ro');
      if (!noMounts) {
        cases.push({
          label: 'results on a read-only disk',
          flag: '--results',
          path: join(ro, 'results.csv'),
          prepare: () => mountTmpfs(ro, 'ro,size=64k'),
        });
      }
      let runs = 0;
      const faults: Record<string, number>[] = [];
      try {
        for (const [i, c] of cases.entries()) {
          await c.prepare?.();
          // A fresh simulator per case: the invariants read one run's record.
          faults.push(
            await withSimulator(file, async (cs) => {
              const dataDir = join(dir, `data-${i}`);
              const exit = await runCliProcess(sendArgv(file, cs.sim.url, dataDir, [c.flag, c.path]), { env });
              refusedCleanly(checks, c.label, exit, c.path);
              const sent = updateRequests(cs.sim).length;
              let runId: string | undefined;
              try {
                runId = await onlyRun(dataDir);
              } catch {
                runId = undefined;
              }
              if (runId === undefined) {
                checks.equal(`${c.label}: refused before anything was sent`, sent, 0);
                return faultsInRecord(cs.sim);
              }
              runs++;
              // The run went ahead: it must be complete in the journal, and its results obtainable.
              const state = await journalState(dataDir, runId);
              checks.that(
                `${c.label}: the journal is readable and the run finished`,
                state.readable && state.last === 'finished',
                `${state.detail}; last event ${String(state.last)}`,
              );
              const results = join(dir, `results-${i}.csv`);
              const status = await runCliProcess(
                ['status', runId, '--env', cs.sim.url, '--data-dir', dataDir, '--results', results, '--json'],
                { env },
              );
              checks.that(
                `${c.label}: \`status\` writes the results to a good path`,
                status.code === 0 || status.code === 1,
                `exit ${String(status.code)}: ${firstLines(status.stderr)}`,
              );
              const summary: SummaryCounts | undefined = summaryFromJson(lastJsonLine(status.stdout));
              const result = await checkInvariants(
                { file, simulator: cs, runDir: runDirOf(dataDir, runId), resultsPath: results, summary },
                { exactSent: true },
              );
              checks.add(`${c.label}: `, result.checks);
              notes.push(...result.notes);
              return faultsInRecord(cs.sim);
            }),
          );
        }
      } finally {
        if (!noMounts) unmount(ro);
      }
      if (runs > 0) notes.push(`${runs} of ${cases.length} runs sent every row before the report path failed (it is not checked up front)`);
      return {
        scenario: 'unwritable report path',
        rows: file.rows.length * cases.length,
        faults: mergeFaults(...faults, { 'bad report path': cases.length }),
        checks: checks.list,
        notes,
        ...(noMounts ? { skipped: `read-only report path: ${noMounts}` } : {}),
      };
    }),
  );
}

/** The disk fills up mid-run (a small tmpfs); after space is freed, resume finishes the run. */
export async function fullDisk(size: Size): Promise<ScenarioReport> {
  return timed(async () => {
    const noMounts = await mountsUnavailable();
    if (noMounts) return { scenario: 'disk full mid-run', rows: 0, faults: {}, checks: [], notes: [], skipped: noMounts };
    return inTempDir('full', async (dir) => {
      const checks = new Checks();
      const file = await writeLeadFile(join(dir, 'leads.csv'), DISK_ROWS[size]);
      const disk = join(dir, 'disk');
      // The journal takes ~300 bytes a row: the disk fills about a third of the way through.
      const capacityKb = Math.max(32, Math.round((file.valid.length * 300) / 3 / 1024));
      await mountTmpfs(disk, `size=${capacityKb}k`);
      try {
        return await withSimulator(file, async (cs) => {
          const dataDir = join(disk, 'data');
          const results = join(dir, 'results.csv');
          const first = await runCliProcess(sendArgv(file, cs.sim.url, dataDir, ['--results', results]), { env });
          const runId = await onlyRun(dataDir);
          const journalPath = join(runDirOf(dataDir, runId), 'journal.jsonl');
          refusedCleanly(checks, 'disk full', first, journalPath);
          checks.that('disk full: says the disk is full', /disk is full \(ENOSPC\)/.test(first.stderr), firstLines(first.stderr));
          const stoppedAt = updateRequests(cs.sim).length;
          checks.that('the run stopped part-way', stoppedAt < file.valid.length, `${stoppedAt} updates sent of ${file.valid.length}`);
          const state = await journalState(dataDir, runId);
          checks.that('the journal stayed readable (no torn line)', state.readable, state.detail);

          remount(disk, 'size=256m');
          const notes = await finishAndCheck(checks, 'space freed', cs, file, dataDir, runId, results, true);
          return {
            scenario: 'disk full mid-run',
            rows: file.rows.length,
            faults: mergeFaults(faultsInRecord(cs.sim), { ENOSPC: 2 }),
            checks: checks.list,
            notes: [`tmpfs of ${capacityKb} KB; ${stoppedAt} updates before it filled`, ...notes],
          };
        });
      } finally {
        unmount(disk);
      }
    }).then(async (report) => ({ ...report, rows: report.rows * 2, checks: [...report.checks, ...(await fullDiskThroughApi(size))] }));
  });
}

/** The same through the API (the desktop app's path): the run ends, stopped for the journal. */
async function fullDiskThroughApi(size: Size): Promise<Check[]> {
  const checks = new Checks();
  await inTempDir('full-api', async (dir) => {
    const file = await writeLeadFile(join(dir, 'leads.csv'), DISK_ROWS[size]);
    const disk = join(dir, 'disk');
    await withTmpfs(disk, `size=${Math.max(32, Math.round((file.valid.length * 300) / 3 / 1024))}k`, () =>
      withSimulator(file, async (cs) => {
        const resultsPath = join(dir, 'results.csv');
        const started = await sendFile({
          path: file.path,
          environment: cs.sim.url,
          token: KEY,
          dataDir: join(disk, 'data'),
          resultsPath,
          windowMs: 1_000,
          rate: 100_000,
          concurrency: 8,
          tracking: fastTracking,
          backoff: patientBackoff,
        });
        if (E.isLeft(started)) {
          checks.that('API: the run started', false, started.left.message);
          return;
        }
        const run = started.right;
        const { result: ended, unhandled } = await collectUnhandledRejections(() =>
          run.done.then(
            (summary) => ({ summary }),
            (error: unknown) => ({ error }),
          ),
        );
        checks.none('API: no promise rejection left unhandled (a process without a handler dies of it)', unhandled);
        if ('error' in ended) {
          checks.that(
            'API: run.done resolves with a summary, not a rejection',
            false,
            ended.error instanceof Error ? ended.error.message : String(ended.error),
          );
          return;
        }
        const { stopped } = ended.summary;
        checks.that(
          'API: the run stopped for the journal, saying the disk is full',
          stopped?.reason === 'journal' && /disk is full/.test(stopped.message),
          JSON.stringify(stopped),
        );
        const lines = await readResults(resultsPath).catch(() => []);
        checks.equal(
          'API: the results file has one line per row',
          new Set(lines.map((l) => l.import_row)).size === file.rows.length && lines.length === file.rows.length,
          true,
        );
      }),
    );
  });
  return checks.list;
}

export const diskScenarios = [
  { name: 'unwritable data folder', run: unwritableDataDir },
  { name: 'unwritable report path', run: unwritableReportPath },
  { name: 'disk full mid-run', run: fullDisk },
] as const;
