import { afterEach, describe, expect, it } from 'vitest';
import { defaultOptions, resolveOptions, SimulatorOptionsError } from '../../../app/simulator/options.ts';
import { practicePreset, startSimulator, type Simulator } from '../../../app/simulator/index.ts';
import { jobIdOf, putLead } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('resolveOptions', () => {
  it('has defaults matching the live API: 150 per minute, slowdown of 2 s from 80%, strict OpenAPI answers', () => {
    expect(defaultOptions).toMatchObject({
      rateLimit: 150,
      windowMs: 60_000,
      slowdownFrom: 0.8,
      slowdownMs: 2_000,
      sendRetryAfter: true,
      responseShape: 'openapi',
      token: null,
    });
    expect(resolveOptions(defaultOptions)).toEqual(defaultOptions);
  });

  it('lets a success rate set alone take what the default partial rate would overflow', () => {
    expect(resolveOptions(defaultOptions, { successRate: 1 })).toMatchObject({ successRate: 1, partialRate: 0 });
    expect(resolveOptions(defaultOptions, { successRate: 0.5 })).toMatchObject({ successRate: 0.5, partialRate: 0.05 });
    expect(() => resolveOptions(defaultOptions, { successRate: 1, partialRate: 0.1 })).toThrow(SimulatorOptionsError);
  });

  it('collects every problem in one error', () => {
    try {
      resolveOptions(defaultOptions, { latencyMs: -1, responseShape: 'xml', nope: 1, serverErrorStatuses: [501] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SimulatorOptionsError);
      const problems = (error as SimulatorOptionsError).problems;
      expect(problems).toHaveLength(4);
      expect(problems).toContain("unknown option 'nope'");
      expect(problems.join('\n')).toContain("option 'responseShape' must be 'openapi' or 'meta', got \"xml\"");
    }
  });

  it('accepts the practice preset', () => {
    expect(resolveOptions(defaultOptions, practicePreset)).toMatchObject({ jobPendingMs: [1_000, 3_000], successRate: 0.95 });
  });
});

describe('practice preset', () => {
  it('settles jobs within 1–3 s', async () => {
    sim = await startSimulator({ ...practicePreset, latencyMs: 0, latencySpikes: null });
    for (let i = 0; i < 10; i++) {
      const job = sim.jobs.get(jobIdOf(await putLead(sim, `lead-${i}`, { status: 'ACTIVE' })));
      expect(job && job.settlesAt - job.createdAt).toBeGreaterThanOrEqual(1_000);
      expect(job && job.settlesAt - job.createdAt).toBeLessThanOrEqual(3_000);
    }
  });
});
