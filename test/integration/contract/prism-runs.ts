// Figures for the contract check (issue 16), not part of `npm test`:
//
//   node --import tsx test/integration/contract/prism-runs.ts [--seeds 10] [--unseeded N] [--sequence]
//
// One plain `lead-import send` of 27 rows against Prism in static mode (the document as
// published), then one per seed against Prism in dynamic mode (the strict copy), each a fresh
// Prism; --unseeded N adds N dynamic runs without a seed (answers vary per request, not
// repeatable). With --sequence, every Prism also gets retry, status and resume (as the tests do).
// Prints one line per run: rows accounted for, exit code, the JSON summary, requests, violations.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPrism, type DocumentVariant } from './prism.ts';
import { checkedCommand, commandSequence, writeLeadFile, type CommandReport } from './prism-scenario.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    unseeded: { type: 'string', default: '0' },
    sequence: { type: 'boolean', default: false },
  },
});
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => String(1_001 + i * 7));

const line = (label: string, r: CommandReport): string =>
  `${label.padEnd(22)} ${r.command.padEnd(15)} rows ${r.resultLines}/27, exit ${r.code}, requests ${r.requestsCounted} counted / ${r.prismReceived} at Prism, ` +
  `violations ${r.violations.length}${r.problems.length ? `, PROBLEMS: ${r.problems.join('; ')}` : ''}\n    ${JSON.stringify(r.summary)}`;

let failures = 0;
async function one(label: string, variant: DocumentVariant, dynamic: boolean, seed?: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'prism-runs-'));
  const prism = await startPrism({ variant, dynamic, seed, dir });
  try {
    const leads = await writeLeadFile(join(dir, 'leads.csv'));
    const reports = values.sequence
      ? await commandSequence(prism, dir, leads)
      : [await checkedCommand(prism, dir, 'send', ['send', leads, '--env', prism.url, '--rate', '6000'])];
    for (const r of reports) {
      if (r.problems.length > 0) failures++;
      process.stdout.write(`${line(label, r)}\n`);
    }
  } finally {
    await prism.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await one('static (document)', 'document', false);
for (const seed of seeds) await one(`dynamic seed ${seed} (strict)`, 'strict', true, seed);
for (let i = 1; i <= Number(values.unseeded); i++) await one(`dynamic unseeded #${i} (strict)`, 'strict', true);
process.stdout.write(`${failures === 0 ? 'all runs ended properly' : `${failures} runs with problems`}\n`);
process.exitCode = failures === 0 ? 0 : 1;
