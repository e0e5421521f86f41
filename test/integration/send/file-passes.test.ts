// How often a run reads its file, counted by an injected reader (RunFiles): every pass over the
// rows goes through the source the injected openSource returns, and every hash through the
// injected hashFile. Between Send and the first request the file is read twice. The CLI checks
// it (counts, the run's row table, where the key is looked for in lead ids) hashing the bytes as
// the check reads them, then sends. The desktop takes the check its review made (in the
// review's own pass, kept through cell fixes), hashes the file, then sends. Before #15 step 1 a
// desktop start read it five times, the CLI four; before this, both three times.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { main } from '../../../app/cli/main.ts';
import type { CliIo } from '../../../app/cli/io.ts';
import { createImports } from '../../../app/desktop/imports.ts';
import { DEFAULT_MEMORY_ROWS } from '../../../app/desktop/review-pages.ts';
import { createRuns } from '../../../app/desktop/runs.ts';
import { hashFile } from '../../../app/run/file-hash.ts';
import { createRunStore } from '../../../app/run/run-store.ts';
import type { RunFiles } from '../../../app/run/send-run.ts';
import { openSource } from '../../../app/source/open-source.ts';
import type { SourceFile } from '../../../app/source/types.ts';
import { API_KEY, fastTracking, simulator, summaryOf, tempDir, until, validRows, writeLeads } from './send-harness.ts';

const ROWS = 40;

/** A reader that notes each pass over the file: 'rows' (its records, start to end) or 'hash' (its bytes). */
function countingFiles(): { readonly files: RunFiles; readonly passes: string[] } {
  const passes: string[] = [];
  const counted = (source: SourceFile): SourceFile => {
    // Some members of a source are live (the encoding a read finds): keep them as they are.
    const members = Object.getOwnPropertyDescriptors(source);
    const rows = source.rows.bind(source);
    return Object.defineProperties({} as SourceFile, {
      ...members,
      rows: {
        value: (...args: Parameters<SourceFile['rows']>) => {
          passes.push('rows');
          return rows(...args);
        },
      },
    });
  };
  return {
    passes,
    files: {
      openSource: async (path, options) => {
        const opened = await openSource(path, options);
        return E.isLeft(opened) ? opened : E.right(counted(opened.right));
      },
      hashFile: async (path) => {
        passes.push('hash');
        return hashFile(path);
      },
    },
  };
}

/** A fetch that notes the passes made when the first update leaves. */
function firstUpdateWatch(passes: readonly string[]): {
  readonly fetch: typeof globalThis.fetch;
  readonly atFirstUpdate: () => readonly string[] | undefined;
} {
  let seen: readonly string[] | undefined;
  return {
    fetch: (input, init) => {
      if (seen === undefined && init?.method === 'PUT') seen = [...passes];
      return globalThis.fetch(input, init);
    },
    atFirstUpdate: () => seen,
  };
}

describe('file passes of a new run', () => {
  it('CLI send: the file is prepared once, then read twice: check (hashing what it reads), send', async () => {
    const dir = await tempDir('passes-cli');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(ROWS));
    const sim = await simulator({ token: API_KEY, jobPendingMs: 20 });
    const { files, passes } = countingFiles();
    const watch = firstUpdateWatch(passes);
    let stderr = '';
    let stdout = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { PROPEXO_API_KEY: API_KEY },
      cwd: dir,
    };
    const code = await main(['send', file, '--env', sim.url, '--data-dir', join(dir, 'data'), '--json'], io, {
      connection: { fetch: watch.fetch, windowMs: sim.options.windowMs, tracking: fastTracking },
      files,
    });
    expect(code, stderr).toBe(0);
    expect(watch.atFirstUpdate()).toEqual(['rows', 'rows']);
    // No --results or --errors: nothing is read at the end.
    expect(passes).toEqual(['rows', 'rows']);
    // The run's identity is what it was: the sha256 and size of the whole file, as resume compares them.
    const header = await createRunStore(join(dir, 'data')).header(String(summaryOf(stdout).runId));
    if (E.isLeft(header)) throw new Error(header.left.message);
    expect({ sha256: header.right.file.sha256, size: header.right.file.size }).toEqual(await hashFile(file));
  }, 30_000);

  it('desktop start: the review check is handed over with its fixes, then the file is read twice: hash, send', async () => {
    const dir = await tempDir('passes-desktop');
    const rows = validRows(ROWS);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const sim = await simulator({ token: API_KEY, jobPendingMs: 20 });
    const { files, passes } = countingFiles();
    const watch = firstUpdateWatch(passes);
    const imports = createImports({ now: () => 0, emit: () => undefined, memoryRows: DEFAULT_MEMORY_ROWS, openSource: files.openSource });
    const { importId } = await imports.open({ path: file, options: {} });
    await imports.validate({ importId });
    expect(passes).toEqual(['rows']);
    // Fixes after the check: a new lead id for row 3, a bad Beds value for row 4 (invalid now).
    await imports.editCell({ importId, rowNumber: 3, columnIndex: 0, value: 'lead-fixed' });
    await imports.editCell({ importId, rowNumber: 4, columnIndex: 3, value: 'many' });
    const finished: unknown[] = [];
    const runs = createRuns({
      dataDir: join(dir, 'data'),
      getToken: async () => API_KEY,
      connection: { fetch: watch.fetch, windowMs: sim.options.windowMs, tracking: fastTracking },
      files,
      servers: { sandbox: sim.url },
      batchIntervalMs: 20,
      emit: (event, payload) => {
        if (event === 'run:finished') finished.push(payload);
      },
      imports,
      confirmProduction: async () => false,
    });
    try {
      const { runId } = await runs.start({ importId, environment: 'sandbox', concurrency: 4, rate: sim.options.rateLimit });
      await until(() => finished.length === 1, 20_000, 'the run to finish');
      // The check before Send, then only the hash and the send.
      expect(watch.atFirstUpdate()).toEqual(['rows', 'hash', 'rows']);
      // The desktop writes no report at the end: nothing more is read.
      expect(passes).toEqual(['rows', 'hash', 'rows']);
      // The run table is the review's index with the fixes: every row, the new lead id, the row made invalid.
      const page = await runs.rows({ runId, filter: 'all', offset: 0, limit: ROWS });
      expect(page.total).toBe(ROWS);
      expect(page.rows.find((r) => r.rowNumber === 3)).toMatchObject({ leadId: 'lead-fixed', outcome: 'succeeded' });
      expect(page.rows.find((r) => r.rowNumber === 4)).toMatchObject({ leadId: rows[2].leadId, outcome: 'invalid' });
      expect(page.rows.find((r) => r.rowNumber === 4)?.errors.join(' ')).toMatch(/many/);
      expect(sim.record.filter((r) => r.endpoint === 'update-lead')).toHaveLength(ROWS - 1);
      expect(passes).toEqual(['rows', 'hash', 'rows']);
    } finally {
      await runs.closeAll();
      imports.closeAll();
    }
  }, 30_000);

  it('desktop start after a two-thread check: the worker part joins the run index, then the file is read twice: hash, send', async () => {
    const dir = await tempDir('passes-two-threads');
    const rows = validRows(ROWS);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const sim = await simulator({ token: API_KEY, jobPendingMs: 20 });
    const { files, passes } = countingFiles();
    const watch = firstUpdateWatch(passes);
    const outcomes: string[] = [];
    const imports = createImports({
      now: () => 0,
      emit: () => undefined,
      memoryRows: DEFAULT_MEMORY_ROWS,
      openSource: files.openSource,
      // Cut even this small file in two, as a file over the CLI's threshold is.
      segments: { minBytes: 1 },
      onSegments: (outcome) => outcomes.push(outcome),
    });
    const { importId } = await imports.open({ path: file, options: {} });
    await imports.validate({ importId });
    expect(outcomes).toEqual(['both']);
    // A fix in the worker's part: the run takes it from the review's index.
    await imports.editCell({ importId, rowNumber: ROWS, columnIndex: 3, value: 'many' });
    passes.length = 0;
    const finished: unknown[] = [];
    const runs = createRuns({
      dataDir: join(dir, 'data'),
      getToken: async () => API_KEY,
      connection: { fetch: watch.fetch, windowMs: sim.options.windowMs, tracking: fastTracking },
      files,
      servers: { sandbox: sim.url },
      batchIntervalMs: 20,
      emit: (event, payload) => {
        if (event === 'run:finished') finished.push(payload);
      },
      imports,
      confirmProduction: async () => false,
    });
    try {
      const { runId } = await runs.start({ importId, environment: 'sandbox', concurrency: 4, rate: sim.options.rateLimit });
      await until(() => finished.length === 1, 20_000, 'the run to finish');
      expect(watch.atFirstUpdate()).toEqual(['hash', 'rows']);
      const page = await runs.rows({ runId, filter: 'all', offset: 0, limit: ROWS });
      expect(page.total).toBe(ROWS);
      expect(page.rows.find((r) => r.rowNumber === ROWS)).toMatchObject({ outcome: 'invalid' });
      expect(sim.record.filter((r) => r.endpoint === 'update-lead')).toHaveLength(ROWS - 1);
    } finally {
      await runs.closeAll();
      imports.closeAll();
    }
  }, 30_000);
});
