// `lead-import validate FILE --json`, run in-process, for the corpus suites: the exit code and
// the one JSON object it prints.
import { expect } from 'vitest';
import { runCli } from '../../integration/cli/cli-harness.ts';
import { withinTime } from './support.ts';

export interface Validated {
  readonly code: number;
  readonly summary: Record<string, unknown>;
  readonly stdout: string;
  readonly stderr: string;
}

/** `lead-import validate FILE --json [...]`: the exit code and the one JSON object it prints. */
export async function validateJson(path: string, ...flags: string[]): Promise<Validated> {
  const result = await withinTime('validate', 60_000, () => runCli(['validate', path, '--json', ...flags]));
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return { code: result.code, summary: JSON.parse(lines[0]) as Record<string, unknown>, stdout: result.stdout, stderr: result.stderr };
}

/** The message of a file-level refusal (exit 2) as `--json` prints it. */
export function errorMessage(validated: Validated): string {
  expect(validated.code).toBe(2);
  const error = validated.summary.error;
  expect(error).toEqual({ message: expect.any(String) });
  return (error as { message: string }).message;
}
