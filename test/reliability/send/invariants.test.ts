// The invariant checker itself: it passes a clean run, and fails each invariant when the
// evidence is made to break it (a row sent again after its acceptance was journaled, a row
// never applied, a row with two outcomes or none, counts that disagree, a request without its
// `sent` entry). A checker that cannot fail would prove nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { sendFile, type RunResult } from '../../../app/run/send-run.ts';
import { checkInvariants, type RunEvidence } from './invariants.ts';
import { markerOf, writeLeadFile, type LeadFile } from './lead-file.ts';
import { startClockedSimulator, type ClockedSimulator } from './simulator-clock.ts';
import { everydaySimulator, fastTracking, patientBackoff, runDirOf } from './workspace.ts';

const KEY = 'sk_test_reliability-checker-2b9e';

let dir: string;
let file: LeadFile;
let cs: ClockedSimulator;
let summary: RunResult;
let evidence: RunEvidence;

const failedChecks = async (tampered: RunEvidence): Promise<string[]> =>
  (await checkInvariants(tampered, { exactSent: true })).checks.filter((c) => !c.ok).map((c) => c.name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-import-rel-checker-'));
  file = await writeLeadFile(join(dir, 'leads.csv'), 60);
  cs = await startClockedSimulator(everydaySimulator(file, KEY));
  const paths = { dataDir: join(dir, 'data'), resultsPath: join(dir, 'results.csv'), errorsPath: join(dir, 'errors.csv') };
  const started = await sendFile({
    path: file.path,
    environment: cs.sim.url,
    token: KEY,
    ...paths,
    windowMs: 1_000,
    rate: 100_000,
    tracking: fastTracking,
    backoff: patientBackoff,
  });
  if (E.isLeft(started)) throw new Error(started.left.message);
  summary = await started.right.done;
  evidence = {
    file,
    simulator: cs,
    runDir: runDirOf(paths.dataDir, summary.runId),
    resultsPath: paths.resultsPath,
    summary,
    counted: summary.requests,
  };
});

afterAll(async () => {
  await cs?.sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the invariant checker', () => {
  it('passes a clean run, checking each invariant', async () => {
    const { checks } = await checkInvariants(evidence, { exactSent: true });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const names = checks.map((c) => c.name).join('\n');
    for (const invariant of ['(a)', '(b)', '(c)', '(d)', 'write-ahead', 'file order']) expect(names).toContain(invariant);
  });

  it('(d) fails when the summary disagrees', async () => {
    expect(await failedChecks({ ...evidence, summary: { ...summary, succeeded: summary.succeeded + 1 } })).toEqual([
      '(d) summary, results and journal counts agree',
    ]);
  });

  it('(c) fails on a row with two outcomes and a row with none', async () => {
    const lines = (await readFile(evidence.resultsPath, 'utf8')).trimEnd().split('\n');
    const tampered = join(dir, 'tampered-results.csv');
    await writeFile(tampered, `${[...lines.slice(0, -1), lines[1]].join('\n')}\n`); // last row lost, first twice
    expect(await failedChecks({ ...evidence, resultsPath: tampered })).toContain('(c) one final outcome per row, the journal’s');
  });

  it('(a) fails on a valid row that was never applied', async () => {
    const extra = { rowNumber: 999, leadId: 'lead-999', kind: 'valid' as const };
    const bigger: LeadFile = {
      ...file,
      rows: [...file.rows, extra],
      valid: [...file.valid, extra],
      byRow: new Map([...file.byRow, [999, extra]]),
    };
    expect(await failedChecks({ ...evidence, file: bigger })).toContain('(a) every valid row applied at least once');
  });

  it('write-ahead fails on a request whose `sent` entry is missing', async () => {
    const copy = join(dir, 'run-copy');
    await cp(evidence.runDir, copy, { recursive: true });
    const journal = join(copy, 'journal.jsonl');
    const lines = (await readFile(journal, 'utf8')).split('\n');
    const firstSent = lines.findIndex((l) => l.startsWith('{"t":"sent"'));
    lines.splice(firstSent, 1);
    await writeFile(journal, lines.join('\n'));
    expect(await failedChecks({ ...evidence, runDir: copy })).toContain('write-ahead: one `sent` entry per request');
  });

  it('(b) fails when a row is sent again after its acceptance was journaled (and the lead’s file order with it)', async () => {
    // The first row of a lead that has two: its acceptance is journaled; send it once more
    // (after the lead's second row, so the file order breaks too).
    const row = file.valid.find((r) => file.valid.filter((o) => o.leadId === r.leadId).length > 1 && !file.missingLeads.includes(r.leadId));
    if (!row) throw new Error('the file has no lead with two rows');
    const answer = await fetch(`${cs.sim.url}/v1/leads/${row.leadId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: markerOf(row.rowNumber), status: 'ACTIVE' }),
    });
    expect(answer.status).toBe(200);
    const failed = await failedChecks(evidence);
    expect(failed).toContain('(b) no row sent again once its acceptance was journaled');
    expect(failed).toContain('write-ahead: one `sent` entry per request');
    expect(failed).toContain('rows for one lead arrive in file order');
  });
});
