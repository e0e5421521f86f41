// The command line: `lead-import <command> …`.
import { usageError } from './usage-error.ts';
import { EXIT, processIo, type CliIo } from './io.ts';
import type { ConnectionOptions } from '../run/run-context.ts';
import type { RunFiles } from '../run/send-run.ts';

/** What a caller may inject under the commands that talk to Propexo (tests: faults, test-sized timing). */
export interface CliOverrides {
  readonly connection?: Partial<ConnectionOptions>;
  /** How send, resume, status and retry read the run's file (tests count the passes). */
  readonly files?: RunFiles;
}

type Command = (argv: readonly string[], io: CliIo, overrides: CliOverrides) => Promise<number>;

// Each command's module is loaded only when it runs: `validate` of a large file should not
// pay for compiling the sender, the journal and the simulator first.
const commands: Readonly<Record<string, { load: () => Promise<Command>; usage: string }>> = {
  validate: {
    load: async () => (await import('./validate-command.ts')).validateCommand,
    usage: 'Usage: lead-import validate FILE [--mapping M] [--sheet S] [--encoding E] [--delimiter D] [--errors OUT.csv|OUT.xlsx] [--json]',
  },
  map: { load: async () => (await import('./map-command.ts')).mapCommand, usage: 'Usage: lead-import map FILE [--out mapping.json]' },
  send: {
    load: async () => (await import('./send-command.ts')).sendCommand,
    usage: 'Usage: lead-import send FILE --env practice|sandbox|production|URL [--mapping M] [--concurrency N] [--rate N] [--errors OUT] [--results OUT] [--data-dir D] [--json] [--yes]',
  },
  resume: { load: async () => (await import('./send-command.ts')).resumeCommand, usage: 'Usage: lead-import resume RUN [--env URL] [--yes]' },
  status: { load: async () => (await import('./send-command.ts')).statusCommand, usage: 'Usage: lead-import status RUN [--env URL]   (re-checks pending jobs)' },
  retry: { load: async () => (await import('./send-command.ts')).retryCommand, usage: 'Usage: lead-import retry RUN [--env URL] [--yes]   (retries failed jobs and rows)' },
  runs: { load: async () => (await import('./send-command.ts')).runsCommand, usage: 'Usage: lead-import runs   (history)' },
};

export const usage = `Lead Importer: write lead changes from a spreadsheet to Propexo.

${Object.values(commands)
  .map((c) => c.usage.split('\n')[0].replace('Usage: ', '  '))
  .join('\n')}

Run "lead-import COMMAND --help" for a command's options.`;

export async function main(argv: readonly string[], io: CliIo = processIo(), overrides: CliOverrides = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage}\n`);
    return name === undefined ? EXIT.fatal : EXIT.ok;
  }
  const command = commands[name];
  if (!command) return usageError(io, `unknown command '${name}'`);
  return (await command.load())(rest, io, overrides);
}
