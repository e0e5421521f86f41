// npm run test:soak — the reliability suite at full size: the same scenario functions the vitest
// files run at fast size (5,000 rows per fault scenario, 24 SIGKILLs, a 1,000,000-row validate,
// a 200,000-row send, 2,000 rows undone: clean, against changes since, through faults and
// SIGKILLs). Prints one table (scenario, rows, faults injected, invariants checked, result,
// duration, peak RSS), then the failed checks and notes; exits 1 if any check failed.
//
//   npm run test:soak                            everything, soak size (~30 min on two busy cores)
//   npm run test:soak -- --only crash,401        scenarios whose name contains a word
//   npm run test:soak -- --size fast             the fast sizes (a dry run of the runner)
import { parseArgs } from 'node:util';
import { faultScenarios } from './send/fault-scenarios.ts';
import { crashAndResume } from './send/crash-scenario.ts';
import { diskScenarios } from './disk/disk-scenarios.ts';
import { loadScenarios } from './load/load-scenarios.ts';
import { undoScenarios } from './undo/undo-scenarios.ts';
import { describeFailure, type ScenarioReport, type Size } from './send/scenario-report.ts';
import { countSame } from './send/workspace.ts';

interface Entry {
  readonly name: string;
  readonly run: (size: Size) => Promise<ScenarioReport>;
}

const entries: readonly Entry[] = [
  ...faultScenarios,
  { name: 'SIGKILL and resume', run: crashAndResume },
  ...diskScenarios,
  ...loadScenarios,
  ...undoScenarios,
];

const { values } = parseArgs({ options: { size: { type: 'string', default: 'soak' }, only: { type: 'string' } } });
const size: Size = values.size === 'fast' ? 'fast' : 'soak';
const only = values.only
  ?.split(',')
  .map((w) => w.trim().toLowerCase())
  .filter(Boolean);
const chosen = entries.filter((e) => !only || only.some((w) => e.name.toLowerCase().includes(w)));

const duration = (ms: number): string =>
  ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
const faults = (f: Readonly<Record<string, number>>): string =>
  Object.entries(f)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n.toLocaleString('en-US')}`)
    .join(', ') || '—';
const result = (r: ScenarioReport): string => {
  const failed = r.checks.some((c) => !c.ok);
  if (failed) return 'FAIL';
  if (r.checks.length === 0) return r.skipped ? 'SKIP' : 'FAIL';
  return r.skipped ? 'pass (part skipped)' : 'pass';
};

// A rejection nobody handled would end this process (Node's default) and the table with it:
// it fails the scenario under way instead.
let unhandled: string[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
});

const started = performance.now();
const reports: ScenarioReport[] = [];
process.stderr.write(`Reliability soak: ${chosen.length} scenarios at ${size} size\n`);
for (const entry of chosen) {
  process.stderr.write(`  ${entry.name}… `);
  unhandled = [];
  let report: ScenarioReport;
  const t0 = performance.now();
  try {
    report = await entry.run(size);
  } catch (error) {
    // A scenario that throws has failed; the others still run.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    report = {
      scenario: entry.name,
      rows: 0,
      faults: {},
      checks: [{ name: 'the scenario ran to its end', ok: false, detail: message.split('\n').slice(0, 4).join(' | ') }],
      durationMs: Math.round(performance.now() - t0),
      notes: [],
    };
  }
  // (Unless the scenario watched for them itself and reported them already.)
  if (unhandled.length > 0 && !report.checks.some((c) => !c.ok && /unhandled/.test(c.name))) {
    report = {
      ...report,
      checks: [
        ...report.checks,
        { name: 'no unhandled promise rejection in the runner', ok: false, detail: countSame(unhandled).slice(0, 3).join('; ') },
      ],
    };
  }
  unhandled = [];
  reports.push(report);
  process.stderr.write(`${result(report)} (${duration(report.durationMs)})\n`);
}
const total = performance.now() - started;

const header = ['scenario', 'rows', 'faults injected', 'invariants checked', 'result', 'duration', 'peak RSS'];
const rows = reports.map((r) => [
  r.scenario,
  r.rows.toLocaleString('en-US'),
  faults(r.faults),
  `${r.checks.filter((c) => c.ok).length}/${r.checks.length} passed`,
  result(r),
  duration(r.durationMs),
  r.peakRssMb === undefined ? '—' : `${r.peakRssMb.toFixed(0)} MB`,
]);
const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const out: string[] = ['', line(header), line(header.map(() => '---')), ...rows.map(line), ''];
for (const r of reports) {
  const failed = r.checks.filter((c) => !c.ok);
  if (failed.length === 0 && r.notes.length === 0 && !r.skipped) continue;
  out.push(`${r.scenario}:`);
  for (const check of failed) out.push(`  FAILED ${describeFailure(check)}`);
  if (r.skipped) out.push(`  skipped: ${r.skipped}`);
  for (const note of r.notes) out.push(`  note: ${note}`);
}
const failures = reports.filter((r) => result(r) === 'FAIL').length;
out.push(
  '',
  `${reports.length} scenarios, ${failures} failed, ${size} size, ${duration(total)} in all; runner peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
process.stdout.write(`${out.join('\n')}\n`);
process.exitCode = failures > 0 ? 1 : 0;
