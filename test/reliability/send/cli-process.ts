// A real `lead-import` process (node bin/lead-import.mjs …) that a scenario can kill at a moment
// of its choosing, with what it printed and how it ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { repoRoot } from '../../integration/cli/cli-harness.ts';
import { bundleCli } from '../../support/cli-bundle.ts';

export interface CliExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<CliExit>;
  kill(): void;
}

export interface CliSpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The CLI to run instead of the checkout's bin/lead-import.mjs, from its own folder: a bundle
   * (test/support/cli-bundle.ts) for a user who cannot read the checkout.
   */
  readonly entry?: string;
  /** Run as this user and group (root only), e.g. to meet a folder it may not write. */
  readonly uid?: number;
  readonly gid?: number;
  /** Wrap the process in /usr/bin/time to read its peak RSS. */
  readonly measureRss?: boolean;
}

export function spawnCliProcess(argv: readonly string[], options: CliSpawnOptions = {}): CliProcess {
  const node = [process.execPath, options.entry ?? `${repoRoot}bin/lead-import.mjs`, ...argv];
  const [command, ...args] = options.measureRss ? ['/usr/bin/time', '-f', 'maxrss_kb=%M', ...node] : node;
  const child = spawn(command, args, {
    cwd: options.entry === undefined ? repoRoot : dirname(options.entry),
    env: options.env ?? { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CliExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export const runCliProcess = (argv: readonly string[], options: CliSpawnOptions = {}): Promise<CliExit> =>
  spawnCliProcess(argv, options).exited;

/** Peak RSS in MB from /usr/bin/time's `maxrss_kb=` line, if present. */
export function peakRssMb(stderr: string): number | undefined {
  const match = /maxrss_kb=(\d+)/.exec(stderr);
  return match ? Number(match[1]) / 1024 : undefined;
}

/** The unprivileged user a root test runs the CLI as, to meet a folder it may not write. */
export const NOBODY = 65534;

export type UnprivilegedCli = { readonly spawn: CliSpawnOptions; cleanUp(): Promise<void> } | { readonly skipped: string };

/**
 * How to run the CLI so that file permissions apply. Root writes anywhere, so as root it runs
 * as nobody; nobody may not be able to read the checkout (a clone in a private folder), so it
 * runs a bundle of the CLI in a folder everyone can read (the files it is given must be
 * readable by nobody too). If nobody still cannot start it here (a private temp folder, a Node
 * binary it may not run), the reason is returned, to report the case as skipped.
 */
export async function unprivilegedCli(env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<UnprivilegedCli> {
  if (process.getuid?.() !== 0) return { spawn: {}, cleanUp: async () => undefined };
  const bundle = await bundleCli();
  const spawn: CliSpawnOptions = { entry: bundle.entry, uid: NOBODY, gid: NOBODY };
  const probe = await runCliProcess(['--help'], { env, ...spawn }).catch((error: unknown) => ({ code: null, stderr: String(error) }));
  if (probe.code !== 0) {
    await bundle.remove();
    const why = /^\w*Error\b.*$/m.exec(probe.stderr)?.[0] ?? probe.stderr.trim().split('\n')[0];
    return {
      skipped: `the unprivileged user ${NOBODY} cannot start the CLI bundled in ${bundle.dir} (exit ${String(probe.code)}: ${why})`,
    };
  }
  return { spawn, cleanUp: bundle.remove };
}
