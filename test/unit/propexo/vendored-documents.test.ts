// Propexo's OpenAPI excerpts are vendored in app/propexo (the packaged app and the contract tests
// use them) and must stay byte-identical to the copies in ../shared/propexo, the source of truth.
// CI has ../shared beside the clone; where it is absent, there is nothing to compare with.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const shared = fileURLToPath(new URL('../shared/propexo/', `file://${repoRoot}`));
const documents = ['openapi-lead-update.json', 'openapi-reads.json'] as const;

describe('vendored OpenAPI documents', () => {
  it.each(documents)('%s is valid JSON with the operations it is vendored for', (name) => {
    const doc = JSON.parse(readFileSync(`${repoRoot}app/propexo/${name}`, 'utf8')) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(shared)).each(documents)('%s is byte-identical to ../shared/propexo', (name) => {
    expect(readFileSync(`${repoRoot}app/propexo/${name}`).equals(readFileSync(`${shared}${name}`))).toBe(true);
  });
});
