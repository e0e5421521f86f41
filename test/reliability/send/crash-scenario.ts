// Crash and resume: a real `lead-import send` is killed with SIGKILL at moments spread over the
// run, `lead-import resume` takes over each time, until a process finishes. The simulator runs in
// this process and pulls the trigger, so a kill lands exactly where it is aimed:
//
// - on-answer:    while the simulator answers the k-th accepted update (before the client reads
//                 it): the update is applied, the client never learns it, the row is re-sent;
// - after-answer: 1–40 ms after that answer: while the client journals `accepted` and the group
//                 commit writes and fsyncs it, or just after;
// - on-arrival:   as the next update arrives once k updates were accepted: its `sent` entry was
//                 just flushed while other rows' `sent`/`accepted` batches are being written.
//
// Every third kill is followed by cutting the journal's last line in half (a torn write), which
// the resume must repair rather than refuse. Then the invariants, over all the processes.
import { readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { JOURNAL_FILE, readJournal } from '../../../app/run/journal.ts';
import { decodeEntry, type JournalEntry } from '../../../app/run/journal-entry.ts';
import { mulberry32 } from '../../../app/simulator/random.ts';
import { spawnCliProcess, type CliExit, type CliProcess } from './cli-process.ts';
import { checkInvariants, summaryFromJson } from './invariants.ts';
import { writeLeadFile } from './lead-file.ts';
import { Checks, timed, type ScenarioReport, type Size } from './scenario-report.ts';
import { faultsInRecord, startClockedSimulator, type ClockedSimulator } from './simulator-clock.ts';
import { hasStackTrace, inTempDir, lastJsonLine, onlyRun, runDirOf } from './workspace.ts';

export const CRASH_SIZES: Readonly<Record<Size, { readonly rows: number; readonly kills: number }>> = {
  fast: { rows: 300, kills: 3 },
  soak: { rows: 5_000, kills: 24 },
};

const KEY = 'sk_test_reliability-crash-51f0aa';

export type KillMode = 'on-answer' | 'after-answer' | 'on-arrival';
const MODES: readonly KillMode[] = ['on-answer', 'after-answer', 'on-arrival'];

interface Armed {
  readonly threshold: number;
  readonly mode: KillMode;
  readonly process: CliProcess;
  fired: boolean;
}

/** Cuts the journal's last complete line in half; returns the entry it held (if it decodes). */
async function tearLastLine(path: string): Promise<{ readonly torn: boolean; readonly lost?: JournalEntry }> {
  const bytes = await readFile(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) return { torn: false };
  const end = bytes.length - 1;
  const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
  let lost: JournalEntry | undefined;
  try {
    const decoded = decodeEntry(JSON.parse(bytes.subarray(start, end).toString('utf8')));
    if (E.isRight(decoded)) lost = decoded.right;
  } catch {
    // not JSON: nothing lost that the checks could count
  }
  await truncate(path, start + Math.max(1, Math.floor((end - start) / 2)));
  return { torn: true, lost };
}

export async function crashAndResume(size: Size): Promise<ScenarioReport> {
  const { rows, kills: wanted } = CRASH_SIZES[size];
  return timed(() =>
    inTempDir('crash', async (dir) => {
      const file = await writeLeadFile(join(dir, 'leads.csv'), rows);
      const data = join(dir, 'data');
      const results = join(dir, 'results.csv');
      const errors = join(dir, 'errors.csv');
      const random = mulberry32(20_261_127);
      let accepted = 0;
      let armed: Armed | undefined;
      const holder: { cs?: ClockedSimulator } = {};

      const fire = (target: Armed): void => {
        target.fired = true;
        if (target.mode === 'on-answer') target.process.kill();
        else if (target.mode === 'after-answer') setTimeout(() => target.process.kill(), 1 + Math.floor(random() * 40));
        else {
          // The next update to arrive: the record grows on arrival, so watch its length.
          const sim = holder.cs?.sim;
          const seen = sim?.record.length ?? 0;
          const timer = setInterval(() => {
            if (!sim || sim.record.slice(seen).some((r) => r.endpoint === 'update-lead')) {
              clearInterval(timer);
              target.process.kill();
            }
          }, 1);
          void target.process.exited.finally(() => clearInterval(timer));
        }
      };

      const cs = await startClockedSimulator(
        {
          seed: 11,
          token: KEY,
          rateLimit: 1_000_000,
          latencyMs: 3,
          jobPendingMs: [10, 100],
          successRate: 0.93,
          partialRate: 0.03,
          missingLeadIds: [...file.missingLeads],
        },
        {
          onFinished: (r) => {
            if (r.endpoint !== 'update-lead' || r.status !== 200) return;
            accepted++;
            if (armed && !armed.fired && accepted >= armed.threshold) fire(armed);
          },
        },
      );
      holder.cs = cs;

      const checks = new Checks();
      const modeCounts: Record<KillMode, number> = { 'on-answer': 0, 'after-answer': 0, 'on-arrival': 0 };
      const lostEntries: JournalEntry[] = [];
      const afterKill: string[] = [];
      const resumeProblems: string[] = [];
      let kills = 0;
      let tears = 0;
      let tornByKill = 0;
      let runId: string | undefined;
      let last: CliExit | undefined;
      try {
        const env = { PATH: process.env.PATH, PROPEXO_API_KEY: KEY };
        for (let round = 0; round <= wanted + 3; round++) {
          const argv =
            runId === undefined
              ? [
                  'send',
                  file.path,
                  '--env',
                  cs.sim.url,
                  '--data-dir',
                  data,
                  '--results',
                  results,
                  '--errors',
                  errors,
                  '--json',
                  '--concurrency',
                  '8',
                  '--rate',
                  '100000',
                ]
              : ['resume', runId, '--env', cs.sim.url, '--data-dir', data, '--results', results, '--errors', errors, '--json'];
          const child = spawnCliProcess(argv, { env });
          armed =
            kills < wanted
              ? {
                  threshold: Math.floor(((kills + 1) * file.valid.length) / (wanted + 1)),
                  mode: MODES[kills % MODES.length],
                  process: child,
                  fired: false,
                }
              : undefined;
          const exit = await child.exited;
          const mode = armed?.mode;
          armed = undefined;
          if (exit.signal !== 'SIGKILL') {
            last = exit;
            if (runId !== undefined && /damaged|corrupt|incomplete line/i.test(exit.stderr))
              resumeProblems.push(`resume after kill ${kills}: ${exit.stderr.trim().slice(0, 200)}`);
            break;
          }
          kills++;
          if (mode) modeCounts[mode]++;
          runId ??= await onlyRun(data);
          const runDir = runDirOf(data, runId);
          // The journal as the kill left it must read (a torn tail is only ignored by a reader).
          const read = await readJournal(runDir, { repair: false });
          if (E.isLeft(read)) afterKill.push(`after kill ${kills} (${String(mode)}): ${read.left.message}`);
          else if (read.right.problems.length > 0) tornByKill++;
          if (kills % 3 === 2) {
            const torn = await tearLastLine(join(runDir, JOURNAL_FILE));
            if (torn.torn) tears++;
            if (torn.lost) lostEntries.push(torn.lost);
          }
        }

        checks.that(`at least ${wanted} SIGKILLs landed`, kills >= wanted, `${kills} kills`);
        checks.none('the journal read cleanly after every kill', afterKill);
        checks.that(
          'torn last lines were made and repaired by resume',
          tears > 0 && resumeProblems.length === 0,
          resumeProblems.join('; ') || `${tears} torn`,
        );
        checks.that(
          'the last process finished the run (exit 0 or 1, no crash)',
          last !== undefined && (last.code === 0 || last.code === 1) && !hasStackTrace(last.stderr),
          last ? `exit ${String(last.code)}: ${last.stderr.trim().slice(0, 300)}` : 'no process finished',
        );
        const summary = summaryFromJson(last ? lastJsonLine(last.stdout) : undefined);
        const result =
          runId === undefined
            ? { checks: [{ name: 'the run was interrupted at least once', ok: false }], notes: [] }
            : await checkInvariants({ file, simulator: cs, runDir: runDirOf(data, runId), resultsPath: results, summary, lostEntries });
        checks.add('', result.checks);
        const faults = {
          ...faultsInRecord(cs.sim),
          SIGKILL: kills,
          ...Object.fromEntries(Object.entries(modeCounts).map(([mode, n]) => [`kill ${mode}`, n])),
          'torn line': tears,
        };
        const notes = [...result.notes];
        if (tornByKill > 0) notes.push(`${tornByKill} kill(s) themselves left a torn last line`);
        return { scenario: 'SIGKILL and resume (CLI)', rows: file.rows.length, faults, checks: checks.list, notes };
      } finally {
        armed?.process.kill();
        await cs.sim.close();
      }
    }),
  );
}
