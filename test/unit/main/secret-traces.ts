// Helpers for "the key is nowhere": every file under a folder, and the forms a key could take.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Every byte of every file under `dir`, as latin1 text, for grepping. */
export function everythingUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

/** The key, as is, base64, hex, or UTF-16, appears nowhere in `text`. */
export function expectNoTraceOf(key: string, text: string): void {
  for (const form of [
    key,
    Buffer.from(key).toString('base64'),
    Buffer.from(key).toString('hex'),
    Buffer.from(key, 'utf16le').toString('latin1'),
  ]) {
    expect(text).not.toContain(form);
  }
}
