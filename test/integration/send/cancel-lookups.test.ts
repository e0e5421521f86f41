// Cancel while the check against Propexo looks leads up (#12), against the simulator over
// 127.0.0.1: the lookups stop at once (only those already under way are answered), the run ends
// cancelled with nothing sent, and what the lookups learned before the cancel is kept in
// lookups.json, so the resume asks Propexo only for the keys it had not answered.
import { describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { decodeMappingFile } from '../../../app/mapping/mapping-file.ts';
import { LOOKUP_CACHE_FILE } from '../../../app/lookup/lookup-cache.ts';
import { resumeSend, sendFile } from '../../../app/run/send-run.ts';
import { defaultOptions } from '../../../app/simulator/options.ts';
import type { RecordedRequest } from '../../../app/simulator/index.ts';
import { acceptedRows, apiPaths, journalOf, resumeOptions, runDir, sendOptions, simulator, startOrThrow, tempDir } from './send-harness.ts';

const CONCURRENCY = 2;
const ROWS = 30;

/** The x_id a per-row lookup asked for. */
const xIdAsked = (r: RecordedRequest): string | null => (r.endpoint === 'list-leads' ? new URLSearchParams(r.search).get('x_id') : null);

/** The scope's size probe (`limit=1`), asked before any key. */
const isProbe = (r: RecordedRequest): boolean => r.endpoint === 'list-leads' && new URLSearchParams(r.search).get('limit') === '1';

/**
 * A simulator whose scope holds 10,000 leads (listing would cost 41 requests, so each row's key
 * is asked for), calling `hooks.cancel` when `cancelAt` says so of a request it answered.
 */
const scopeOf10000 = (rateLimit: number, hooks: { cancel?: () => void }, cancelAt: (r: RecordedRequest) => boolean) =>
  simulator(
    {
      rateLimit,
      windowMs: 1_000,
      latencyMs: 10,
      jobPendingMs: [5, 20],
      successRate: 1,
      partialRate: 0,
      data: { ...defaultOptions.data, integrations: 1, propertiesPerIntegration: 2, leads: 10_000, duplicateRate: 0 },
    },
    {
      onFinished: (r) => {
        if (cancelAt(r)) hooks.cancel?.();
      },
    },
  );

/** Starts a run of ROWS seeded leads named by x_id (a note each), cancelled by `hooks.cancel`. */
async function startByXId(sim: Awaited<ReturnType<typeof simulator>>, dir: string, note: string, hooks: { cancel?: () => void }) {
  const leads = Array.from({ length: ROWS }, (_, i) => sim.world.seededLead(i * 97 + 1));
  const file = join(dir, 'leads.csv');
  await writeFile(file, ['Guest Card ID,Notes', ...leads.map((lead, i) => `${String(lead.x_id)},${note} ${i}`)].join('\n') + '\n');
  const mapping = decodeMappingFile(
    { version: 1, columns: { 'Guest Card ID': { field: 'lead_id', match: 'x_id' }, Notes: { field: 'notes' } } },
    'test mapping',
  );
  if (E.isLeft(mapping)) throw new Error(mapping.left.join('\n'));
  const paths = apiPaths(dir);
  const run = await startOrThrow(
    sendFile(
      sendOptions(sim, file, paths, {
        concurrency: CONCURRENCY,
        mappingFile: mapping.right,
        lookup: { integrationId: defaultOptions.integrationId },
      }),
    ),
  );
  hooks.cancel = () => run.cancel();
  return { leads, paths, run };
}

/**
 * A run of ROWS rows by x_id cancelled once `answeredBeforeCancel` keys were answered (0: as
 * the size probe is answered, before any key is asked); then resumed.
 */
async function cancelAndResume(answeredBeforeCancel: number): Promise<void> {
  const dir = await tempDir('cancel-lookups');
  const hooks: { cancel?: () => void } = {};
  let answered = 0;
  const sim = await scopeOf10000(40, hooks, (r) =>
    answeredBeforeCancel === 0 ? isProbe(r) : xIdAsked(r) !== null && ++answered === answeredBeforeCancel,
  );
  try {
    const { paths, run } = await startByXId(sim, dir, 'cancel note', hooks);
    const summary = await run.done;

    expect(summary.stopped?.reason).toBe('cancelled');
    expect(sim.record.filter((r) => r.endpoint === 'update-lead')).toEqual([]);
    expect(summary.sent).toBe(0);
    // Only the lookups already under way at the cancel were made after it.
    const asked = sim.record.map(xIdAsked).filter((x): x is string => x !== null);
    expect(asked.length).toBeGreaterThanOrEqual(answeredBeforeCancel);
    expect(asked.length).toBeLessThanOrEqual(answeredBeforeCancel + CONCURRENCY);
    const journal = await journalOf(paths.dataDir, run.runId);
    expect(journal.some((e) => e.t === 'cancelled')).toBe(true);
    expect(journal.filter((e) => e.t === 'sent' || e.t === 'matched')).toEqual([]);

    // What was answered before the cancel is kept: the resume does not ask for those keys again.
    const cache = JSON.parse(await readFile(join(runDir(paths.dataDir, run.runId), LOOKUP_CACHE_FILE), 'utf8')) as {
      leads: Record<string, unknown>;
    };
    // (A read under way at the cancel is dropped, even if Propexo had just answered it.)
    expect(Object.keys(cache.leads).length).toBeGreaterThanOrEqual(Math.max(0, answeredBeforeCancel - CONCURRENCY));
    const resumeFrom = sim.record.length;
    const resumed = await startOrThrow(resumeSend(resumeOptions(sim, run.runId, paths, { concurrency: CONCURRENCY })));
    const after = await resumed.done;
    expect(after).toMatchObject({ succeeded: ROWS, notSent: 0 });
    const askedAgain = sim.record
      .slice(resumeFrom)
      .map(xIdAsked)
      .filter((x): x is string => x !== null);
    expect(askedAgain.filter((x) => Object.keys(cache.leads).some((name) => name.endsWith(`|${x}`)))).toEqual([]);
    expect(new Set([...asked, ...askedAgain]).size).toBe(ROWS);
  } finally {
    await sim.close();
  }
}

describe('cancel during lookups', () => {
  it('as the scope is probed: no key is asked after it, nothing is sent; the resume looks every row up', async () => {
    await cancelAndResume(0);
  }, 60_000);

  it('half-way through the keys: the lookups stop at once, what was learned is kept, the resume reads only the rest', async () => {
    await cancelAndResume(8);
  }, 60_000);
});

describe('resume after a cancel while sending, its lookups.json lost', () => {
  it('looks up only the rows still to send: a row the journal has ended costs no lookup', async () => {
    const dir = await tempDir('cancel-lookups-resume');
    const hooks: { cancel?: () => void } = {};
    let accepted = 0;
    const sim = await scopeOf10000(1_000, hooks, (r) => r.endpoint === 'update-lead' && r.status === 200 && ++accepted === 10);
    try {
      const { leads, paths, run } = await startByXId(sim, dir, 'resume note', hooks);
      expect((await run.done).stopped?.reason).toBe('cancelled');
      const journal = await journalOf(paths.dataDir, run.runId);
      // Rows Propexo accepted: followed to their end, never sent again.
      const sentRows = acceptedRows(journal);
      expect(sentRows.size).toBeGreaterThanOrEqual(10);
      expect(sentRows.size).toBeLessThan(ROWS);
      const keyOfRow = (row: number): string => String(leads[row - 2].x_id);

      await rm(join(runDir(paths.dataDir, run.runId), LOOKUP_CACHE_FILE));
      const resumeFrom = sim.record.length;
      const resumed = await startOrThrow(resumeSend(resumeOptions(sim, run.runId, paths, { concurrency: CONCURRENCY })));
      expect(await resumed.done).toMatchObject({ succeeded: ROWS, notSent: 0 });
      const askedAgain = new Set(
        sim.record
          .slice(resumeFrom)
          .map(xIdAsked)
          .filter((x): x is string => x !== null),
      );
      expect([...sentRows].map(keyOfRow).filter((key) => askedAgain.has(key))).toEqual([]);
      expect(askedAgain.size).toBe(ROWS - sentRows.size);
      // Each lead was updated once, by the row that names it.
      const updated = sim.record.filter((r) => r.endpoint === 'update-lead' && r.status === 200).map((r) => r.leadId);
      expect(updated.sort()).toEqual(leads.map((lead) => String(lead.id)).sort());
    } finally {
      await sim.close();
    }
  }, 60_000);
});
