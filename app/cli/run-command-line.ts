// The command line as a process runs it (bin/lead-import.mjs): the exit code of `main`, with a
// sentence instead of a stack for anything unforeseen, and never Node's exit code 13.
import { main } from './main.ts';
import { EXIT, processIo, type CliIo, type CliOverrides } from './io.ts';

/**
 * Runs a command to its exit code. Awaited at the top level of an ES module, a promise that can
 * never settle (nothing left in flight or scheduled) would end the process with code 13 and no
 * word. Commands that can recover from that do so first (a run ends its open rows as lost and
 * writes its summary: send-command.ts); if the event loop runs dry with nobody else listening,
 * the command ends here with a clear message and exit 2.
 */
export async function runCommandLine(argv: readonly string[], io: CliIo = processIo(), overrides: CliOverrides = {}): Promise<number> {
  let settled = false;
  const before = process.listenerCount('beforeExit');
  const onDrained = (): void => {
    // A listener added since (a run under way) gets its chance to end what is open first.
    if (settled || process.listenerCount('beforeExit') > before + 1) return;
    io.stderr.write(
      'lead-import: internal error: the command was left waiting for something that can never happen, and stopped. ' +
        'Any run it started keeps its journal: see "lead-import runs", then resume or retry it.\n',
    );
    process.exit(EXIT.fatal);
  };
  process.on('beforeExit', onDrained);
  try {
    return await main(argv, io, overrides);
  } catch (error) {
    // Anything unforeseen ends the command as a run-level error, with a sentence, not a stack.
    io.stderr.write(`lead-import: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (io.env.LEAD_IMPORT_DEBUG) io.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    return EXIT.fatal;
  } finally {
    settled = true;
    process.off('beforeExit', onDrained);
  }
}
