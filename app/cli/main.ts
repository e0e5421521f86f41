// The command line: `lead-import <command> …`.
import { usageError } from './usage-error.ts';
import { EXIT, processIo, type CliIo, type CliOverrides } from './io.ts';

type Command = (argv: readonly string[], io: CliIo, overrides: CliOverrides) => Promise<number>;

interface LoadedCommand {
  readonly run: Command;
  /** The command's own usage text (its `--help`), so the overview below cannot drift from it. */
  readonly usage: string;
}

// Each command's module is loaded only when it runs: `validate` of a large file should not
// pay for compiling the sender, the journal and the simulator first. Only the overview
// (`lead-import --help`) loads them all, for their usage lines.
const commands: Readonly<Record<string, () => Promise<LoadedCommand>>> = {
  validate: async () => {
    const { validateCommand, validateUsage } = await import('./validate-command.ts');
    return { run: validateCommand, usage: validateUsage };
  },
  map: async () => {
    const { mapCommand, mapUsage } = await import('./map-command.ts');
    return { run: mapCommand, usage: mapUsage };
  },
  send: async () => {
    const { sendCommand, sendUsage } = await import('./send-command.ts');
    return { run: sendCommand, usage: sendUsage };
  },
  resume: async () => {
    const { resumeCommand, resumeUsage } = await import('./send-command.ts');
    return { run: resumeCommand, usage: resumeUsage };
  },
  status: async () => {
    const { statusCommand, statusUsage } = await import('./send-command.ts');
    return { run: statusCommand, usage: statusUsage };
  },
  retry: async () => {
    const { retryCommand, retryUsage } = await import('./send-command.ts');
    return { run: retryCommand, usage: retryUsage };
  },
  undo: async () => {
    const { undoCommand, undoUsage } = await import('./undo-command.ts');
    return { run: undoCommand, usage: undoUsage };
  },
  runs: async () => {
    const { runsCommand, runsUsage } = await import('./send-command.ts');
    return { run: runsCommand, usage: runsUsage };
  },
};

/** The overview: the first line of every command's usage. */
export async function usage(): Promise<string> {
  const loaded = await Promise.all(Object.values(commands).map((load) => load()));
  const lines = loaded.map((command) => command.usage.split('\n')[0].replace('Usage: ', '  '));
  return `Lead Importer: write lead changes from a spreadsheet to Propexo.

${lines.join('\n')}

Run "lead-import COMMAND --help" for a command's options.`;
}

export async function main(argv: readonly string[], io: CliIo = processIo(), overrides: CliOverrides = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${await usage()}\n`);
    return name === undefined ? EXIT.fatal : EXIT.ok;
  }
  if (!Object.hasOwn(commands, name)) return usageError(io, `unknown command '${name}'`);
  return (await commands[name]()).run(rest, io, overrides);
}
