// npm run bench:send-lookup — `send` with the check against Propexo and the preview (#12, #13),
// against the simulator with the 60 s minute scaled down (60 requests per 2 s window, the 80%
// slowdown, 30 ms latency, jobs pending 0.5–2 s). Each file names its leads by x_id (or by
// Propexo id in (c)), its lead sources ("Website") and units ("204") by name; in (a) and (c) 5%
// of its rows already say what the lead holds (the preview must send no PUT for them). One run
// each; BENCH_LOOKUP_ONLY=b,c,d runs only those scenarios:
//   (a) 10,000 rows by x_id in a scope of 20,000 leads (BENCH_LOOKUP_ROWS scales it): the scope
//       is listed, the preview reads current values from the listed leads — requests / sent row ≤ 1.05
//   (b) 200 rows by x_id in a scope of 200,000, all to send (the scenario: no row already
//       up to date, which would cost its lookup and no PUT): per-row lookups, whose answers carry
//       the leads, so the preview reads nothing more — requests / sent row ≤ 2.05
//   (c) 200 rows by Propexo id in a scope of 200,000 (names only are looked up; not one of the
//       issue's scenarios): the scope is not listed, the preview reads each lead by GET — each row
//       already up to date costs that GET and no PUT, so (c) is judged per file row ≤ 2.05
//   (d) (c) with every row to send (#13's "preview by GET ≤ 2.05"): requests / sent row ≤ 2.05
// In all: budget use while sending ≥ 0.95, 0 × 429 after the first window (all 429s are
// reported too), no PUT for a row already up to date.
// Requests are every request the simulator answered (lookups, GETs, PUTs, status and log reads).
// "per sent row" divides by the rows sent: the figure; "per file row" by every row.
// Reference lists are read once per run in its scope (app/lookup/README.md): (b)'s 10 properties
// cost lead sources 1 page and units 2 pages (400 units), where they cost 20 lists before.
// Measured 2026-12-05 on main after the #12/#13 gaps closed, `nice`, 2 cores, load average 3–4
// (other work running):
//   (a) 02:02 UTC: 84 lookups, 0 GETs, 9,500 PUTs, 162 log reads = 9,746: 1.026 per sent row,
//       0.975 per file row, budget use 1.000, 0 × 429, no PUT for the 500 rows already up to date, 331 s
//   (b) 02:12 UTC: 204 lookups (probe, 200 per row, 3 list pages), 0 GETs, 200 PUTs, 5 log reads
//       = 409: 2.045 per sent row (= per file row), budget use 1.000, 0 × 429, 19.3 s (earlier runs:
//       4 log reads, 408 = 2.040; log reads vary with job timing)
//   (c) 02:12 UTC: 2 lookups, 200 GETs, 190 PUTs, 4 log reads = 396: 2.084 per sent row, 1.980
//       per file row, budget use 1.000, 0 × 429, no PUT for the 10 rows already up to date, 14.6 s
//   (d) 02:14 UTC: 2 lookups, 200 GETs, 200 PUTs, 4 log reads = 406: 2.030 per sent row, budget
//       use 1.000, 0 × 429, 14.6 s
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { decodeMappingFile } from '../../app/mapping/mapping-file.ts';
import { sendFile, type RunResult } from '../../app/run/send-run.ts';
import { defaultOptions, type SeedDataOptions, type SimulatorOptions } from '../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../app/simulator/index.ts';

const RATE_LIMIT = 60;
const WINDOW_MS = 2_000;
const A_ROWS = Number(process.env.BENCH_LOOKUP_ROWS ?? 10_000);

const simulatorOptions: Partial<SimulatorOptions> = {
  seed: 13,
  rateLimit: RATE_LIMIT,
  windowMs: WINDOW_MS,
  slowdownFrom: 0.8,
  slowdownMs: Math.round((2_000 * WINDOW_MS) / 60_000),
  latencyMs: 30,
  jobPendingMs: [500, 2_000],
  successRate: 1,
};

interface Scenario {
  readonly label: string;
  readonly data: Partial<SeedDataOptions>;
  readonly rows: number;
  readonly by: 'x_id' | 'lead_id';
  /** Rows of one property, and the run scoped to it (--property): names resolve there. */
  readonly oneProperty?: boolean;
  /** Whether every 20th row already says what its lead holds (no PUT must go for it). */
  readonly upToDateRows: boolean;
  readonly target: number;
  /** What the target divides by: the rows sent (the figure), or every row of the file. */
  readonly per: 'sent row' | 'file row';
}

interface Measured {
  readonly label: string;
  readonly rows: number;
  readonly scope: number;
  readonly summary: RunResult;
  readonly seconds: number;
  readonly requests: number;
  readonly perSentRow: number;
  readonly perRow: number;
  readonly budgetUse: number;
  readonly throttled: number;
  /** 429s after the first window (the first window may see one while the budget learns the server's count). */
  readonly late429: number;
  readonly putsForUpToDate: number;
  readonly target: number;
  readonly per: Scenario['per'];
  readonly ok: boolean;
}

/** Leads of the scope whose x_id no other lead has, spread over it. */
function chosenLeads(sim: Simulator, rows: number, propertyId: string | undefined): { id: string; x_id: string; first_name: string }[] {
  const world = sim.world;
  const seen = new Map<string, number>();
  const all = Array.from({ length: world.leadCount }, (_, i) => world.seededLead(i)).filter(
    (lead) => lead.integration_id === defaultOptions.integrationId && (propertyId === undefined || lead.property_id === propertyId),
  );
  for (const lead of all) seen.set(String(lead.x_id), (seen.get(String(lead.x_id)) ?? 0) + 1);
  const unique = all.filter((lead) => seen.get(String(lead.x_id)) === 1 && typeof lead.first_name === 'string' && lead.first_name !== '');
  const step = unique.length / rows;
  return Array.from({ length: rows }, (_, i) => unique[Math.floor(i * step)]).map((lead) => ({
    id: String(lead.id),
    x_id: String(lead.x_id),
    first_name: String(lead.first_name),
  }));
}

async function measure(scenario: Scenario): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-send-lookup-'));
  const sim = await startSimulator({
    ...simulatorOptions,
    data: { ...defaultOptions.data, integrations: 1, duplicateRate: 0.01, ...scenario.data },
  });
  try {
    const propertyId =
      scenario.oneProperty === true
        ? String(sim.world.properties.find((p) => p.integration_id === defaultOptions.integrationId)?.id)
        : undefined;
    const leads = chosenLeads(sim, scenario.rows, propertyId);
    const upToDate = new Set<string>();
    const lines = ['Lead,Lead Source,Unit,First Name,Notes'];
    leads.forEach((lead, i) => {
      const key = scenario.by === 'x_id' ? lead.x_id : lead.id;
      // Every 20th row says what the lead already holds: the preview sends nothing for it.
      if (scenario.upToDateRows && i % 20 === 7) {
        upToDate.add(lead.id);
        lines.push(`${key},,,${lead.first_name},`);
      } else lines.push(`${key},Website,${1 + (i % 4)}${String(1 + (i % 10)).padStart(2, '0')},,bench note ${i}`);
    });
    const path = join(dir, 'leads.csv');
    await writeFile(path, `${lines.join('\n')}\n`);
    const mapping = decodeMappingFile(
      {
        version: 1,
        columns: {
          Lead: scenario.by === 'x_id' ? { field: 'lead_id', match: 'x_id' } : { field: 'lead_id' },
          'Lead Source': { field: 'lead_source_id' },
          Unit: { field: 'unit_id' },
          'First Name': { field: 'first_name' },
          Notes: { field: 'notes' },
        },
      },
      'bench mapping',
    );
    if (E.isLeft(mapping)) throw new Error(mapping.left.join('\n'));
    const started = Date.now();
    const run = await sendFile({
      path,
      mappingFile: mapping.right,
      environment: sim.url,
      token: 'bench-token-not-secret',
      dataDir: join(dir, 'data'),
      rate: RATE_LIMIT,
      windowMs: WINDOW_MS,
      lookup: { integrationId: defaultOptions.integrationId, ...(propertyId === undefined ? {} : { propertyId }) },
      preview: true,
    });
    if (E.isLeft(run)) throw new Error(run.left.message);
    const summary = await run.right.done;
    const seconds = (Date.now() - started) / 1000;
    const record = sim.record;
    const counted = record.filter((r) => r.status !== 429 && r.status !== 401);
    const updates = record.filter((r) => r.endpoint === 'update-lead');
    const firstUpdate = Math.min(...updates.map((r) => r.at));
    const lastUpdate = Math.max(...updates.map((r) => r.at));
    // Budget use while sending: requests answered in the full windows from the first update to the last, ÷ the budget of those windows.
    const firstAt = record[0].at;
    const startWindow = Math.ceil((firstUpdate - firstAt) / WINDOW_MS);
    const endWindow = Math.floor((lastUpdate - firstAt) / WINDOW_MS);
    const windows = Math.max(1, endWindow - startWindow);
    const inWindows = counted.filter((r) => r.at >= firstAt + startWindow * WINDOW_MS && r.at < firstAt + endWindow * WINDOW_MS).length;
    const sentRows = summary.sent;
    const perSentRow = record.length / Math.max(1, sentRows);
    const throttled = record.filter((r) => r.status === 429).length;
    const late429 = record.filter((r) => r.status === 429 && r.at >= firstAt + WINDOW_MS).length;
    const putsForUpToDate = updates.filter((r) => r.leadId !== undefined && upToDate.has(r.leadId)).length;
    const budgetUse = inWindows / (windows * RATE_LIMIT);
    const perRow = record.length / scenario.rows;
    const ok =
      (scenario.per === 'sent row' ? perSentRow : perRow) <= scenario.target &&
      late429 === 0 &&
      putsForUpToDate === 0 &&
      summary.unchanged === upToDate.size &&
      (endWindow - startWindow < 2 || budgetUse >= 0.95);
    return {
      label: scenario.label,
      rows: scenario.rows,
      scope: sim.world.leadCount,
      summary,
      seconds,
      requests: record.length,
      perSentRow,
      perRow,
      budgetUse,
      throttled,
      late429,
      putsForUpToDate,
      target: scenario.target,
      per: scenario.per,
      ok,
    };
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const f3 = (n: number): string => n.toFixed(3);
const only = process.env.BENCH_LOOKUP_ONLY?.split(',');
const allScenarios: readonly Scenario[] = [
  {
    label: '(a)',
    data: { propertiesPerIntegration: 2, leads: 20_000 },
    rows: A_ROWS,
    by: 'x_id',
    upToDateRows: true,
    target: 1.05,
    per: 'sent row',
  },
  // The (b) is 200 rows to send: none already up to date (each would cost a lookup and no PUT).
  {
    label: '(b)',
    data: { propertiesPerIntegration: 10, leads: 200_000 },
    rows: 200,
    by: 'x_id',
    upToDateRows: false,
    target: 2.05,
    per: 'sent row',
  },
  {
    label: '(c)',
    data: { propertiesPerIntegration: 10, leads: 200_000 },
    rows: 200,
    by: 'lead_id',
    oneProperty: true,
    upToDateRows: true,
    // Not one of the scenarios: its rows already up to date each cost the GET that finds
    // them so, and no PUT; judged per file row (per sent row is printed too).
    target: 2.05,
    per: 'file row',
  },
  // #13's "with preview by GET, ≤ 2.05" where every row is to send: one GET and one PUT a row.
  {
    label: '(d)',
    data: { propertiesPerIntegration: 10, leads: 200_000 },
    rows: 200,
    by: 'lead_id',
    oneProperty: true,
    upToDateRows: false,
    target: 2.05,
    per: 'sent row',
  },
];
const scenarios = allScenarios.filter((s) => only === undefined || only.includes(s.label.replace(/[()]/g, '')));
process.stdout.write(
  `bench:send-lookup — simulator ${RATE_LIMIT} requests / ${WINDOW_MS} ms window, slowdown from 80%, latency 30 ms, jobs pending 500–2000 ms\n`,
);
const results: Measured[] = [];
for (const scenario of scenarios) {
  const m = await measure(scenario);
  results.push(m);
  const r = m.summary.requests;
  process.stdout.write(
    `${m.label} ${m.rows} rows by ${scenario.by} in a scope of ${m.scope}: ${m.summary.sent} sent, ${m.summary.unchanged} already up to date (${m.putsForUpToDate} PUTs for them), ` +
      `${m.summary.notFound} not found, ${m.summary.ambiguous} ambiguous; requests: ${r.lookup} lookups, ${r.read} GETs, ${r.update} PUTs, ${r.status} status, ${r.logs} logs = ${m.requests} ` +
      `→ ${f3(m.perSentRow)} per sent row, ${f3(m.perRow)} per file row (target ≤ ${m.target} per ${m.per}); budget use while sending ${f3(m.budgetUse)}; ${m.throttled} × 429 (${m.late429} after the first window); ${m.seconds.toFixed(1)} s ${m.ok ? 'OK' : 'FAIL'}\n`,
  );
}
const pass = results.every((m) => m.ok);
process.stdout.write(
  `${JSON.stringify({
    bench: 'send-lookup',
    results: results.map((m) => ({
      label: m.label,
      rows: m.rows,
      scope: m.scope,
      sent: m.summary.sent,
      unchanged: m.summary.unchanged,
      requests: m.summary.requests,
      total: m.requests,
      perSentRow: Number(f3(m.perSentRow)),
      perRow: Number(f3(m.perRow)),
      budgetUse: Number(f3(m.budgetUse)),
      throttled: m.throttled,
      late429: m.late429,
      putsForUpToDate: m.putsForUpToDate,
      seconds: m.seconds,
      ok: m.ok,
    })),
    pass,
  })}\n`,
);
process.exitCode = pass ? 0 : 1;
