// Ready-made option sets. `practicePreset` is what the CLI's and the app's "practice"
// environment start: it behaves like Propexo (budget, slowdown, the odd failed job) but jobs
// settle in seconds, so a rehearsal of a real file stays short.
import type { SimulatorOptions } from './options.ts';

export const practicePreset: Partial<SimulatorOptions> = {
  rateLimit: 150,
  windowMs: 60_000,
  slowdownMs: 2_000,
  jobPendingMs: [1_000, 3_000],
  successRate: 0.95,
  partialRate: 0.03,
  failureWithoutErrorsRate: 0.25,
  // A little network time and the occasional slow answer, as over the internet.
  latencyMs: 40,
  latencySpikes: { rate: 0.02, ms: 400 },
};
