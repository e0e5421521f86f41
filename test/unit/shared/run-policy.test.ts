// The run policy is the one owner of a run's limits and defaults: every reader (the contract's
// codec, the CLI's flags, the send queue, the run context) accepts exactly its bounds and starts
// from its defaults. How a resumed run reads its own retry count: test/integration/send/run-policy-resume.test.ts.
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { contract } from '../../../app/shared/contract.ts';
import { sendCommand } from '../../../app/cli/send-command.ts';
import type { CliIo } from '../../../app/cli/io.ts';
import { createSendQueue } from '../../../app/schedule/send-queue.ts';
import { createRateBudget } from '../../../app/schedule/rate-budget.ts';
import { openRunContext } from '../../../app/run/run-context.ts';
import {
  backoffWithRetries,
  concurrencyBounds,
  defaultBackoffPolicy,
  defaultConcurrency,
  defaultMaxRetries,
  defaultRate,
  rateBounds,
  rateWindowMs,
  withinBounds,
  type IntegerBounds,
} from '../../../app/shared/run-policy.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const startArgs = contract.requests['run:start'].args;
const settings = (concurrency: number, rate: number) => ({ importId: 'import-1', environment: 'practice', concurrency, rate });

/** One past each end of the bounds, and a fraction inside them. */
const outside = (b: IntegerBounds): number[] => [b.min - 1, b.max + 1, b.min + 0.5];

async function cliSend(flags: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    cwd: '/nonexistent-h2',
  };
  const code = await sendCommand(['/nonexistent-h2/leads.csv', '--env', 'practice', ...flags], io);
  return { code, stderr };
}

describe('the run policy', () => {
  it('is within its own bounds, and its backoff allows the default retries', () => {
    expect(withinBounds(defaultConcurrency, concurrencyBounds)).toBe(true);
    expect(withinBounds(defaultRate, rateBounds)).toBe(true);
    expect(defaultBackoffPolicy.maxRetries).toBe(defaultMaxRetries);
    expect(backoffWithRetries(2)).toEqual({ ...defaultBackoffPolicy, maxRetries: 2 });
  });

  it("the desktop contract's run settings accept exactly the policy's bounds", () => {
    for (const n of [concurrencyBounds.min, concurrencyBounds.max])
      expect(E.isRight(startArgs.decode(settings(n, defaultRate)))).toBe(true);
    for (const n of outside(concurrencyBounds)) expect(E.isLeft(startArgs.decode(settings(n, defaultRate)))).toBe(true);
    for (const n of [rateBounds.min, rateBounds.max]) expect(E.isRight(startArgs.decode(settings(defaultConcurrency, n)))).toBe(true);
    for (const n of outside(rateBounds)) expect(E.isLeft(startArgs.decode(settings(defaultConcurrency, n)))).toBe(true);
  });

  it("the CLI's --concurrency and --rate accept exactly the policy's bounds, and say which they are", async () => {
    const tooMany = await cliSend(['--concurrency', String(concurrencyBounds.max + 1)]);
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toContain(`--concurrency must be a whole number from ${concurrencyBounds.min} to ${concurrencyBounds.max}`);
    // At the bounds the flags pass; the run then stops at the missing file, not at a flag.
    const atMost = await cliSend(['--concurrency', String(concurrencyBounds.max), '--rate', String(rateBounds.max)]);
    expect(atMost.stderr).not.toMatch(/--concurrency|--rate/);
    expect(atMost.stderr).toMatch(/leads\.csv/);
    const tooFast = await cliSend(['--rate', String(rateBounds.max + 1)]);
    expect(tooFast.stderr).toContain(`--rate must be a whole number from ${rateBounds.min} to ${rateBounds.max}`);
  });

  it("the send queue takes the policy's bounds, and its default concurrency when none is given", () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock });
    expect(createSendQueue({ budget, clock }).concurrency).toBe(defaultConcurrency);
    expect(createSendQueue({ budget, clock, concurrency: concurrencyBounds.max }).concurrency).toBe(concurrencyBounds.max);
    for (const n of outside(concurrencyBounds)) expect(() => createSendQueue({ budget, clock, concurrency: n })).toThrow(RangeError);
    budget.close();
  });

  it('a rate budget without settings paces at the default rate per minute', () => {
    const budget = createRateBudget({ clock: new ManualClock(0) });
    expect(budget.stats().estimate).toMatchObject({ limit: defaultRate, windowMs: rateWindowMs });
    budget.close();
  });

  it('a run context without settings starts from the default rate and concurrency', async () => {
    const opened = await openRunContext({ environment: 'http://127.0.0.1:9', token: 'sk_test_policy-key-0001' });
    if (E.isLeft(opened)) throw new Error(opened.left);
    try {
      expect(opened.right.queue.concurrency).toBe(defaultConcurrency);
      expect(opened.right.budget.stats().estimate).toMatchObject({ limit: defaultRate, windowMs: rateWindowMs });
    } finally {
      await opened.right.close();
    }
  });
});
