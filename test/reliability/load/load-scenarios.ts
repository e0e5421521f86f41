// Load: a big validate and a big send, each in a process of its own whose peak RSS is measured.
// Memory must stay flat (streaming, not proportional to the file) and nothing may be dropped:
// every row is counted, every row sent is accounted for by the send invariants.
//
// Validate: `lead-import validate` under /usr/bin/time on a realistic file (the benchmark's
// generator: ~20 columns, quoted notes with line breaks, ~1% mistakes), at full size and at a
// tenth of it; flat means the big one needs little more memory than the small one.
// Send: startSend in a child process against the simulator here, with a fast rate window.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Papa from 'papaparse';
import { readFile } from 'node:fs/promises';
import { repoRoot } from '../../integration/cli/cli-harness.ts';
import { writeLeadCsv } from '../../bench/lead-file-generator.ts';
import type { SendOptions } from '../../../app/run/send-run.ts';
import { peakRssMb, runCliProcess } from '../send/cli-process.ts';
import { checkInvariants } from '../send/invariants.ts';
import { writeLeadFile } from '../send/lead-file.ts';
import { Checks, timed, type ScenarioReport, type Size } from '../send/scenario-report.ts';
import { faultsInRecord, startClockedSimulator, updateRequests } from '../send/simulator-clock.ts';
import { everydaySimulator, fastTracking, inTempDir, lastJsonLine, patientBackoff, runDirOf } from '../send/workspace.ts';
import type { Sample, SendChildOutput } from './send-child.ts';

export const VALIDATE_ROWS: Readonly<Record<Size, number>> = { fast: 20_000, soak: 1_000_000 };
export const SEND_ROWS: Readonly<Record<Size, number>> = { fast: 2_000, soak: 200_000 };

/** "Flat": ten times the rows may cost at most this much more memory (and 1.5×). */
const FLAT_SLACK_MB = 64;
/** What one row sent may keep in memory until the run ends (its record for the reports). */
const SEND_BYTES_PER_ROW = 2_048;

const KEY = 'sk_test_reliability-load-8e2d77';

interface Validated {
  readonly rows: number;
  readonly code: number | null;
  readonly rssMb: number | undefined;
  readonly summary: Record<string, unknown> | undefined;
  readonly reportRows: number[];
  readonly stderr: string;
}

async function validateOnce(dir: string, rows: number): Promise<Validated> {
  const file = join(dir, `leads-${rows}.csv`);
  const errors = join(dir, `errors-${rows}.csv`);
  await writeLeadCsv(file, rows);
  const exit = await runCliProcess(['validate', file, '--json', '--errors', errors], { measureRss: true });
  let reportRows: number[] = [];
  try {
    const text = (await readFile(errors, 'utf8')).replace(/^\uFEFF/, '');
    reportRows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data.map((r) => Number(r.import_row));
  } catch {
    reportRows = [];
  }
  return { rows, code: exit.code, rssMb: peakRssMb(exit.stderr), summary: lastJsonLine(exit.stdout), reportRows, stderr: exit.stderr };
}

export async function bigValidate(size: Size): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('validate', async (dir) => {
      const rows = VALIDATE_ROWS[size];
      const checks = new Checks();
      const small = await validateOnce(dir, rows / 10);
      const big = await validateOnce(dir, rows);
      for (const v of [small, big]) {
        const s = v.summary ?? {};
        const label = `${v.rows.toLocaleString('en-US')} rows`;
        checks.that(
          `${label}: validate ran (exit 0 or 1)`,
          v.code === 0 || v.code === 1,
          `exit ${String(v.code)}: ${v.stderr.slice(0, 300)}`,
        );
        checks.equal(`${label}: every row read`, s.rows, v.rows);
        const counted = Number(s.valid) + Number(s.invalid) + Number(s.skipped);
        checks.equal(`${label}: valid + invalid + skipped = rows`, counted, v.rows);
        const distinct = new Set(v.reportRows);
        // (Row numbers count file lines, and notes span lines: only the lower end is known here.)
        const inRange = v.reportRows.every((r) => Number.isInteger(r) && r >= 2);
        checks.that(
          `${label}: the error report has each invalid or skipped row once`,
          distinct.size === v.reportRows.length && v.reportRows.length === Number(s.invalid) + Number(s.skipped) && inRange,
          `${v.reportRows.length} report rows (${distinct.size} distinct), ${String(s.invalid)} invalid + ${String(s.skipped)} skipped`,
        );
        checks.that(`${label}: peak RSS measured`, v.rssMb !== undefined);
      }
      if (small.rssMb !== undefined && big.rssMb !== undefined) {
        checks.that(
          'memory flat: 10× the rows, at most 1.5× the memory + 64 MB',
          big.rssMb <= small.rssMb * 1.5 + FLAT_SLACK_MB,
          `${small.rssMb.toFixed(0)} MB for ${small.rows.toLocaleString('en-US')} rows, ${big.rssMb.toFixed(0)} MB for ${big.rows.toLocaleString('en-US')}`,
        );
      }
      return {
        scenario: 'validate (load)',
        rows,
        faults: {},
        checks: checks.list,
        peakRssMb: big.rssMb,
        notes: [
          `peak RSS ${small.rssMb?.toFixed(0)} MB at ${small.rows.toLocaleString('en-US')} rows, ${big.rssMb?.toFixed(0)} MB at ${big.rows.toLocaleString('en-US')}`,
        ],
      };
    }),
  );
}

function runChild(options: SendOptions): Promise<{ output?: SendChildOutput; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(repoRoot, 'test/reliability/load/send-child.ts'), JSON.stringify(options)],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ output: lastJsonLine(stdout) as SendChildOutput | undefined, code, stderr }));
  });
}

/** The first sample once `share` of the rows were done. */
function sampleAt(samples: readonly Sample[], total: number, share: number): Sample | undefined {
  return samples.find((s) => s.done >= share * total);
}

/** Per-row memory is judged only over this many rows (fewer show warm-up, not growth). */
const MIN_ROWS_FOR_TREND = 50_000;

export async function bigSend(size: Size, rows = SEND_ROWS[size]): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('send-load', async (dir) => {
      const checks = new Checks();
      const file = await writeLeadFile(join(dir, 'leads.csv'), rows);
      // A fast window: 2,500 requests a second (Propexo's minute, scaled), slowed from 80% on.
      const cs = await startClockedSimulator({
        ...everydaySimulator(file, KEY),
        rateLimit: 2_500,
        windowMs: 1_000,
        slowdownMs: 20,
        jobPendingMs: [20, 200],
      });
      try {
        const paths = { dataDir: join(dir, 'data'), resultsPath: join(dir, 'results.csv'), errorsPath: join(dir, 'errors.csv') };
        const { output, code, stderr } = await runChild({
          path: file.path,
          environment: cs.sim.url,
          token: KEY,
          ...paths,
          rate: 2_500,
          windowMs: 1_000,
          concurrency: 16,
          // Jobs settled through write status: the simulator answers write logs by walking
          // every job it ever made, which at 200,000 jobs costs it more than the client.
          useWriteLogs: false,
          tracking: fastTracking,
          maxRetries: patientBackoff.maxRetries,
          backoff: patientBackoff,
        });
        checks.that('the sending process finished', code === 0 && output !== undefined, `exit ${String(code)}: ${stderr.slice(0, 300)}`);
        if (output === undefined)
          return { scenario: 'send (load)', rows: file.rows.length, faults: faultsInRecord(cs.sim), checks: checks.list, notes: [] };
        const { summary, samples, peakRssMb: peak } = output;
        const result = await checkInvariants(
          {
            file,
            simulator: cs,
            runDir: runDirOf(paths.dataDir, summary.runId),
            resultsPath: paths.resultsPath,
            summary,
            counted: summary.requests,
          },
          { exactSent: true },
        );
        checks.add('', result.checks);
        // Flat: from a quarter of the rows to the end, the live heap (after a full GC) may grow
        // only by what each row must keep until the reports are written.
        const quarter = sampleAt(samples, summary.valid, 0.25);
        const end = samples[samples.length - 1];
        const notes = [...result.notes];
        if (quarter && end && end.done > quarter.done) {
          const live = (s: Sample): number => s.liveHeapMb ?? s.rssMb;
          const perRow = ((live(end) - live(quarter)) * 2 ** 20) / (end.done - quarter.done);
          if (end.done - quarter.done >= MIN_ROWS_FOR_TREND) {
            checks.that(
              `memory: at most ${SEND_BYTES_PER_ROW} bytes kept per row sent`,
              perRow <= SEND_BYTES_PER_ROW,
              `${perRow.toFixed(0)} bytes/row`,
            );
          }
          notes.push(
            `RSS ${quarter.rssMb.toFixed(0)} MB at ${quarter.done.toLocaleString('en-US')} rows done, ${end.rssMb.toFixed(0)} MB at ${end.done.toLocaleString('en-US')}, peak ${peak.toFixed(0)} MB; ` +
              `live heap ${live(quarter).toFixed(0)} → ${live(end).toFixed(0)} MB (${perRow.toFixed(0)} bytes/row)`,
          );
        } else notes.push(`peak RSS ${peak.toFixed(0)} MB (too few samples to see a trend)`);
        const throttled = cs.sim.record.filter((r) => r.status === 429).length;
        notes.push(
          `${updateRequests(cs.sim).length.toLocaleString('en-US')} updates, ${(cs.sim.record.length - updateRequests(cs.sim).length).toLocaleString('en-US')} checks, ${throttled} 429s`,
        );
        return {
          scenario: 'send (load)',
          rows: file.rows.length,
          faults: faultsInRecord(cs.sim),
          checks: checks.list,
          peakRssMb: peak,
          notes,
        };
      } finally {
        await cs.sim.close();
      }
    }),
  );
}

export const loadScenarios = [
  { name: 'validate (load)', run: bigValidate },
  { name: 'send (load)', run: bigSend },
] as const;
