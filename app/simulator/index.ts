// The simulator's public surface, for tests, benchmarks, the CLI's and the app's practice mode.
export { startSimulator, type Simulator, type SimulatorEnvironment } from './server.ts';
export {
  defaultOptions,
  LEAD_ID_PATTERN,
  resolveOptions,
  SeedDataOptions,
  SimulatorOptions,
  SimulatorOptionsError,
  type ResponseShape,
  type ServerErrorStatus,
  type WriteOutcome,
} from './options.ts';
export { dataPresets, practicePreset, type DataPreset } from './presets.ts';
export { SeedWorld, phoneDigits, type Item, type JsonValue as SeedJsonValue } from './seed-data.ts';
export { leadChangesOf, LeadStateError, putFieldEffects } from './lead-state.ts';
export type { ForcedFault } from './faults.ts';
export type { Job } from './job-store.ts';
export type { AppliedUpdate, Counts, Endpoint, FaultKind, RecordedRequest } from './record.ts';
export * from './wire.ts';
