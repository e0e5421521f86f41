// Ready-made option sets. `practicePreset` is what the CLI's and the app's "practice"
// environment start: it behaves like Propexo (budget, slowdown, the odd failed job) but jobs
// settle in seconds, so a rehearsal of a real file stays short.
import { defaultOptions, type SeedDataOptions, type SimulatorOptions } from './options.ts';

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

/**
 * Sizes of the seeded world the read endpoints answer from (`data` option; the seed stays
 * whatever `data.seed` says). 'practice' is the default: a few thousand leads over six properties.
 * 'large' is a scope of 200,000 leads, for lookups that must choose between listing and asking.
 */
export const dataPresets = {
  small: { ...defaultOptions.data, integrations: 1, propertiesPerIntegration: 2, leads: 300, duplicateRate: 0.05 },
  practice: defaultOptions.data,
  large: { ...defaultOptions.data, integrations: 1, propertiesPerIntegration: 10, leads: 200_000, duplicateRate: 0.01 },
} as const satisfies Readonly<Record<string, SeedDataOptions>>;

export type DataPreset = keyof typeof dataPresets;
