// Starts the workbook reader thread from a checkout: Node 20 workers do not inherit the tsx
// loader the CLI registered, so the worker registers it before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-worker.ts');
