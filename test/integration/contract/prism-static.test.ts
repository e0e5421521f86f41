// The contract suite, static mode: Stoplight Prism serves Propexo's own OpenAPI document (the
// vendored excerpts) and answers every request with the document's example, or one it makes from
// the schema. Whatever the document allows must end every row and every command with its summary.
// Prism is slow to start: one per file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../send/send-harness.ts';
import { startPrism, type Prism } from './prism.ts';
import { checkedCommand, commandSequence, writeLeadFile, ROWS, type CommandReport } from './prism-scenario.ts';

let prism: Prism;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'contract-static-'));
  prism = await startPrism({ variant: 'document', dir: root });
}, 60_000);
afterAll(async () => {
  await prism?.close();
  await rm(root, { recursive: true, force: true });
});

const problemsOf = (reports: readonly CommandReport[]): string[] => reports.flatMap((r) => r.problems.map((p) => `${r.command}: ${p}`));

/** A fetch that adds `Prefer` (Prism's way to pick an answer) to lead updates, and notes rate headers. */
function preferring(prefer: string | undefined, seen: { rateHeaders: number; answers: number }): typeof fetch {
  return async (input, init) => {
    const headers = prefer && init?.method === 'PUT' ? { ...(init.headers as Record<string, string>), prefer } : init?.headers;
    const response = await fetch(input, { ...init, headers });
    seen.answers++;
    if ([...response.headers.keys()].some((name) => name.startsWith('x-ratelimit') || name === 'retry-after')) seen.rateHeaders++;
    return response;
  };
}

async function caseDir(name: string): Promise<{ dir: string; leads: string }> {
  const dir = await mkdtemp(join(root, `${name}-`));
  return { dir, leads: await writeLeadFile(join(dir, 'leads.csv')) };
}

describe('contract: Propexo’s document served by Prism (static mode)', () => {
  it('send, retry, status and resume: every row ends, summary = results file = requests Prism received, no request violation', async () => {
    const { dir, leads } = await caseDir('sequence');
    const reports = await commandSequence(prism, dir, leads);
    expect(problemsOf(reports)).toEqual([]);
    expect(reports.map((r) => r.command)).toEqual(['send', 'retry', 'send-pending-1', 'status', 'send-pending-2', 'resume']);
    // Prism's static answer gives every update the job id "string": the first row follows it to
    // its end, every later row was given an id already followed and ends unknown at once.
    expect(reports[0].summary).toMatchObject({ rows: ROWS, succeeded: 1, unknown: ROWS - 1, pending: 0, lostTrack: 0, stopped: null });
    const results = await readCsv(join(dir, 'send-results.csv'));
    expect(
      results
        .filter((l) => l.outcome === 'unknown')
        .every((l) => l.job_id === 'string' && /already given to another update of this run/.test(l.errors)),
    ).toBe(true);
    // status and resume followed the job left pending; retry sent the unknown rows again.
    expect(reports[3].summary).toMatchObject({ pending: 0, succeeded: 1 });
    expect(reports[5].summary).toMatchObject({ pending: 0, succeeded: 1 });
    expect((reports[1].summary.requests as { update: number }).update).toBe(ROWS - 1);
  }, 60_000);

  it('no rate headers at all: the client paces itself and the run ends', async () => {
    const { dir, leads } = await caseDir('no-rate-headers');
    const seen = { rateHeaders: 0, answers: 0 };
    const report = await checkedCommand(prism, dir, 'send', ['send', leads, '--env', prism.url, '--rate', '6000'], {
      connection: { fetch: preferring(undefined, seen) },
    });
    expect(report.problems).toEqual([]);
    expect(seen.answers).toBe(report.requestsCounted);
    expect(seen.rateHeaders).toBe(0);
    expect(report.summary).toMatchObject({ requests: { throttled: 0 }, stopped: null });
  }, 30_000);

  it('a 400 as the document shows it: the issues at details.details.issues reach the results and the error report', async () => {
    const { dir, leads } = await caseDir('issues');
    const seen = { rateHeaders: 0, answers: 0 };
    const report = await checkedCommand(prism, dir, 'send', ['send', leads, '--env', prism.url, '--rate', '6000'], {
      connection: { fetch: preferring('code=400', seen) },
    });
    expect(report.problems).toEqual([]);
    expect(report.summary).toMatchObject({ rejected: ROWS, succeeded: 0 });
    const results = await readCsv(join(dir, 'send-results.csv'));
    expect(results.every((l) => l.http_status === '400' && l.errors.includes("Unrecognized key(s) in object: 'foo'"))).toBe(true);
    const report400 = await readCsv(join(dir, 'send-errors.csv'));
    expect(report400).toHaveLength(ROWS);
    expect(report400.every((l) => l.import_stage === 'request')).toBe(true);
  }, 30_000);

  it('an empty job_id (schema-valid) ends the row unknown: the update may have taken effect', async () => {
    const { dir, leads } = await caseDir('empty-job-id');
    const seen = { rateHeaders: 0, answers: 0 };
    const report = await checkedCommand(prism, dir, 'send', ['send', leads, '--env', prism.url, '--rate', '6000'], {
      connection: { fetch: preferring('example=empty-job-id', seen) },
    });
    expect(report.problems).toEqual([]);
    expect(report.summary).toMatchObject({ unknown: ROWS, succeeded: 0, requests: { update: ROWS, status: 0, logs: 0 } });
    const results = await readCsv(join(dir, 'send-results.csv'));
    expect(results.every((l) => l.outcome === 'unknown' && /may have taken effect/.test(l.errors))).toBe(true);
  }, 30_000);
});
