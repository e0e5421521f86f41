// Starts the practice worker from a checkout: Node workers do not inherit the tsx loader the
// process registered, so the worker registers it before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./practice-worker.ts');
