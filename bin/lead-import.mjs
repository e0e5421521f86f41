#!/usr/bin/env node
// Runs the TypeScript CLI straight from a checkout: tsx compiles on the fly, so a fresh
// clone needs only `npm install`.
import { register } from 'tsx/esm/api';

register();
try {
  const { runCommandLine } = await import('../app/cli/run-command-line.ts');
  process.exitCode = await runCommandLine(process.argv.slice(2));
} catch (error) {
  // The command line itself could not load: say why, in a sentence.
  process.stderr.write(`lead-import: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
