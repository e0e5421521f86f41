// app/shared is what the preload and the renderer bundle: the lint rules that keep it runnable
// in a page (no Node built-ins, values only from app/shared, io-ts and fp-ts), and that let the
// renderer import values from it and from nowhere else in app/. Checked through ESLint itself
// on sources that do not exist, placed where the rules apply.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

async function importProblems(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('app/shared', () => {
  const file = 'app/shared/boundary-probe.ts';

  it.each([
    ["import { readFileSync } from 'fs';", 'no Node built-ins'],
    ["import { join } from 'node:path';", 'no Node built-ins'],
    ["import { hashFile } from '../run/file-hash.ts';", 'values only from app/shared'],
    ["import papa from 'papaparse';", 'only io-ts and fp-ts'],
  ])('refuses %s', async (line, why) => {
    const problems = await importProblems(file, `${line}\nexport const used = [${line.match(/import \{? ?(\w+)/)?.[1]}];\n`);
    expect(problems.some((m) => m.includes(why))).toBe(true);
  });

  it('takes values from app/shared, io-ts and fp-ts, and types from anywhere in app/', async () => {
    const source = [
      "import * as t from 'io-ts';",
      "import { pipe } from 'fp-ts/function';",
      "import { REDACTED } from './redact.ts';",
      "import type { RunHeader } from '../run/run-header.ts';",
      'export const used = [t, pipe, REDACTED];',
      'export type Header = RunHeader;',
    ].join('\n');
    expect(await importProblems(file, source)).toEqual([]);
  });
});

describe('the renderer', () => {
  const file = 'renderer/screens/boundary-probe.ts';

  it('imports values from app/shared', async () => {
    expect(
      await importProblems(
        file,
        "import { concurrencyBounds } from '../../app/shared/run-policy.ts';\nexport const used = concurrencyBounds;\n",
      ),
    ).toEqual([]);
  });

  it('imports only types from the rest of app/', async () => {
    expect(
      await importProblems(file, "import { hashFile } from '../../app/run/file-hash.ts';\nexport const used = hashFile;\n"),
    ).toHaveLength(1);
    expect(
      await importProblems(file, "import type { RunHeader } from '../../app/run/run-header.ts';\nexport type Header = RunHeader;\n"),
    ).toEqual([]);
  });
});
