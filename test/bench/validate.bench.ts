// npm run bench:validate — full `lead-import validate` against raw papaparse parsing of the
// same 1,000,000-row lead file, both as whole processes, alternated, median of the rounds.
// Reports the two rates, their ratio (target ≥ 0.5) and validate's peak RSS (≤ 300 MB).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeLeadCsv } from './lead-file-generator.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = join(process.cwd(), '.bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `leads-${ROWS}.csv`);
if (!existsSync(file)) {
  process.stdout.write(`Generating ${file}…\n`);
  await writeLeadCsv(file, ROWS);
}
process.stdout.write(`File: ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB, ${ROWS.toLocaleString('en-US')} rows)\n`);

interface Measured {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs a whole process under /usr/bin/time for its peak RSS; wall time measured here. */
function measure(args: string[]): Measured {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr ?? '');
  if (!rss) throw new Error(`no RSS reading: ${result.stderr}`);
  return { seconds, peakRssMb: Number(rss[1]) / 1024, stdout: result.stdout };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const parse: Measured[] = [];
const validate: Measured[] = [];
for (let round = 0; round < ROUNDS; round++) {
  parse.push(measure(['--import', 'tsx', 'test/bench/raw-parse.ts', file]));
  validate.push(measure(['bin/lead-import.mjs', 'validate', file, '--json', '--errors', join(dir, 'errors.csv')]));
  process.stdout.write(
    `  round ${round + 1}: parse ${parse[round].seconds.toFixed(2)} s, validate ${validate[round].seconds.toFixed(2)} s\n`,
  );
}
const summary = JSON.parse(validate[validate.length - 1].stdout.trim().split('\n').pop() ?? '{}') as {
  rows?: number;
  valid?: number;
  invalid?: number;
};
if (summary.rows !== ROWS) throw new Error(`validate read ${summary.rows} rows, expected ${ROWS}`);

const parseRate = ROWS / median(parse.map((m) => m.seconds));
const validateRate = ROWS / median(validate.map((m) => m.seconds));
const table = [
  [
    'raw papaparse parse (array mode)',
    `${Math.round(parseRate).toLocaleString('en-US')} rows/s`,
    `${median(parse.map((m) => m.peakRssMb)).toFixed(0)} MB`,
  ],
  [
    'lead-import validate (full)',
    `${Math.round(validateRate).toLocaleString('en-US')} rows/s`,
    `${median(validate.map((m) => m.peakRssMb)).toFixed(0)} MB`,
  ],
];
process.stdout.write(`\n${table.map((r) => `${r[0].padEnd(36)} ${r[1].padStart(18)}   peak RSS ${r[2]}`).join('\n')}\n`);
process.stdout.write(
  `validate ÷ parse: ${(validateRate / parseRate).toFixed(2)} (target ≥ 0.50); validate peak RSS ${Math.max(...validate.map((m) => m.peakRssMb)).toFixed(0)} MB (target ≤ 300 MB)\n`,
);
process.stdout.write(
  `rows: ${summary.rows}, valid ${summary.valid}, invalid ${summary.invalid}; median of ${ROUNDS} rounds, whole processes\n`,
);
