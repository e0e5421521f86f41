// A run stopped while a lead's earlier row is still in flight (sent, its job not final), then
// resumed: the lead's later rows, never sent, are previewed by the resume. Their comparison must
// not rest on a reading taken before the earlier row's job applied, or a field the later row
// puts back would be dropped as "already up to date" and the lead would end as the earlier row
// left it, not as the file says. The undo of the resumed run still leaves the lead as before it.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { prepareSend, resumeSend, startSend, type LiveRun } from '../../../app/run/send-run.ts';
import { startUndo } from '../../../app/undo/undo-run.ts';
import { API_KEY, apiPaths, resumeOptions, sendOptions, simulator, tempDir } from './send-harness.ts';

describe('resuming a previewed run while a lead’s earlier row is in flight', () => {
  it('ends every lead as the file’s last row for it says, and its undo restores the lead', async () => {
    const sim = await simulator({
      token: API_KEY,
      rateLimit: 1_000,
      windowMs: 1_000,
      jobPendingMs: 400,
      data: { seed: 4, integrations: 1, propertiesPerIntegration: 1, leads: 2, duplicateRate: 0, emailFilterIgnoresCase: false },
    });
    const leadId = sim.world.leadIdAt(0);
    const was = sim.lead(leadId) ?? {};
    const other = ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'].find((s) => s !== was.status) as string;
    const dir = await tempDir('resume-preview');
    const path = join(dir, 'leads.csv');
    // Row 2 changes the status; row 3 (the same lead) puts it back and changes the first name.
    await writeFile(path, `Lead ID,Status,First Name\n${leadId},${other},\n${leadId},${String(was.status)},Later\n`);
    const live: { run?: LiveRun } = {};
    let stopped = false;
    // Cancelled as row 2's PUT leaves: its job is accepted and pending, row 3 waits for it.
    const cancelOnFirstPut: typeof fetch = async (request, init) => {
      if (!stopped && (init?.method ?? 'GET') === 'PUT') {
        stopped = true;
        const answer = await fetch(request, init);
        live.run?.cancel();
        return answer;
      }
      return fetch(request, init);
    };
    const paths = apiPaths(dir);
    const options = sendOptions(sim, path, paths, { preview: true, fetch: cancelOnFirstPut });
    const input = await prepareSend(options);
    if (E.isLeft(input)) throw new Error(input.left.message);
    const started = await startSend(input.right, options);
    if (E.isLeft(started)) throw new Error(started.left.message);
    live.run = started.right;
    const first = await started.right.done;
    expect(first.stopped?.reason).toBe('cancelled');
    expect(sim.lead(leadId)?.status).toBe(was.status); // row 2's job has not applied yet

    const resumed = await resumeSend(resumeOptions(sim, first.runId, paths));
    if (E.isLeft(resumed)) throw new Error(resumed.left.message);
    const end = await resumed.right.done;
    expect(end.failed + end.notSent).toBe(0);
    expect([sim.lead(leadId)?.status, sim.lead(leadId)?.first_name]).toEqual([was.status, 'Later']);

    const undone = await startUndo(first.runId, resumeOptions(sim, first.runId, apiPaths(dir, 'undo')));
    if (E.isLeft(undone)) throw new Error(undone.left.message);
    expect(await undone.right.run.done).toMatchObject({ succeeded: 1 });
    expect(undone.right.finalSummary().counts).toMatchObject({ changed_since: 0, cannot_restore: 0 });
    const { updated_at: _was, ...before } = was;
    const { updated_at: _now, ...after } = sim.lead(leadId) ?? {};
    expect(after).toEqual(before);
  });
});
