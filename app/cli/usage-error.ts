// How every command reads its flags and reports a problem that ends it (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, type CliIo } from './io.ts';

export function fatal(io: CliIo, json: boolean, message: string): number {
  io.stderr.write(`lead-import: ${message}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: { message } })}\n`);
  return EXIT.fatal;
}

export function usageError(io: CliIo, message: string): number {
  io.stderr.write(`lead-import: ${message}\nRun "lead-import --help" for usage.\n`);
  return EXIT.fatal;
}

/**
 * A command's flags, parsed. A flag it does not know is a usage error and `--help` prints its
 * usage: both end the command, so the exit code comes back instead of the flags.
 */
export function parseCommandLine<T extends ParseArgsConfig>(io: CliIo, config: T, usage: string): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const values: Readonly<Record<string, unknown>> = parsed.values;
  if (values.help === true) {
    io.stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  return parsed;
}
