// How every command reports a problem that ends it (exit 2).
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
