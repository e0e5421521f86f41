import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipDirectory } from '../../../app/source/zip-directory.ts';
import { scratchDir, storedZip, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

async function directoryOf(name: string, bytes: Buffer): Promise<E.Either<string, unknown>> {
  const path = join(scratch.dir, name);
  await writeFile(path, bytes);
  return readZipDirectory(path);
}

/** A zip of one stored entry whose sizes live in ZIP64 records (as writers do past 4 GB). */
function zip64Of(name: string, content: string, comment = ''): Buffer {
  const nameBytes = Buffer.from(name);
  const data = Buffer.from(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(5_000_000_000n, 4); // uncompressed: past 4 GB
  extra.writeBigUInt64LE(BigInt(data.length), 12);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt16LE(extra.length, 30);
  const directory = Buffer.concat([central, nameBytes, extra]);
  const directoryOffset = local.length + nameBytes.length + data.length;
  const end64 = Buffer.alloc(56);
  end64.writeUInt32LE(0x06064b50, 0);
  end64.writeBigUInt64LE(44n, 4);
  end64.writeBigUInt64LE(1n, 24);
  end64.writeBigUInt64LE(1n, 32);
  end64.writeBigUInt64LE(BigInt(directory.length), 40);
  end64.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(directoryOffset + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const commentBytes = Buffer.from(comment);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([local, nameBytes, data, directory, end64, locator, end, commentBytes]);
}

describe('readZipDirectory', () => {
  it('lists every part with its compressed and uncompressed size, without inflating', async () => {
    const text = 'Lead ID,Status\n'.repeat(200);
    const result = await directoryOf(
      'two.zip',
      storedZip(
        [
          { name: 'a.xml', content: text },
          { name: 'xl/b.xml', content: 'short' },
        ],
        true,
      ),
    );
    if (E.isLeft(result)) throw new Error(result.left);
    expect(result.right).toEqual({
      entries: [
        { name: 'a.xml', compressedSize: expect.any(Number), uncompressedSize: text.length, localHeaderOffset: 0, method: 8 },
        { name: 'xl/b.xml', compressedSize: expect.any(Number), uncompressedSize: 5, localHeaderOffset: expect.any(Number), method: 8 },
      ],
    });
    const [a] = (result.right as { entries: { compressedSize: number }[] }).entries;
    expect(a.compressedSize).toBeLessThan(text.length / 10);
  });

  it('reads ZIP64 sizes and records, also behind an archive comment', async () => {
    for (const comment of ['', 'made by a test']) {
      expect(await directoryOf('big.zip', zip64Of('xl/sharedStrings.xml', 'abc', comment))).toEqual(
        E.right({
          entries: [{ name: 'xl/sharedStrings.xml', compressedSize: 3, uncompressedSize: 5_000_000_000, localHeaderOffset: 0, method: 0 }],
        }),
      );
    }
  });

  it('says why a directory cannot be read: cut short, pointing outside the file, damaged', async () => {
    const zip = storedZip([{ name: 'a.xml', content: 'x'.repeat(100) }]);
    expect(await directoryOf('cut.zip', zip.subarray(0, zip.length - 10))).toEqual(
      E.left('its zip directory is missing: the file is cut short or is no zip'),
    );
    const outside = Buffer.from(zip);
    outside.writeUInt32LE(zip.length, zip.length - 6); // the directory's offset
    expect(await directoryOf('outside.zip', outside)).toEqual(E.left('its zip directory points outside the file'));
    const damaged = Buffer.from(zip);
    damaged.writeUInt32LE(0, zip.length - 22 - 46 - 5); // the entry's signature
    expect(await directoryOf('damaged.zip', damaged)).toEqual(E.left('its zip directory is damaged'));
  });
});
