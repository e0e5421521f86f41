// SIGKILL during the check against Propexo (#12): a real `lead-import send` of rows that name
// their leads by x_id and their lead sources by name is killed while it lists the scope; the
// resume looks them up again (nothing was cached yet) and is killed as its first update is
// answered; the last resume reads no list again (lookups.json has them) and finishes. Nothing
// is sent before its row is matched, nothing for a row that matched no lead.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../app/run/journal.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { LOOKUP_CACHE_FILE } from '../../../app/lookup/lookup-cache.ts';
import { defaultOptions } from '../../../app/simulator/options.ts';
import { SeedWorld } from '../../../app/simulator/seed-data.ts';
import type { RecordedRequest } from '../../../app/simulator/index.ts';
import { spawnCliProcess, type CliExit } from './cli-process.ts';
import { startClockedSimulator } from './simulator-clock.ts';
import { inTempDir, lastJsonLine, onlyRun, runDirOf } from './workspace.ts';

const KEY = 'sk_test_reliability-lookup-crash-7d1e';
const ROWS = 300;

const world = new SeedWorld({ data: defaultOptions.data, integrationId: defaultOptions.integrationId, vendor: defaultOptions.vendor });
const inScope = Array.from({ length: world.leadCount }, (_, i) => world.seededLead(i)).filter(
  (lead) => lead.integration_id === defaultOptions.integrationId,
);
const timesOf = new Map<string, number>();
for (const lead of inScope) timesOf.set(String(lead.x_id), (timesOf.get(String(lead.x_id)) ?? 0) + 1);
const chosen = inScope.filter((lead) => timesOf.get(String(lead.x_id)) === 1).slice(0, ROWS);

const isList = (r: RecordedRequest): boolean => r.endpoint.startsWith('list-');

async function journalOf(runDir: string): Promise<readonly JournalEntry[]> {
  const read = await readJournal(runDir, { repair: false });
  if (read._tag === 'Left') throw new Error(read.left.message);
  return read.right.entries;
}

describe('SIGKILL during lookups, then resume', () => {
  it('sends nothing before its row is matched, and reads nothing cached again', async () => {
    await inTempDir('lookup-crash', async (dir) => {
      const lines = [
        'Guest Card ID,Lead Source,Notes',
        ...chosen.map((lead, i) => `${String(lead.x_id)},Website,crash note ${i}`),
        'GC-NOT-THERE-1,Website,x',
        'GC-NOT-THERE-2,Website,y',
      ];
      const file = join(dir, 'leads.csv');
      await writeFile(file, `${lines.join('\n')}\n`);
      const mapping = join(dir, 'mapping.json');
      await writeFile(
        mapping,
        JSON.stringify({
          version: 1,
          columns: {
            'Guest Card ID': { field: 'lead_id', match: 'x_id' },
            'Lead Source': { field: 'lead_source_id' },
            Notes: { field: 'notes' },
          },
        }),
      );
      const data = join(dir, 'data');
      let kill: (() => void) | undefined;
      let killOn: ((r: RecordedRequest) => boolean) | undefined;
      let cacheAtFirstUpdate: boolean | undefined;
      let runDir: string | undefined;
      const cs = await startClockedSimulator(
        { seed: 5, token: KEY, rateLimit: 1_000_000, latencyMs: 15, jobPendingMs: [5, 30], successRate: 1, partialRate: 0 },
        {
          onFinished: (r) => {
            if (r.endpoint === 'update-lead' && cacheAtFirstUpdate === undefined && runDir !== undefined)
              cacheAtFirstUpdate = existsSync(join(runDir, LOOKUP_CACHE_FILE));
            if (killOn?.(r)) {
              killOn = undefined;
              kill?.();
            }
          },
        },
      );
      try {
        const env = { PATH: process.env.PATH, PROPEXO_API_KEY: KEY };
        const run = async (
          argv: string[],
          until?: (r: RecordedRequest) => boolean,
        ): Promise<{ exit: CliExit; from: number; to: number }> => {
          const from = cs.sim.record.length;
          const child = spawnCliProcess(argv, { env });
          kill = () => child.kill();
          killOn = until;
          const exit = await child.exited;
          killOn = undefined;
          return { exit, from, to: cs.sim.record.length };
        };

        // 1. Killed while the scope is listed (the third page of leads answered).
        let listed = 0;
        const first = await run(
          [
            'send',
            file,
            '--env',
            cs.sim.url,
            '--data-dir',
            data,
            '--mapping',
            mapping,
            '--integration',
            defaultOptions.integrationId,
            '--json',
            '--concurrency',
            '8',
            '--rate',
            '100000',
          ],
          (r) => r.endpoint === 'list-leads' && ++listed >= 3,
        );
        expect(first.exit.signal).toBe('SIGKILL');
        const runId = await onlyRun(data);
        runDir = runDirOf(data, runId);
        expect(cs.sim.record.slice(first.from, first.to).filter((r) => r.endpoint === 'update-lead')).toEqual([]);
        expect((await journalOf(runDir)).filter((e) => e.t === 'sent')).toEqual([]);

        // 2. The resume looks up again (nothing was cached), and is killed as its first update is answered.
        const resume = ['resume', runId, '--env', cs.sim.url, '--data-dir', data, '--json'];
        const second = await run(resume, (r) => r.endpoint === 'update-lead');
        expect(second.exit.signal).toBe('SIGKILL');
        expect(cs.sim.record.slice(second.from, second.to).filter(isList).length).toBeGreaterThan(0);
        expect(cacheAtFirstUpdate).toBe(true);

        // 3. The last resume reads no list again and finishes.
        const third = await run(resume);
        expect(third.exit.code).toBe(1); // two rows matched no lead
        expect(
          cs.sim.record
            .slice(third.from, third.to)
            .filter(isList)
            .map((r) => r.endpoint),
        ).toEqual([]);
        const summary = lastJsonLine(third.exit.stdout);
        expect(summary).toMatchObject({ notFound: 2, ambiguous: 0, notSent: 0, unknown: 0 });

        // Every `sent` entry follows its row's `matched` entry; each chosen lead was updated, nothing else was.
        const entries = await journalOf(runDir);
        const matchedAt = new Map<number, number>();
        const problems: string[] = [];
        entries.forEach((entry, i) => {
          if (entry.t === 'matched' && !matchedAt.has(entry.row)) matchedAt.set(entry.row, i);
          if (entry.t === 'sent' && !(matchedAt.get(entry.row)! < i)) problems.push(`row ${entry.row} sent before it was matched`);
        });
        expect(problems).toEqual([]);
        const updated = new Set(cs.sim.record.filter((r) => r.endpoint === 'update-lead').map((r) => r.leadId));
        expect([...updated].sort()).toEqual(chosen.map((lead) => lead.id).sort());
      } finally {
        kill = undefined;
        await cs.sim.close();
      }
    });
  }, 120_000);
});
