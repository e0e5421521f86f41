// A server (or proxy) that echoes the key back in another form: base64 (a Basic header),
// URL-encoded, in another case, or cut short. None of those forms may reach the journal,
// run.json or either report. And the other way round: a key that appears in a path the run
// stores is refused before anything is written or sent, never scrubbed out of the path.
import { describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import { startServer } from '../../unit/propexo/http-test-server.ts';
import { everythingUnder } from '../../unit/main/secret-traces.ts';
import { apiPaths, finished, runCli, simulator, tempDir, validRows, writeLeads } from './send-harness.ts';
import { fastTracking } from '../../support/fast-tracking.ts';

const KEY = 'pk_live_Ab3?dEf>6hIj9~kLm2nOp5q';

const echoedForms = (key: string): Record<string, string> => ({
  base64: Buffer.from(key).toString('base64'),
  basic: Buffer.from(`api:${key}`).toString('base64'),
  base64url: Buffer.from(key).toString('base64url'),
  url: encodeURIComponent(key),
  upper: key.toUpperCase(),
  lower: key.toLowerCase(),
  prefix: key.slice(0, 14),
});

describe('a server that echoes the key in other forms', () => {
  it('leaves no form of it in the journal, run.json, the results file or the error report', async () => {
    const dir = await tempDir('key-forms');
    const forms = echoedForms(KEY);
    const server = await startServer((_request, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      const message = Object.entries(forms)
        .map(([name, form]) => `${name}=${form}`)
        .join(' ');
      res.end(JSON.stringify({ error: { code: 'bad_request', message: `Rejected credentials: ${message}`, details: { echo: forms } } }));
    });
    try {
      const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
      const paths = apiPaths(dir);
      const summary = await finished(
        await sendFile({
          path: file,
          environment: server.url,
          token: KEY,
          ...paths,
          tracking: fastTracking,
          backoff: { baseMs: 5, capMs: 20, maxRetries: 0 },
        }),
      );
      expect(summary.rejected).toBe(2);
      expect(server.requests.length).toBeGreaterThan(0);
      const stored = [
        everythingUnder(paths.dataDir),
        await readFile(paths.resultsPath, 'latin1'),
        await readFile(paths.errorsPath, 'latin1'),
      ];
      expect(stored[1]).toContain('Rejected credentials');
      expect(stored[2]).toContain('Rejected credentials');
      for (const text of stored) {
        for (const [name, form] of Object.entries(forms)) expect(text.includes(form), `${name} form`).toBe(false);
      }
    } finally {
      await server.close();
    }
  });
});

describe('a key that appears in a path the run stores', () => {
  it.each([
    ['data folder', (dir: string, key: string) => ({ data: join(dir, `keys-${key}`, 'data') })],
    ['input file', (dir: string, key: string) => ({ folder: join(dir, `copy of ${key}`) })],
    ['results file', (dir: string, key: string) => ({ results: join(dir, `results-${key.toUpperCase()}.csv`) })],
    ['error report', (dir: string, key: string) => ({ errors: join(dir, `errors-${encodeURIComponent(key)}.csv`) })],
  ])('in the %s: refused up front without echoing the key; nothing sent, nothing stored', async (what, place) => {
    const dir = await tempDir('key-path');
    const sim = await simulator({ token: KEY, rateLimit: 1_000 });
    const chosen: { data?: string; folder?: string; results?: string; errors?: string } = place(dir, KEY);
    const folder = chosen.folder ?? dir;
    await mkdir(folder, { recursive: true });
    const file = await writeLeads(join(folder, 'leads.csv'), validRows(2));
    const data = chosen.data ?? join(dir, 'data');
    const reports = [...(chosen.results ? ['--results', chosen.results] : []), ...(chosen.errors ? ['--errors', chosen.errors] : [])];
    const run = await runCli(['send', file, '--env', sim.url, '--data-dir', data, ...reports], { env: { PROPEXO_API_KEY: KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`API key appears in the ${what}`);
    for (const form of Object.values(echoedForms(KEY))) expect(run.stderr + run.stdout).not.toContain(form);
    expect(sim.record).toEqual([]);
    expect(everythingUnder(dir)).not.toContain('"runId"');
  });
});

describe('a key that appears in a lead id or a cell edit', () => {
  it.each([
    ['as is', (key: string) => `lead-${key}`],
    ['a lower-cased prefix', (key: string) => `${key.slice(0, 14).toLowerCase()}-9`],
  ])('%s in a lead id: refused up front, naming the file, row and column but not the id; nothing sent or stored', async (_name, leadOf) => {
    const dir = await tempDir('key-lead');
    const sim = await simulator({ token: KEY, rateLimit: 1_000 });
    const rows = validRows(3);
    const file = await writeLeads(join(dir, 'leads.csv'), [rows[0], { ...rows[1], leadId: leadOf(KEY) }, rows[2]]);
    const data = join(dir, 'data');
    const run = await runCli(['send', file, '--env', sim.url, '--data-dir', data], { env: { PROPEXO_API_KEY: KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}, row 3, column "Lead ID": the lead id holds the API key`);
    for (const form of Object.values(echoedForms(KEY))) expect(run.stderr + run.stdout).not.toContain(form);
    expect(run.stderr).not.toContain(leadOf(KEY));
    expect(sim.record).toEqual([]);
    expect(everythingUnder(dir)).not.toContain('"runId"');
  });

  it('in a cell edit (kept in run.json): refused up front', async () => {
    const dir = await tempDir('key-edit');
    const sim = await simulator({ token: KEY, rateLimit: 1_000 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const paths = apiPaths(dir);
    const started = await sendFile({
      path: file,
      environment: sim.url,
      token: KEY,
      ...paths,
      edits: [{ row: 2, column: 'First Name', value: `note ${KEY.toUpperCase()}` }],
    });
    expect(started).toMatchObject({ _tag: 'Left', left: { code: 'key_in_identifier' } });
    const message = started._tag === 'Left' ? started.left.message : '';
    expect(message).toContain('row 2, column "First Name"');
    expect(message).not.toContain(KEY.toUpperCase().slice(0, 12));
    expect(sim.record).toEqual([]);
  });
});
