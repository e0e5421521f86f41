// npm run bench:bombs — workbooks that inflate to gigabytes (issue #14: an 11.8 MB workbook whose
// shared strings expand to 3.5 GB ran the process out of memory after 121 s). Each is opened in a
// child process as the app and the CLI open files; reports how long the refusal took (inside the
// process, and the whole process with its start-up) and the process's peak RSS.
// Targets: refused within 2 s, peak RSS under 300 MB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lyingBomb, manyStringsBomb, sharedStringsBomb, sheetBomb } from '../fixtures/workbook-bombs.ts';

const dir = join(process.cwd(), '.bench');
mkdirSync(dir, { recursive: true });

const bombs: readonly { name: string; what: string; make: () => Buffer }[] = [
  { name: 'shared-strings-3500mb.xlsx', what: "shared strings of 3.5 GB (the issue's bomb)", make: () => sharedStringsBomb(3500) },
  { name: 'lying-3500mb.xlsx', what: 'shared strings of 3.5 GB declared as 4 KB', make: () => lyingBomb(3500) },
  { name: 'many-strings-1000mb.xlsx', what: '1 GB of short shared strings', make: () => manyStringsBomb(1000) },
  { name: 'sheet-1100mb.xlsx', what: 'a sheet of 1.1 GB of rows', make: () => sheetBomb(1100) },
];

interface Outcome {
  readonly ms: number;
  readonly outcome: { code?: string; message?: string; opened?: unknown };
}

const rows: string[][] = [];
let worstSeconds = 0;
let worstRss = 0;
for (const bomb of bombs) {
  const path = join(dir, bomb.name);
  writeFileSync(path, bomb.make());
  const start = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, '--import', 'tsx', 'test/bench/open-workbook.ts', path], {
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /maxrss_kb=(\d+)/.exec(run.stderr ?? '');
  if (!rss) throw new Error(`no RSS reading for ${bomb.name}: ${run.stderr}`);
  const line = run.stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(line) as Outcome;
  if (result.outcome.code === undefined) throw new Error(`${bomb.name} was not refused: ${line}`);
  const peakMb = Number(rss[1]) / 1024;
  worstSeconds = Math.max(worstSeconds, result.ms / 1000);
  worstRss = Math.max(worstRss, peakMb);
  rows.push([
    `${bomb.what} (${(statSync(path).size / 1024).toFixed(0)} KB file)`,
    `${(result.ms / 1000).toFixed(2)} s`,
    `${seconds.toFixed(2)} s`,
    `${peakMb.toFixed(0)} MB`,
    result.outcome.code,
  ]);
  process.stdout.write(`${bomb.name}: ${result.outcome.message ?? ''}\n`);
}
const header = ['bomb', 'refused in', 'whole process', 'peak RSS', 'code'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
process.stdout.write(
  `\n${[header, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n')}\n`,
);
process.stdout.write(
  `slowest refusal ${worstSeconds.toFixed(2)} s (target ≤ 2 s); highest peak RSS ${worstRss.toFixed(0)} MB (target < 300 MB)\n`,
);
