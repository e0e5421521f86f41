// How often a run reads its file, counted by an injected reader (RunFiles): every pass over the
// rows goes through the source the injected openSource returns, and every hash through the
// injected hashFile. Between Send and the first request the file is read for the check (rows
// counted, the run's row table, a lead id holding the key: one pass), for the run's identity
// (hash) and to send. Before #15 step 1 a desktop start read it five times, the CLI four.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { main } from '../../../app/cli/main.ts';
import type { CliIo } from '../../../app/cli/io.ts';
import { createRuns } from '../../../app/desktop/runs.ts';
import type { RunMaterial } from '../../../app/desktop/import-sessions.ts';
import { hashFile } from '../../../app/run/file-hash.ts';
import type { RunFiles } from '../../../app/run/send-run.ts';
import { openSource } from '../../../app/source/open-source.ts';
import type { SourceFile } from '../../../app/source/types.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { API_KEY, fastTracking, simulator, tempDir, until, validRows, writeLeads } from './send-harness.ts';

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
        value: () => {
          passes.push('rows');
          return rows();
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
function firstUpdateWatch(passes: readonly string[]): { readonly fetch: typeof globalThis.fetch; readonly atFirstUpdate: () => readonly string[] | undefined } {
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
  it('CLI send: the file is prepared once, then read three times: check, hash, send', async () => {
    const dir = await tempDir('passes-cli');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(ROWS));
    const sim = await simulator({ token: API_KEY, jobPendingMs: 20 });
    const { files, passes } = countingFiles();
    const watch = firstUpdateWatch(passes);
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: { PROPEXO_API_KEY: API_KEY }, cwd: dir };
    const code = await main(['send', file, '--env', sim.url, '--data-dir', join(dir, 'data'), '--json'], io, {
      connection: { fetch: watch.fetch, windowMs: sim.options.windowMs, tracking: fastTracking },
      files,
    });
    expect(code, stderr).toBe(0);
    expect(watch.atFirstUpdate()).toEqual(['rows', 'hash', 'rows']);
    // No --results or --errors: nothing is read at the end.
    expect(passes).toEqual(['rows', 'hash', 'rows']);
  }, 30_000);

  it('desktop start: the checked import is handed over, then read three times: check, hash, send', async () => {
    const dir = await tempDir('passes-desktop');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(ROWS));
    const sim = await simulator({ token: API_KEY, jobPendingMs: 20 });
    const { files, passes } = countingFiles();
    const watch = firstUpdateWatch(passes);
    // What imports.ts hands a run: the import it prepared and checked (that check is not counted here).
    const prepared = await prepareImport({ path: file, openSource: files.openSource });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    const material: RunMaterial = {
      importId: 'imp-1',
      fileName: 'leads.csv',
      input: { prepared: prepared.right, edits: new Map([[2, new Map([[1, 'Edited']])]]), sourceFile: { path: file } },
      counts: { rows: ROWS, valid: ROWS, invalid: 0, skipped: 0, warnings: 0, duplicates: 0, edits: 1, notices: [] },
    };
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
      imports: { forRun: () => material },
      confirmProduction: async () => false,
    });
    try {
      const { runId } = await runs.start({ importId: 'imp-1', environment: 'sandbox', concurrency: 4, rate: sim.options.rateLimit });
      await until(() => finished.length === 1, 20_000, 'the run to finish');
      expect(watch.atFirstUpdate()).toEqual(['rows', 'hash', 'rows']);
      // The desktop writes no report at the end: nothing more is read.
      expect(passes).toEqual(['rows', 'hash', 'rows']);
      // The run table comes from the core's check: every row, the edit applied.
      const page = await runs.rows({ runId, filter: 'all', offset: 0, limit: ROWS });
      expect(page.total).toBe(ROWS);
      expect(passes).toEqual(['rows', 'hash', 'rows']);
    } finally {
      await runs.closeAll();
    }
  }, 30_000);
});
