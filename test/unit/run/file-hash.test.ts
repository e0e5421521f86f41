import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { checkUnchanged, DigestOfRead, hashFile } from '../../../app/run/file-hash.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-hash-'));
  file = join(dir, 'leads.csv');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('hashFile', () => {
  it('gives the sha256 and size of a small file', async () => {
    await writeFile(file, 'lead_id,status\nL1,ACTIVE\n');
    expect(await hashFile(file)).toEqual({ sha256: sha('lead_id,status\nL1,ACTIVE\n'), size: 25 });
  });

  it('hashes a file larger than one read chunk correctly', async () => {
    const big = Buffer.alloc(3 * (1 << 20) + 12_345);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await writeFile(file, big);
    expect(await hashFile(file)).toEqual({ sha256: sha(big), size: big.length });
  });

  it('handles an empty file', async () => {
    await writeFile(file, '');
    expect(await hashFile(file)).toEqual({ sha256: sha(''), size: 0 });
  });

  it('rejects with the fs error for a missing file', async () => {
    await expect(hashFile(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('checkUnchanged', () => {
  const runId = '20261127-134501-3f9a';
  const content = 'lead_id,status\nL1,ACTIVE\nL2,COLD\n';

  it('accepts the very same bytes', async () => {
    await writeFile(file, content);
    const expected = { sha256: sha(content), size: content.length };
    expect(await checkUnchanged({ path: file, ...expected }, runId)).toEqual(E.right(expected));
  });

  it('refuses a file whose size changed, naming file and run', async () => {
    await writeFile(file, `${content}L3,ACTIVE\n`);
    expect(await checkUnchanged({ path: file, sha256: sha(content), size: content.length }, runId)).toEqual(
      E.left({
        kind: 'changed',
        message: `${file} changed since run ${runId} started (size differs: ${content.length} bytes then, ${content.length + 10} now): resume refused; start a new run.`,
      }),
    );
  });

  it('refuses a same-size edit by its sha256', async () => {
    await writeFile(file, content.replace('COLD', 'WARM'));
    expect(await checkUnchanged({ path: file, sha256: sha(content), size: content.length }, runId)).toEqual(
      E.left({
        kind: 'changed',
        message: `${file} changed since run ${runId} started (same size, but sha256 differs: the content was edited): resume refused; start a new run.`,
      }),
    );
  });

  it('says when the file is gone, and checks a moved copy when given its new path', async () => {
    const digest = { sha256: sha(content), size: content.length };
    const missing = await checkUnchanged({ path: file, ...digest }, runId);
    expect(missing).toEqual(
      E.left({
        kind: 'missing',
        message: `${file}, the file of run ${runId}, is missing: resume refused; start a new run, or point to where it is now.`,
      }),
    );
    const moved = join(dir, 'moved.csv');
    await writeFile(moved, content);
    expect(await checkUnchanged({ path: file, ...digest }, runId, { path: moved })).toEqual(E.right(digest));
  });

  it('says when the file cannot be read', async () => {
    // A folder where the file was: stat agrees on the size, reading fails (works even as root).
    await mkdir(file);
    const { size } = await stat(file);
    const result = await checkUnchanged({ path: file, sha256: sha(content), size }, runId);
    expect(result).toEqual(
      E.left({ kind: 'unreadable', message: `Cannot read ${file}, the file of run ${runId}: it is a folder (EISDIR).` }),
    );
  });
});

describe('DigestOfRead (a run hashes the file as its check reads it)', () => {
  async function feed(digest: DigestOfRead, path: string, skip: (at: number) => boolean = () => false): Promise<void> {
    let at = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
      if (!skip(at)) digest.bytes(chunk, at);
      at += chunk.length;
    }
  }
  const big = Buffer.alloc(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;

  it('gives what hashFile gives when it saw every byte in order', async () => {
    await writeFile(file, big);
    const digest = new DigestOfRead();
    await feed(digest, file);
    expect(await digest.digest(file)).toEqual(await hashFile(file));
  });

  it('gives none when bytes were missed, or the file grew past what was read', async () => {
    await writeFile(file, big);
    const gap = new DigestOfRead();
    await feed(gap, file, (at) => at === 64 * 1024);
    expect(await gap.digest(file)).toBeUndefined();
    const short = new DigestOfRead();
    await feed(short, file);
    await writeFile(file, Buffer.concat([big, Buffer.from('more')]));
    expect(await short.digest(file)).toBeUndefined();
    expect(await new DigestOfRead().digest(file)).toBeUndefined();
  });
});
