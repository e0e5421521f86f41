import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { toMappingFile } from '../../../app/mapping/mapping-file.ts';
import type { RunHeader } from '../../../app/run/run-header.ts';
import { editList, editsByRow, prepareFromHeader } from '../../../app/run/run-input.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { SHA } from './fixtures.ts';

describe('editsByRow', () => {
  it("puts a fix stored with a run back in its column, also when the header repeats that column's name", () => {
    const header = ['Lead ID', 'Email', 'Company', 'Email'];
    const edits = editsByRow(header, [
      { row: 2, column: 'Email (D)', value: 'b@example.com' },
      { row: 3, column: 'Company', value: 'Co' },
      { row: 4, column: 'Gone', value: 'x' },
    ]);
    expect([...edits].map(([row, columns]) => [row, [...columns]])).toEqual([
      [2, [[3, 'b@example.com']]],
      [3, [[2, 'Co']]],
    ]);
  });
});

describe('editList', () => {
  it('stores edits by column label, and editsByRow reads them back to the same columns', () => {
    const header = ['Lead ID', 'Email', 'Company', 'Email'];
    const edits = new Map([
      [2, new Map([[3, 'b@example.com']])],
      [
        5,
        new Map([
          [1, 'a@example.com'],
          [2, 'Co'],
        ]),
      ],
    ]);
    const stored = editList(header, edits);
    expect(stored).toEqual([
      { row: 2, column: 'Email (D)', value: 'b@example.com' },
      { row: 5, column: 'Email (B)', value: 'a@example.com' },
      { row: 5, column: 'Company', value: 'Co' },
    ]);
    expect(editsByRow(header, stored)).toEqual(edits);
  });
});

describe('prepareFromHeader', () => {
  const csv = 'Lead ID,First Name,Rent (cents)\nL1,Ana,120000\nL2,Liam,99000\n';

  async function headerFor(dir: string, mapping?: unknown): Promise<RunHeader> {
    const path = join(dir, 'leads.csv');
    await writeFile(path, csv);
    const prepared = await prepareImport({ path });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    return {
      version: 1,
      runId: 'run-1',
      createdAt: '2026-12-04T22:00:00.000Z',
      file: { path, name: 'leads.csv', sha256: SHA, size: csv.length, format: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 1 },
      mapping: (mapping ?? toMappingFile(prepared.right.mapping)) as RunHeader['mapping'],
      environment: { name: 'sandbox', baseUrl: 'https://api.sandbox.propexo.com' },
      options: { concurrency: 4, rate: 150, maxAttempts: 6, pendingTimeoutMs: 600_000, ignoreUnknownFields: false },
      counts: { rows: 2, valid: 2, invalid: 0, skipped: 0 },
      edits: [{ row: 3, column: 'First Name', value: 'Noah' }],
    } as RunHeader;
  }

  it('reads the file as the run read it: the mapping kept in run.json, its edits by column index, its identity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-input-'));
    try {
      // Not what the automatic mapping would choose: the run's own mapping is the one used.
      const header = await headerFor(dir, {
        version: 1,
        columns: { 'Lead ID': { field: 'lead_id' }, 'Rent (cents)': { field: 'first_name' } },
      });
      const input = await prepareFromHeader(header);
      if (E.isLeft(input)) throw new Error(input.left.message);
      expect(input.right.prepared.mapping.columns.map((c) => c.field)).toEqual(['lead_id', null, 'first_name']);
      expect(input.right.edits).toEqual(new Map([[3, new Map([[1, 'Noah']])]]));
      expect(input.right.sourceFile).toEqual({ path: header.file.path, size: csv.length, sha256: SHA });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a mapping in run.json that is not a mapping file is the run's problem; a missing file is the file's", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-input-'));
    try {
      const badMapping = await prepareFromHeader(await headerFor(dir, { version: 1, columns: { 'Lead ID': { field: 'no_such_field' } } }));
      expect(E.isLeft(badMapping) && badMapping.left).toMatchObject({ code: 'run', message: expect.stringContaining('run run-1 mapping') });
      const header = await headerFor(dir);
      const missing = await prepareFromHeader({ ...header, file: { ...header.file, path: join(dir, 'gone.csv') } });
      expect(E.isLeft(missing) && missing.left).toMatchObject({ code: 'file', message: expect.stringContaining('gone.csv') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
