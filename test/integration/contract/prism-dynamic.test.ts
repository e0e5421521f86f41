// The contract suite, dynamic mode: Prism makes its answers from the schemas (json-schema-faker,
// extra properties included) of a strict copy of Propexo's document (request bodies forbid
// unknown keys, as the live API does). `--seed` makes them repeatable; Prism 5 seeds each answer
// alike, so under one seed every update is given the same job id and every status check the same
// status: these two seeds say FAILURE (retry-write is exercised) and PENDING (jobs outlive the
// limit). `prism-runs.ts` runs ten seeds for the figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrism, type Prism } from './prism.ts';
import { commandSequence, writeLeadFile, ROWS } from './prism-scenario.ts';

const SEEDS = ['5', '1008'] as const;
const prisms = new Map<string, Prism>();
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'contract-dynamic-'));
  // Started side by side: Prism's start-up is most of this file's time.
  const started = await Promise.all(
    SEEDS.map((seed) => startPrism({ variant: 'strict', seed, dir: root }).then((p) => [seed, p] as const)),
  );
  for (const [seed, prism] of started) prisms.set(seed, prism);
}, 90_000);
afterAll(async () => {
  await Promise.all([...prisms.values()].map((p) => p.close()));
  await rm(root, { recursive: true, force: true });
});

describe('contract: Propexo’s document (strict copy) served by Prism (dynamic mode)', () => {
  it.each(SEEDS)(
    'seed %s: send, retry, status and resume end every row; summary = results file = requests Prism received; no violation',
    async (seed) => {
      const prism = prisms.get(seed);
      if (!prism) throw new Error(`no Prism for seed ${seed}`);
      const dir = await mkdtemp(join(root, `seed-${seed}-`));
      const reports = await commandSequence(prism, dir, await writeLeadFile(join(dir, 'leads.csv')));
      expect(reports.flatMap((r) => r.problems.map((p) => `${r.command}: ${p}`))).toEqual([]);
      for (const r of reports) expect(r.summary).toMatchObject({ rows: ROWS, lostTrack: 0, stopped: null, reportError: null });
      if (seed === '5') {
        expect(reports[0].summary).toMatchObject({ failed: 1 });
        expect((reports[1].summary.requests as { retries: number }).retries).toBe(1);
      } else {
        expect(reports[0].summary).toMatchObject({ pending: 1 });
      }
    },
    90_000,
  );
});
