// The practice simulator on a worker thread (the desktop service's practice environment): it
// serves HTTP on 127.0.0.1 from a thread that is not this one, answers the few calls made by
// message (a lead, a change behind the importer's back, counts), and ends when closed.
import { afterEach, describe, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import { startPracticeThread, type PracticeThread } from '../../../app/simulator/practice-thread.ts';
import { defaultOptions } from '../../../app/simulator/options.ts';
import { SeedWorld } from '../../../app/simulator/seed-data.ts';

const opened: PracticeThread[] = [];
afterEach(async () => {
  for (const thread of opened.splice(0)) await thread.close();
});

async function start(): Promise<PracticeThread> {
  const thread = await startPracticeThread({ options: { latencyMs: 0, latencySpikes: null }, recordLimit: 100, stateLimit: 100 });
  opened.push(thread);
  return thread;
}

/** The practice world's first lead (the same seed on either thread). */
const firstLead = (): string =>
  new SeedWorld({ data: defaultOptions.data, integrationId: defaultOptions.integrationId, vendor: defaultOptions.vendor }).leadIdAt(0);

describe('practice simulator thread', () => {
  it('serves the practice world over HTTP from a worker thread, not this one', async () => {
    const thread = await start();
    expect(thread.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(thread.threadId).not.toBe(threadId);
    expect(thread.running).toBe(true);
    const id = firstLead();
    const answer = await fetch(`${thread.url}/v1/leads/${id}`, { headers: { authorization: 'Bearer practice-environment' } });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { results: { id: string } };
    expect(body.results.id).toBe(id);
    expect((await thread.counts())['get-lead']['200']).toBe(1);
  });

  it('changes a lead behind the importer’s back by message, as HTTP then shows it', async () => {
    const thread = await start();
    const id = firstLead();
    await thread.changeLead(id, { first_name: 'Someone else' });
    expect((await thread.lead(id))?.first_name).toBe('Someone else');
    const answer = await fetch(`${thread.url}/v1/leads/${id}`, { headers: { authorization: 'Bearer practice-environment' } });
    expect(((await answer.json()) as { results: { first_name: string } }).results.first_name).toBe('Someone else');
    await expect(thread.changeLead('no-such-lead!', { first_name: 'x' })).rejects.toThrow(/No lead 'no-such-lead!'/);
  });

  it('ends its thread when closed: the port no longer answers and calls reject', async () => {
    const thread = await start();
    await thread.close();
    expect(thread.running).toBe(false);
    await expect(fetch(`${thread.url}/v1/leads/${firstLead()}`)).rejects.toThrow();
    await expect(thread.counts()).rejects.toThrow(/practice simulator stopped/);
    await thread.close(); // twice is fine
  });

  it('says why it did not start (bad options), and leaves no thread behind', async () => {
    await expect(startPracticeThread({ options: { rateLimit: -1 }, recordLimit: 10, stateLimit: 10 })).rejects.toThrow(
      /The practice simulator did not start: .*rateLimit/,
    );
  });
});
