// The command line: `lead-import <command> …`.
import { validateCommand, validateUsage, usageError } from './validate-command.ts';
import { mapCommand, mapUsage } from './map-command.ts';
import {
  sendCommand,
  sendUsage,
  resumeCommand,
  resumeUsage,
  statusCommand,
  statusUsage,
  retryCommand,
  retryUsage,
  runsCommand,
  runsUsage,
} from './send-command.ts';
import { EXIT, processIo, type CliIo } from './io.ts';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const commands: Readonly<Record<string, { run: Command; usage: string }>> = {
  validate: { run: validateCommand, usage: validateUsage },
  map: { run: mapCommand, usage: mapUsage },
  send: { run: sendCommand, usage: sendUsage },
  resume: { run: resumeCommand, usage: resumeUsage },
  status: { run: statusCommand, usage: statusUsage },
  retry: { run: retryCommand, usage: retryUsage },
  runs: { run: runsCommand, usage: runsUsage },
};

export const usage = `Lead Importer: write lead changes from a spreadsheet to Propexo.

${Object.values(commands)
  .map((c) => c.usage.split('\n')[0].replace('Usage: ', '  '))
  .join('\n')}

Run "lead-import COMMAND --help" for a command's options.`;

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage}\n`);
    return name === undefined ? EXIT.fatal : EXIT.ok;
  }
  const command = commands[name];
  if (!command) return usageError(io, `unknown command '${name}'`);
  return command.run(rest, io);
}
