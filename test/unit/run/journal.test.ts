import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as E from 'fp-ts/Either';
import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOURNAL_FILE, JournalWriteError, openJournal, readJournal, type JournalRead } from '../../../app/run/journal.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { nodeRunFs } from '../../../app/run/run-fs.ts';
import { fsError, recordingFs, type Op } from './fs-doubles.ts';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-'));
  path = join(dir, JOURNAL_FILE);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = 1_764_251_101_000;
const sent = (row: number): JournalEntry => ({ t: 'sent', at: at + row, row, leadId: `lead-${row}`, attempt: 1 });
const lineOf = (entry: JournalEntry) => `${JSON.stringify(entry)}\n`;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function readRight(options: Parameters<typeof readJournal>[1] = {}): Promise<JournalRead> {
  const result = await readJournal(dir, options);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
}

const journalOps = (log: Op[]) => log.filter((op) => op.path === path && ['write', 'sync'].includes(op.op)).map((op) => op.op);

describe('openJournal: append and flush', () => {
  it('flush resolves only after the entries are written and fsync’d', async () => {
    const syncGate = deferred();
    const events: string[] = [];
    const { fs, log } = recordingFs(nodeRunFs, {
      gate: (op) => {
        if (op.path === path && (op.op === 'write' || op.op === 'sync')) events.push(op.op);
        return op.op === 'sync' ? syncGate.promise : undefined;
      },
    });
    const journal = await openJournal(dir, { fs });
    journal.append(sent(2));
    journal.append(sent(3));
    const flushed = journal.flush().then(() => events.push('flushed'));
    await vi.waitFor(() => expect(events).toEqual(['write', 'sync']));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['write', 'sync']); // still waiting for the fsync
    syncGate.resolve();
    await flushed;
    expect(events).toEqual(['write', 'sync', 'flushed']);
    expect(await readFile(path, 'utf8')).toBe(lineOf(sent(2)) + lineOf(sent(3)));
    expect(log.some((op) => op.op === 'syncDir' && op.path === dir)).toBe(true); // the new file's entry is durable
    await journal.close();
  });

  it('group commit: many appends share one write and one fsync', async () => {
    const { fs, log } = recordingFs(nodeRunFs);
    const journal = await openJournal(dir, { fs });
    for (let row = 2; row < 1002; row++) journal.append(sent(row));
    await journal.flush();
    expect(journalOps(log)).toEqual(['write', 'sync']);
    expect((await readRight()).entries).toHaveLength(1000);
    await journal.close();
  });

  it('group commit: concurrent senders that each flush share few fsyncs', async () => {
    let slow = deferred();
    const { fs, log } = recordingFs(nodeRunFs, { gate: (op) => (op.op === 'sync' ? slow.promise : undefined) });
    const journal = await openJournal(dir, { fs });
    const senders = Array.from({ length: 100 }, (_, i) =>
      (async () => {
        await new Promise((r) => setImmediate(r));
        journal.append(sent(i + 2));
        await journal.flush();
      })(),
    );
    // Release each fsync a moment after it starts, like a real disk.
    const releaser = setInterval(() => {
      slow.resolve();
      slow = deferred();
    }, 5);
    await Promise.all(senders);
    clearInterval(releaser);
    slow.resolve();
    const syncs = journalOps(log).filter((op) => op === 'sync').length;
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThanOrEqual(5);
    expect((await readRight()).entries.map((e) => ('row' in e ? e.row : 0)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
    await journal.close();
  });

  it('commits on its own shortly after the first buffered entry, without flush()', async () => {
    const { fs, log } = recordingFs(nodeRunFs);
    const journal = await openJournal(dir, { fs, commitDelayMs: 20 });
    journal.append(sent(2));
    expect(journalOps(log)).toEqual([]); // buffered, not written synchronously
    await vi.waitFor(async () => expect(await readFile(path, 'utf8')).toBe(lineOf(sent(2))), { timeout: 2000, interval: 10 });
    await vi.waitFor(() => expect(journalOps(log)).toEqual(['write', 'sync']));
    await journal.close();
  });

  it('stamps entries without `at` with the injected clock', async () => {
    const journal = await openJournal(dir, { now: () => 1_700_000_000_123 });
    journal.append({ t: 'paused' });
    journal.append({ t: 'sent', row: 2, leadId: 'L', attempt: 1 });
    journal.append({ t: 'resumed', at: 5 });
    await journal.close();
    expect((await readRight()).entries).toEqual([
      { t: 'paused', at: 1_700_000_000_123 },
      { t: 'sent', at: 1_700_000_000_123, row: 2, leadId: 'L', attempt: 1 },
      { t: 'resumed', at: 5 },
    ]);
  });

  it('close flushes, then appends fail clearly; close is idempotent', async () => {
    const journal = await openJournal(dir);
    journal.append(sent(2));
    await journal.close();
    await journal.close();
    expect(() => journal.append(sent(3))).toThrow(`The run journal ${path} is closed.`);
    expect((await readRight()).entries).toEqual([sent(2)]);
  });

  it('replaces a secret in free text before it reaches the disk', async () => {
    const token = 'pxo_live_9f8e7d6c5b4a';
    const journal = await openJournal(dir, { secrets: [token] });
    journal.append({ t: 'failed', at, row: 2, reason: `server echoed "Authorization: Bearer ${token}"` });
    await journal.close();
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain('Bearer [redacted]');
  });

  it('refuses an invalid entry at append time, writing nothing', async () => {
    const journal = await openJournal(dir);
    expect(() => journal.append({ t: 'sent', at, row: 0, leadId: 'L', attempt: 1 })).toThrow(/row: expected row number ≥ 1, got 0/);
    await journal.close();
    expect(await readFile(path, 'utf8')).toBe('');
  });
});

describe('openJournal: write errors', () => {
  const cases = [
    ['write', 'ENOSPC', 'the disk is full (ENOSPC)'],
    ['write', 'EACCES', 'permission denied (EACCES)'],
    ['write', 'EIO', 'input/output error'],
    ['sync', 'ENOSPC', 'the disk is full (ENOSPC)'],
    ['sync', 'EACCES', 'permission denied (EACCES)'],
    ['sync', 'EIO', 'input/output error'],
  ] as const;

  it.each(cases)(
    '%s failing with %s: flush rejects naming the journal and the cause; saved entries stay readable',
    async (op, code, cause) => {
      let failing = false;
      const { fs } = recordingFs(nodeRunFs, {
        // A short write first, as a disk filling up mid-batch does.
        inject: (o) =>
          failing && o.op === op && o.path === path
            ? { error: fsError(code, path), writeFirst: op === 'write' ? 17 : undefined }
            : undefined,
      });
      const journal = await openJournal(dir, { fs });
      journal.append(sent(2));
      journal.append(sent(3));
      await journal.flush();

      failing = true;
      journal.append(sent(4));
      const error = await journal.flush().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(JournalWriteError);
      const message = (error as Error).message;
      expect(message).toContain(path);
      expect(message).toContain(cause);
      expect(message).toContain(`(${op} failed)`);
      expect((error as JournalWriteError).code).toBe(code);
      expect(journal.failure).toBe(error);

      // What was saved before is intact, with no torn line left behind.
      expect(await readFile(path, 'utf8')).toBe(lineOf(sent(2)) + lineOf(sent(3)));
      const read = await readRight();
      expect(read).toMatchObject({ entries: [sent(2), sent(3)], repaired: false, problems: [] });

      // And it keeps failing clearly: the engine stops the run.
      expect(() => journal.append(sent(5))).toThrow(error as Error);
      await expect(journal.flush()).rejects.toBe(error);
      await expect(journal.close()).rejects.toBe(error);
    },
  );

  it('a failure rejects every waiting flush', async () => {
    const { fs } = recordingFs(nodeRunFs, {
      inject: (o) => (o.op === 'write' && o.path === path ? { error: fsError('ENOSPC') } : undefined),
    });
    const journal = await openJournal(dir, { fs });
    journal.append(sent(2));
    const first = journal.flush();
    journal.append(sent(3));
    const second = journal.flush();
    await expect(first).rejects.toThrow(/disk is full/);
    await expect(second).rejects.toThrow(/disk is full/);
  });

  it('an unwritable folder fails at open, naming the journal', async () => {
    const { fs } = recordingFs(nodeRunFs, { inject: (o) => (o.op === 'open' ? { error: fsError('EACCES', o.path) } : undefined) });
    await expect(openJournal(dir, { fs })).rejects.toThrow(`Could not open the run journal ${path}: permission denied (EACCES).`);
  });

  it('refuses to append to a journal whose last line is incomplete (it must be repaired first)', async () => {
    await writeFile(path, `${lineOf(sent(2))}{"t":"sent","at":1`);
    await expect(openJournal(dir)).rejects.toThrow(/ends with an incomplete line; read it with readJournal/);
  });
});

describe('readJournal', () => {
  it('reads a missing journal as empty', async () => {
    expect(await readRight()).toEqual({ entries: [], repaired: false, problems: [], size: 0 });
  });

  it('drops a line cut off by a crash, truncates the file, and appending continues cleanly', async () => {
    const good = lineOf(sent(2)) + lineOf(sent(3));
    const torn = '{"t":"accepted","at":17642511010';
    await writeFile(path, good + torn);
    const read = await readRight();
    expect(read.entries).toEqual([sent(2), sent(3)]);
    expect(read.repaired).toBe(true);
    expect(read.problems).toEqual([`${path}: dropped an incomplete last line (line 3, ${torn.length} bytes) left by an interrupted write`]);
    expect(await readFile(path, 'utf8')).toBe(good);

    const journal = await openJournal(dir);
    journal.append(sent(4));
    await journal.close();
    const again = await readRight();
    expect(again).toMatchObject({ entries: [sent(2), sent(3), sent(4)], repaired: false, problems: [] });
  });

  it('drops a garbage last line even when it ends with a newline, or zeros left by a crash', async () => {
    await writeFile(path, `${lineOf(sent(2))}{"t":"sent","at":12\n`);
    expect(await readRight()).toMatchObject({ entries: [sent(2)], repaired: true });
    expect(await readFile(path, 'utf8')).toBe(lineOf(sent(2)));

    await appendFile(path, Buffer.alloc(64));
    expect(await readRight()).toMatchObject({ entries: [sent(2)], repaired: true });
    expect(await readFile(path, 'utf8')).toBe(lineOf(sent(2)));
  });

  it('with repair: false, leaves the file alone (a reader beside a live run)', async () => {
    const content = `${lineOf(sent(2))}{"t":"se`;
    await writeFile(path, content);
    const read = await readRight({ repair: false });
    expect(read).toMatchObject({ entries: [sent(2)], repaired: false });
    expect(read.problems[0]).toMatch(/ignored an incomplete last line \(line 2/);
    expect(await readFile(path, 'utf8')).toBe(content);
  });

  it('reports a corrupt line in the middle with its line number, without touching the file', async () => {
    const content = `${lineOf(sent(2))}{"t":"sent",garbage\n${lineOf(sent(4))}`;
    await writeFile(path, content);
    const result = await readJournal(dir);
    expect(result).toEqual(
      E.left({
        kind: 'corrupt',
        path,
        line: 2,
        message: `${path} line 2: not valid JSON; the journal is damaged ("{\\"t\\":\\"sent\\",garbage")`,
      }),
    );
    expect(await readFile(path, 'utf8')).toBe(content);
  });

  it('reports a well-formed line of the wrong shape with its line number and field, even at the end', async () => {
    await writeFile(path, `${lineOf(sent(2))}${JSON.stringify({ t: 'sent', at, row: 3, leadId: 'L', attempt: 0 })}\n`);
    const result = await readJournal(dir);
    expect(E.isLeft(result) && result.left).toMatchObject({
      kind: 'corrupt',
      line: 2,
      message: `${path} line 2: sent: attempt: expected integer ≥ 1, got 0`,
    });
  });

  it('reports an unreadable journal as an io error naming it', async () => {
    const { fs } = recordingFs(nodeRunFs, { inject: (o) => (o.op === 'readFile' ? { error: fsError('EACCES', o.path) } : undefined) });
    await writeFile(path, lineOf(sent(2)));
    expect(await readJournal(dir, { fs })).toEqual(
      E.left({ kind: 'io', path, message: `Could not read the run journal ${path}: permission denied (EACCES).` }),
    );
  });
});
