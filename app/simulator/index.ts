// The simulator's public surface, for tests, benchmarks, the CLI's and the app's practice mode.
export { startSimulator, type Simulator, type SimulatorEnvironment } from './server.ts';
export {
  defaultOptions,
  LEAD_ID_PATTERN,
  resolveOptions,
  SimulatorOptions,
  SimulatorOptionsError,
  type ResponseShape,
  type ServerErrorStatus,
  type WriteOutcome,
} from './options.ts';
export { practicePreset } from './presets.ts';
export type { ForcedFault } from './faults.ts';
export type { Job } from './job-store.ts';
export type { AppliedUpdate, Counts, Endpoint, FaultKind, RecordedRequest } from './record.ts';
export * from './wire.ts';
