import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../../../app/run/journal.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { HEADER_FILE, type RunHeaderInput } from '../../../app/run/run-header.ts';
import { LOCK_FILE } from '../../../app/run/run-lock.ts';
import { nodeRunFs } from '../../../app/run/run-fs.ts';
import {
  createRunStore,
  formatRunId,
  RunStoreError,
  SUMMARY_CACHE_FILE,
  type RunHandle,
  type RunStoreOptions,
} from '../../../app/run/run-store.ts';
import { fsError, recordingFs } from './fs-doubles.ts';
import { headerInput } from './fixtures.ts';

let dataDir: string;
let runsDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'run-store-'));
  runsDir = join(dataDir, 'runs');
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 27, 13, 45, 1, 250);
function ids(...suffixes: string[]): () => string {
  let i = 0;
  return () => suffixes[Math.min(i++, suffixes.length - 1)];
}
const store = (options: RunStoreOptions = {}) => createRunStore(dataDir, { now: () => T0, newId: ids('3f9a'), ...options });

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 999_999;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function openRight(s: ReturnType<typeof store>, runId: string, force = false): Promise<RunHandle> {
  const opened = await s.open(runId, { force });
  if (E.isLeft(opened)) throw opened.left;
  return opened.right;
}

/** Simulates a crash: the journal's file is closed but the lock stays. */
async function abandon(handle: RunHandle): Promise<void> {
  await handle.journal.close();
}

describe('formatRunId', () => {
  it('is readable and sorts by creation time', () => {
    expect(formatRunId(T0, '3f9a')).toBe('20261127-134501-3f9a');
    const later = [Date.UTC(2026, 10, 27, 13, 45, 2), Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 1)].map((ms) => formatRunId(ms, '0000'));
    expect([...later].sort()).toEqual(later);
    expect(formatRunId(T0, 'ffff') < later[0]).toBe(true);
  });
});

describe('create', () => {
  it('writes run.json with version, id and creation time, an empty journal and a lock with our pid', async () => {
    const handle = await store().create(headerInput());
    expect(handle.runId).toBe('20261127-134501-3f9a');
    expect(handle.dir).toBe(join(runsDir, handle.runId));
    const onDisk: unknown = JSON.parse(await readFile(join(handle.dir, HEADER_FILE), 'utf8'));
    expect(onDisk).toEqual({ version: 1, runId: handle.runId, createdAt: '2026-11-27T13:45:01.250Z', ...headerInput() });
    expect(handle.header).toEqual(onDisk);
    expect(await readFile(join(handle.dir, JOURNAL_FILE), 'utf8')).toBe('');
    expect(JSON.parse(await readFile(join(handle.dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      startedAt: '2026-11-27T13:45:01.250Z',
    });
    expect(handle.entries).toEqual([]);

    handle.journal.append({ t: 'run_started', resumed: false });
    await handle.close();
    await expect(readFile(join(handle.dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(handle.dir, JOURNAL_FILE), 'utf8')).toBe(`{"t":"run_started","at":${T0},"resumed":false}\n`);
  });

  it('header() reads run.json alone: no journal read, no lock taken', async () => {
    const handle = await store().create(headerInput());
    await handle.close();
    const fresh = store();
    expect(await fresh.header(handle.runId)).toEqual(E.right(handle.header));
    await expect(readFile(join(handle.dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fresh.header('../etc')).toMatchObject({ _tag: 'Left', left: { kind: 'invalid_id' } });
    expect(await fresh.header('20261127-134501-ffff')).toMatchObject({ _tag: 'Left', left: { kind: 'not_found' } });
  });

  it("keeps an undo run's undoOf, and the listing links each run to its undo runs", async () => {
    const s = store({ newId: ids('aaaa', 'bbbb', 'cccc') });
    const original = await s.create(headerInput());
    const undo = await s.create({ ...headerInput(), undoOf: original.runId });
    const redo = await s.create({ ...headerInput(), undoOf: undo.runId });
    await Promise.all([original.close(), undo.close(), redo.close()]);
    expect(await s.header(undo.runId)).toMatchObject({ _tag: 'Right', right: { undoOf: original.runId } });
    const runs = new Map((await s.list()).runs.map((r) => [r.runId, r]));
    expect(runs.get(original.runId)).toMatchObject({ undoneBy: [undo.runId] });
    expect(runs.get(original.runId)?.undoOf).toBeUndefined();
    expect(runs.get(undo.runId)).toMatchObject({ undoOf: original.runId, undoneBy: [redo.runId] });
    expect(runs.get(redo.runId)).toMatchObject({ undoOf: undo.runId });
    expect(runs.get(redo.runId)?.undoneBy).toBeUndefined();
  });

  it('picks another suffix when two runs start in the same second', async () => {
    const s = store({ newId: ids('aaaa', 'aaaa', 'bbbb') });
    const first = await s.create(headerInput());
    const second = await s.create(headerInput());
    expect([first.runId, second.runId]).toEqual(['20261127-134501-aaaa', '20261127-134501-bbbb']);
    await Promise.all([first.close(), second.close()]);
  });

  it('refuses an invalid header before touching the disk, naming the field', async () => {
    const bad = headerInput({ file: { ...headerInput().file, sha256: 'nope' } });
    await expect(store().create(bad)).rejects.toThrow(
      new RunStoreError('invalid_header', 'Cannot create a run: file.sha256: expected sha256 (64 lowercase hex digits), got "nope".'),
    );
    const badUrl = headerInput({ environment: { name: 'custom', baseUrl: 'https://user:secret@api.example.com' } });
    await expect(store().create(badUrl)).rejects.toThrow(/environment.baseUrl: expected http\(s\) URL without credentials/);
    await expect(readdir(dataDir)).resolves.toEqual([]);
  });

  it('never writes the API token: extra fields are stripped, free text is redacted', async () => {
    const token = 'pxo_live_8d1c7e52a9b04f61';
    const lookalike = 'pxo_live_0000000000000000'; // a token-looking value in the mapping: user data, kept
    const sneaky = {
      ...headerInput({
        mapping: { columns: [], note: lookalike },
        edits: [{ row: 2, column: 'Notes', value: `pasted ${token} by mistake` }],
      }),
      token,
      environment: { name: 'production', baseUrl: 'https://api.propexo.com', token, headers: { Authorization: `Bearer ${token}` } },
      options: { ...headerInput().options, apiKey: token },
    } as RunHeaderInput;
    const handle = await store({ secrets: [token] }).create(sneaky);
    handle.journal.append({ t: 'failed', row: 2, reason: 'HTTP 500', token } as unknown as JournalEntry);
    handle.journal.append({ t: 'stopped', reason: `401 for Bearer ${token}` });
    await handle.close();

    const files = await filesUnder(handle.dir);
    expect(files.map((f) => f.slice(handle.dir.length + 1)).sort()).toEqual([JOURNAL_FILE, HEADER_FILE]);
    const everything = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
    expect(everything).not.toContain(token);
    expect(everything).toContain(lookalike);
    expect(everything).toContain('pasted [redacted] by mistake');
    expect(handle.header.environment).toEqual({ name: 'production', baseUrl: 'https://api.propexo.com' });
    expect(Object.keys(handle.header)).not.toContain('token');
  });

  it('a crash before the rename leaves no run.json, no temporary file and no run', async () => {
    const { fs } = recordingFs(nodeRunFs, { inject: (op) => (op.op === 'rename' ? { error: fsError('EIO', op.path) } : undefined) });
    const error = await store({ fs })
      .create(headerInput())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RunStoreError);
    expect((error as Error).message).toBe(
      `Could not create run 20261127-134501-3f9a in ${join(runsDir, '20261127-134501-3f9a')}: input/output error (failing disk or disconnected drive) (EIO).`,
    );
    expect(await filesUnder(dataDir)).toEqual([]);
    expect(await store().list()).toEqual({ runs: [], skipped: [] });
  });

  it.each([
    ['write', 'ENOSPC', 'the disk is full (ENOSPC)'],
    ['sync', 'EIO', 'input/output error'],
    ['mkdir', 'EACCES', 'permission denied (EACCES)'],
  ] as const)('%s failing with %s fails clearly and leaves nothing half-made', async (opName, code, cause) => {
    const { fs } = recordingFs(nodeRunFs, { inject: (op) => (op.op === opName ? { error: fsError(code, op.path) } : undefined) });
    await expect(store({ fs }).create(headerInput())).rejects.toThrow(cause);
    expect(await filesUnder(dataDir)).toEqual([]);
  });
});

describe('open', () => {
  const run: JournalEntry[] = [
    { t: 'run_started', at: T0, resumed: false },
    { t: 'sent', at: T0 + 1, row: 2, leadId: 'L2', attempt: 1 },
    { t: 'accepted', at: T0 + 2, row: 2, jobId: 'J2', attempt: 1, httpStatus: 200 },
  ];

  it('gives back the header and the journal, and holds the lock until closed', async () => {
    const s = store();
    const created = await s.create(headerInput());
    for (const entry of run) created.journal.append(entry);
    await created.close();

    const handle = await openRight(s, created.runId);
    expect(handle.header).toEqual(created.header);
    expect(handle.entries).toEqual(run);
    expect(handle.repaired).toBe(false);

    const again = await s.open(created.runId);
    expect(E.isLeft(again) && again.left.kind).toBe('in_use');
    expect(E.isLeft(again) && again.left.message).toMatch(
      new RegExp(`^Run ${created.runId} is in use by process ${process.pid} since 2026-11-27T13:45:01.250Z\\.$`),
    );

    handle.journal.append({ t: 'finished', summary: { accepted: 1 } });
    await handle.close();
    const reopened = await openRight(s, created.runId);
    expect(reopened.entries.map((e) => e.t)).toEqual(['run_started', 'sent', 'accepted', 'finished']);
    await reopened.close();
  });

  it('repairs a journal cut off by a crash and appends after it', async () => {
    const s = store();
    const created = await store({ pid: deadPid() }).create(headerInput());
    for (const entry of run) created.journal.append(entry);
    await abandon(created);
    await appendFile(join(created.dir, JOURNAL_FILE), '{"t":"final","at":1764251101');

    const handle = await openRight(s, created.runId);
    expect(handle.entries).toEqual(run);
    expect(handle.repaired).toBe(true);
    expect(handle.problems[0]).toMatch(/dropped an incomplete last line \(line 4/);
    handle.journal.append({ t: 'final', at: T0 + 3, row: 2, jobId: 'J2', writeStatus: 'SUCCESS', errors: [] });
    await handle.close();
    const read = await s.read(created.runId);
    expect(E.isRight(read) && read.right.entries.length).toBe(4);
  });

  it('takes over a stale lock left by a process that died', async () => {
    const dead = deadPid();
    const created = await store({ pid: dead }).create(headerInput());
    await abandon(created);
    const handle = await openRight(store(), created.runId);
    expect(JSON.parse(await readFile(join(handle.dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await handle.close();
  });

  it('refuses a run held on another computer, unless forced', async () => {
    const created = await store({ host: 'other-desk', pid: 12345 }).create(headerInput());
    await abandon(created);
    const refused = await store().open(created.runId);
    expect(E.isLeft(refused) && refused.left.message).toBe(
      `Run ${created.runId} is in use by process 12345 on other-desk since 2026-11-27T13:45:01.250Z.`,
    );
    const forced = await openRight(store(), created.runId, true);
    await forced.close();
  });

  it('when the journal fails mid-run, close() reports it, releases the lock, and the run lists as interrupted', async () => {
    let diskFull = false;
    const { fs } = recordingFs(nodeRunFs, {
      inject: (op) => (diskFull && op.op === 'write' ? { error: fsError('ENOSPC', op.path) } : undefined),
    });
    const s = store({ fs });
    const handle = await s.create(headerInput());
    handle.journal.append(run[0]);
    handle.journal.append(run[1]);
    await handle.journal.flush();
    diskFull = true;
    handle.journal.append(run[2]);
    await expect(handle.journal.flush()).rejects.toThrow(
      `Could not save the run journal ${join(handle.dir, JOURNAL_FILE)} (write failed): the disk is full (ENOSPC).`,
    );
    expect(() => handle.journal.append({ t: 'stopped', reason: 'disk full' })).toThrow(/disk is full/);
    await expect(handle.close()).rejects.toThrow(/disk is full/);
    await expect(readFile(join(handle.dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });

    diskFull = false;
    const { runs } = await store().list();
    expect(runs.map((r) => [r.runId, r.state, r.outcomes])).toEqual([[handle.runId, 'interrupted', { sent: 1 }]]);
    const resumed = await openRight(store(), handle.runId);
    expect(resumed.entries).toEqual(run.slice(0, 2));
    await resumed.close();
  });

  it('explains what is wrong with a bad id, a missing run, a bad header or a damaged journal', async () => {
    const s = store();
    const bad = await s.open('../../etc');
    expect(E.isLeft(bad) && bad.left).toMatchObject({
      kind: 'invalid_id',
      message: '"../../etc" is not a run id (like 20261127-134501-3f9a).',
    });
    const missing = await s.open('20261127-134501-0000');
    expect(E.isLeft(missing) && missing.left).toMatchObject({
      kind: 'not_found',
      message: `There is no run 20261127-134501-0000 in ${runsDir}.`,
    });

    const created = await s.create(headerInput());
    await created.close();
    const headerPath = join(created.dir, HEADER_FILE);
    const header = JSON.parse(await readFile(headerPath, 'utf8')) as Record<string, unknown>;
    await writeFile(headerPath, JSON.stringify({ ...header, counts: { rows: -1, valid: 0, invalid: 0, skipped: 0 } }));
    const badHeader = await s.open(created.runId);
    expect(E.isLeft(badHeader) && badHeader.left).toMatchObject({
      kind: 'bad_header',
      message: `${headerPath} is not a valid run header: counts.rows: expected integer ≥ 0, got -1.`,
    });

    await writeFile(headerPath, JSON.stringify(header));
    await writeFile(join(created.dir, JOURNAL_FILE), '{"t":"run_started","at":1,"resumed":false}\nnot json\n{"t":"paused","at":2}\n');
    const badJournal = await s.open(created.runId);
    expect(E.isLeft(badJournal) && badJournal.left).toMatchObject({
      kind: 'bad_journal',
      message: expect.stringMatching(/journal\.jsonl line 2: not valid JSON/),
    });
    // The refused open released its lock.
    await expect(readFile(join(created.dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('list and read', () => {
  async function makeRun(
    suffix: string,
    ms: number,
    entries: JournalEntry[],
    end: 'close' | 'crash' | 'live',
    options: RunStoreOptions = {},
  ) {
    const handle = await store({ now: () => ms, newId: () => suffix, ...options }).create(
      headerInput({ file: { ...headerInput().file, name: `${suffix}.csv` } }),
    );
    for (const entry of entries) handle.journal.append(entry);
    if (end === 'close') await handle.close();
    else if (end === 'crash') await abandon(handle);
    else await handle.journal.flush();
    return handle;
  }
  const at = T0;
  const rows: JournalEntry[] = [
    { t: 'run_started', at, resumed: false },
    { t: 'sent', at, row: 2, leadId: 'a', attempt: 1 },
    { t: 'accepted', at, row: 2, jobId: 'j', attempt: 1, httpStatus: 200 },
    { t: 'final', at, row: 2, jobId: 'j', writeStatus: 'SUCCESS', errors: [] },
    { t: 'sent', at, row: 3, leadId: 'b', attempt: 1 },
    { t: 'rejected', at, row: 3, httpStatus: 400, message: 'bad', issues: [] },
    { t: 'sent', at, row: 4, leadId: 'c', attempt: 1 },
  ];

  it('tells each run’s state and outcomes, newest first', async () => {
    const dead = deadPid();
    await makeRun('0001', T0, [...rows, { t: 'finished', at, summary: { succeeded: 1, rejected: 1, unknown: 1 } }], 'close');
    await makeRun('0002', T0 + 1000, [...rows, { t: 'cancelled', at }], 'close');
    await makeRun('0003', T0 + 2000, [...rows, { t: 'stopped', at, reason: 'HTTP 401' }], 'close');
    await makeRun('0004', T0 + 3000, rows, 'crash', { pid: dead });
    const live = await makeRun('0005', T0 + 4000, rows, 'live');
    await makeRun(
      '0006',
      T0 + 5000,
      [...rows, { t: 'stopped', at, reason: 'HTTP 401' }, { t: 'run_started', at, resumed: true }],
      'crash',
      { pid: dead },
    );

    const { runs, skipped } = await store().list();
    expect(skipped).toEqual([]);
    expect(runs.map((r) => [r.runId.slice(-4), r.state])).toEqual([
      ['0006', 'interrupted'], // resumed after a stop, then crashed
      ['0005', 'running'],
      ['0004', 'interrupted'],
      ['0003', 'stopped'],
      ['0002', 'cancelled'],
      ['0001', 'finished'],
    ]);
    const byId = new Map(runs.map((r) => [r.runId.slice(-4), r]));
    expect(byId.get('0001')?.outcomes).toEqual({ succeeded: 1, rejected: 1, unknown: 1 }); // the finished entry's summary
    expect(byId.get('0002')?.outcomes).toEqual({ succeeded: 1, rejected: 1, sent: 1 }); // folded
    expect(byId.get('0005')?.lock).toMatchObject({ pid: process.pid });
    expect(byId.get('0004')).toMatchObject({
      createdAt: new Date(T0 + 3000).toISOString(),
      file: { name: '0004.csv', path: headerInput().file.path },
      environment: headerInput().environment,
      counts: headerInput().counts,
      problems: [],
    });
    expect(byId.get('0004')?.lock).toBeUndefined();

    await live.close();
  });

  it('skips folders it cannot read, saying why, and ignores what is not a run', async () => {
    await makeRun('0001', T0, rows, 'close');
    await mkdir(join(runsDir, '20261127-134509-dead'));
    await mkdir(join(runsDir, 'not-a-run'));
    await writeFile(join(runsDir, '.DS_Store'), '');
    const broken = await makeRun('0002', T0 + 1000, rows, 'close');
    await appendFile(join(broken.dir, JOURNAL_FILE), 'garbage\n{"t":"paused","at":1}\n');

    const { runs, skipped } = await store().list();
    expect(runs.map((r) => r.runId)).toEqual(['20261127-134501-0001']);
    expect(skipped).toEqual([
      {
        runId: '20261127-134509-dead',
        message: `Run 20261127-134509-dead has no run.json in ${join(runsDir, '20261127-134509-dead')}: its creation was interrupted.`,
      },
      { runId: broken.runId, message: `${join(broken.dir, JOURNAL_FILE)} line 8: not valid JSON; the journal is damaged ("garbage")` },
    ]);
  });

  it('does not repair a live run’s journal when only looking at it', async () => {
    const live = await makeRun('0001', T0, rows, 'live');
    await appendFile(join(live.dir, JOURNAL_FILE), '{"t":"sent"');
    const before = await readFile(join(live.dir, JOURNAL_FILE), 'utf8');
    const { runs } = await store().list();
    expect(runs[0]).toMatchObject({ state: 'running', problems: [expect.stringMatching(/ignored an incomplete last line/)] });
    const read = await store().read(live.runId);
    expect(E.isRight(read) && read.right).toMatchObject({ state: 'running', entries: rows });
    expect(await readFile(join(live.dir, JOURNAL_FILE), 'utf8')).toBe(before);
  });

  it('caches the fold of an ended run and refreshes it when the journal grows', async () => {
    const done = await makeRun('0001', T0, [...rows, { t: 'cancelled', at }], 'close');
    const journalPath = join(done.dir, JOURNAL_FILE);
    await store().list();
    expect(JSON.parse(await readFile(join(done.dir, SUMMARY_CACHE_FILE), 'utf8'))).toMatchObject({
      outcomes: { succeeded: 1, rejected: 1, sent: 1 },
      lastEvent: 'cancelled',
    });

    const { fs, log } = recordingFs(nodeRunFs);
    const cached = await store({ fs }).list();
    expect(cached.runs[0]).toMatchObject({ state: 'cancelled', outcomes: { succeeded: 1, rejected: 1, sent: 1 } });
    expect(log.filter((op) => op.op === 'readFile' && op.path === journalPath)).toEqual([]);

    // Resumed and finished later: the cache no longer matches the journal's size.
    const resumed = await openRight(store(), done.runId);
    resumed.journal.append({ t: 'run_started', resumed: true });
    resumed.journal.append({ t: 'final', row: 4, jobId: 'k', writeStatus: 'SUCCESS', errors: [] });
    resumed.journal.append({ t: 'finished', summary: { succeeded: 2, rejected: 1 } });
    await resumed.close();
    const fresh = await store().list();
    expect(fresh.runs[0]).toMatchObject({ state: 'finished', outcomes: { succeeded: 2, rejected: 1 } });
  });

  it('reads a run without taking it', async () => {
    const dead = deadPid();
    const crashed = await makeRun('0001', T0, rows, 'crash', { pid: dead });
    const read = await store().read(crashed.runId);
    expect(E.isRight(read) && read.right).toMatchObject({
      runId: crashed.runId,
      state: 'interrupted',
      entries: rows,
      header: crashed.header,
    });
    expect(JSON.parse(await readFile(join(crashed.dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: dead }); // untouched
  });

  it('lists nothing when there is no runs folder yet', async () => {
    expect(await store().list()).toEqual({ runs: [], skipped: [] });
  });
});
