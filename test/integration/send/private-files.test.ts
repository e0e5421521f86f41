// Run folders hold lead data (journal, run.json, caches): outside Electron's userData (the CLI's
// default folder, LEAD_IMPORTER_HOME, --data-dir) nothing else protects them from other users
// of the machine, so folders are created 0700 and files 0600 whatever the umask lets through.
import { describe, expect, it } from 'vitest';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRunStore } from '../../../app/run/run-store.ts';
import { ensureWritable } from '../../../app/run/data-dir.ts';
import { headerInput } from '../../unit/run/fixtures.ts';
import { API_KEY, runCli, simulator, tempDir, validRows, writeLeads } from './send-harness.ts';

const modeOf = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);

/** Every folder and file under `dir`, with its mode. */
async function modesUnder(dir: string): Promise<Map<string, string>> {
  const modes = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    modes.set(path.slice(dir.length + 1), await modeOf(path));
  }
  return modes;
}

describe.skipIf(process.platform === 'win32')('private run files', () => {
  it('a CLI run under LEAD_IMPORTER_HOME: the data folder, run folders 0700; run.json, journal, summary cache 0600', async () => {
    const dir = await tempDir('modes');
    const home = join(dir, 'home', 'lead-importer');
    const sim = await simulator({ token: API_KEY, rateLimit: 1_000 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
    const env = { PROPEXO_API_KEY: API_KEY, LEAD_IMPORTER_HOME: home };
    expect((await runCli(['send', file, '--env', sim.url], { env })).code).toBe(0);
    expect((await runCli(['runs'], { env })).code).toBe(0); // writes the summary cache

    expect(await modeOf(join(dir, 'home'))).toBe('700');
    expect(await modeOf(home)).toBe('700');
    const modes = await modesUnder(home);
    const names = [...modes.keys()];
    expect(names.some((n) => n.endsWith('run.json'))).toBe(true);
    expect(names.some((n) => n.endsWith('journal.jsonl'))).toBe(true);
    expect(names.some((n) => n.endsWith('summary-cache.json'))).toBe(true);
    for (const [name, mode] of modes) {
      const isDir = (await stat(join(home, name))).isDirectory();
      expect([name, mode]).toEqual([name, isDir ? '700' : '600']);
    }
  });

  it('the lock of a live run is 0600 too', async () => {
    const dir = await tempDir('modes');
    const dataDir = join(dir, 'data');
    await ensureWritable(dataDir);
    const handle = await createRunStore(dataDir).create(headerInput());
    try {
      expect(await modeOf(join(handle.dir, 'lock'))).toBe('600');
      expect(await modeOf(handle.dir)).toBe('700');
    } finally {
      await handle.close();
    }
  });
});
