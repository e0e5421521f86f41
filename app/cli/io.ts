import { createInterface } from 'node:readline/promises';
import type { RunFiles } from '../run/send-run.ts';
import type { ConnectionOptions } from '../run/run-context.ts';

// The CLI's window on the world, injected so tests can run commands in-process.
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Asks a yes/no question on the terminal; absent when there is no terminal. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** What a caller may inject under the commands that talk to Propexo (tests: faults, test-sized timing). */
export interface CliOverrides {
  readonly connection?: Partial<ConnectionOptions>;
  /** How send, resume, status and retry read the run's file (tests count the passes). */
  readonly files?: RunFiles;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  confirm: process.stdin.isTTY && process.stderr.isTTY ? askOnTerminal : undefined,
});

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, someRowsFailed: 1, fatal: 2 } as const;
