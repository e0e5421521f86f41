#!/usr/bin/env node
// Runs the TypeScript CLI straight from a checkout: tsx compiles on the fly, so a fresh
// clone needs only `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
