// Runs CLI commands in-process with captured output, or as a real process through the bin.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../../app/cli/main.ts';
import type { CliIo } from '../../../app/cli/io.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Answers the CLI's yes/no questions as a terminal would (none: there is no terminal). */
  confirm?: (question: string) => Promise<boolean>;
}

export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: options.env ?? {},
    cwd: options.cwd ?? repoRoot,
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The real thing: `node bin/lead-import.mjs …` in a child process. */
export function spawnCli(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${repoRoot}bin/lead-import.mjs`, ...argv], {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? { PATH: process.env.PATH },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
