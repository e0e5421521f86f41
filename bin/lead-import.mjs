#!/usr/bin/env node
// Runs the TypeScript CLI straight from a checkout: tsx compiles on the fly, so a fresh
// clone needs only `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Anything unforeseen ends the command as a run-level error, with a sentence, not a stack.
  process.stderr.write(`lead-import: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.LEAD_IMPORT_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
  process.exitCode = 2;
}
