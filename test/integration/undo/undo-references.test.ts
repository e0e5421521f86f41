// Undoing a run that changed leads' leasing agent and floor plan (employee_id, floor_plan_id),
// against the simulator: the lead shows the PMS's ids of both (x_leasing_agent_id,
// desired_floor_plan_id), so the undo reads the employees and floor plans of the leads' scope
// to compare what the run wrote with the lead now. The agent and plan the run replaced are
// written back; an agent someone changed since is left alone; neither is "cannot be restored".
// An undo stopped and resumed compares through the lists read at its start (undo.json
// `references`), so the leads it had not written back yet are restored too.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import type { MappingFile } from '../../../app/mapping/mapping-file.ts';
import type { Item } from '../../../app/simulator/seed-data.ts';
import { prepareSend, startSend } from '../../../app/run/send-run.ts';
import { resumeUndo, startUndo } from '../../../app/undo/undo-run.ts';
import type { LiveRun } from '../../../app/run/send-run.ts';
import { API_KEY, apiPaths, resumeOptions, sendOptions, simulator, tempDir } from '../send/send-harness.ts';

/** One integration of `properties` properties and `leads` leads, seeded. */
const world = (seed: number, properties: number, leads: number) =>
  simulator({
    token: API_KEY,
    rateLimit: 1_000,
    windowMs: 1_000,
    data: { seed, integrations: 1, propertiesPerIntegration: properties, leads, duplicateRate: 0, emailFilterIgnoresCase: false },
  });
type World = Awaited<ReturnType<typeof world>>;

/** Another active item (agent or plan) of the lead's own property than the one `xId` names. */
const otherOf = (items: readonly Item[], lead: Item, xId: unknown): Item =>
  items.find((item) => item.property_id === lead.property_id && item.x_id !== xId && item.is_active !== false) as Item;

/** Sends rows of `Lead ID,Agent,Plan` through the run's check and preview; the run has not ended yet. */
async function sendAgentsAndPlans(sim: World, folder: string, rows: readonly string[]) {
  const integrationId = sim.world.integrations[0].id as string;
  const dir = await tempDir(folder);
  const path = join(dir, 'agents.csv');
  await writeFile(path, `Lead ID,Agent,Plan\n${rows.join('\n')}\n`);
  const mappingFile: MappingFile = {
    version: 1,
    integration: integrationId,
    columns: { 'Lead ID': { field: 'lead_id' }, Agent: { field: 'employee_id' }, Plan: { field: 'floor_plan_id' } },
  };
  const options = sendOptions(sim, path, apiPaths(dir), { mappingFile, lookup: { integrationId }, preview: true });
  const input = await prepareSend(options);
  if (E.isLeft(input)) throw new Error(input.left.message);
  const run = await startSend(input.right, options);
  if (E.isLeft(run)) throw new Error(run.left.message);
  return { dir, run: run.right };
}

describe('undoing a run that changed the leasing agent and the floor plan', () => {
  it('writes back the agent and the plan the run replaced, leaves an agent changed since alone, and restores neither as "cannot"', async () => {
    const sim = await world(11, 2, 4);
    const leadIds = [0, 1].map((i) => sim.world.leadIdAt(i));
    const was = leadIds.map((id) => sim.lead(id) as Item);
    // Another active agent and another plan of each lead's own property, by Propexo id.
    const agents = was.map((lead) => otherOf(sim.world.employees, lead, lead.x_leasing_agent_id));
    const plans = was.map((lead) => otherOf(sim.world.floorPlans, lead, lead.desired_floor_plan_id));
    const { dir, run } = await sendAgentsAndPlans(
      sim,
      'undo-references',
      leadIds.map((id, i) => `${id},${String(agents[i].id)},${String(plans[i].id)}`),
    );
    expect(await run.done).toMatchObject({ succeeded: 2 });
    expect(leadIds.map((id) => sim.lead(id)?.x_leasing_agent_id)).toEqual(agents.map((a) => a.x_id));

    // Someone gives the second lead yet another agent after the run.
    const third = sim.world.employees.find(
      (e) => e.property_id === was[1].property_id && e.x_id !== was[1].x_leasing_agent_id && e.id !== agents[1].id,
    ) as Item;
    sim.changeLead(leadIds[1], { x_leasing_agent_id: third.x_id as string, leasing_agent: third.name as string });

    const undone = await startUndo(run.runId, { ...resumeOptions(sim, run.runId, apiPaths(dir, 'undo')), force: false });
    if (E.isLeft(undone)) throw new Error(undone.left.message);
    const { summary } = undone.right;
    expect(summary.counts).toMatchObject({ restore: 3, changed_since: 1, cannot_restore: 0, leadsToWrite: 2 });
    expect(summary.fields.map((f) => [f.leadId, f.field, f.verdict, f.written, f.current])).toEqual([
      [leadIds[1], 'employee_id', 'changed_since', agents[1].id, third.id],
    ]);
    expect(await undone.right.run.done).toMatchObject({ succeeded: 2 });
    const now = leadIds.map((id) => sim.lead(id) as Item);
    expect(now.map((lead) => [lead.x_leasing_agent_id, lead.desired_floor_plan_id])).toEqual([
      [was[0].x_leasing_agent_id, was[0].desired_floor_plan_id],
      [third.x_id, was[1].desired_floor_plan_id],
    ]);
  });
  it("compares with the ids the run sent when the file named the agent and the plan (names resolved by the run's check)", async () => {
    const sim = await world(12, 1, 3);
    const leadId = sim.world.leadIdAt(0);
    const was = sim.lead(leadId) as Item;
    // An agent whose name no one else of the property has, and a plan, both named as people write them.
    const agent = sim.world.employees.find(
      (e) =>
        e.property_id === was.property_id &&
        e.x_id !== was.x_leasing_agent_id &&
        e.is_active !== false &&
        sim.world.employees.filter((o) => o.property_id === was.property_id && o.name === e.name).length === 1,
    ) as Item;
    const plan = sim.world.floorPlans.find((p) => p.property_id === was.property_id && p.x_id !== was.desired_floor_plan_id) as Item;
    const { dir, run } = await sendAgentsAndPlans(sim, 'undo-names', [`${leadId},${String(agent.name)},${String(plan.code)}`]);
    const sent = await run.done;
    expect(sent, JSON.stringify(sent)).toMatchObject({ succeeded: 1 });
    expect([sim.lead(leadId)?.x_leasing_agent_id, sim.lead(leadId)?.desired_floor_plan_id]).toEqual([agent.x_id, plan.x_id]);

    const undone = await startUndo(run.runId, { ...resumeOptions(sim, run.runId, apiPaths(dir, 'undo')), force: false });
    if (E.isLeft(undone)) throw new Error(`${undone.left.message} ${JSON.stringify(undone.left.summary?.fields)}`);
    expect(undone.right.summary.counts).toMatchObject({ restore: 2, changed_since: 0, cannot_restore: 0, leadsToWrite: 1 });
    expect(await undone.right.run.done).toMatchObject({ succeeded: 1 });
    expect([sim.lead(leadId)?.x_leasing_agent_id, sim.lead(leadId)?.desired_floor_plan_id]).toEqual([
      was.x_leasing_agent_id,
      was.desired_floor_plan_id,
    ]);
  });

  it('a resumed undo compares through the employees and floor plans its start read, and restores the agent and the plan', async () => {
    const sim = await world(13, 2, 4);
    const leadIds = [0, 1, 2].map((i) => sim.world.leadIdAt(i));
    const was = leadIds.map((id) => sim.lead(id) as Item);
    const agents = was.map((lead) => otherOf(sim.world.employees, lead, lead.x_leasing_agent_id));
    const plans = was.map((lead) => otherOf(sim.world.floorPlans, lead, lead.desired_floor_plan_id));
    const { dir, run } = await sendAgentsAndPlans(
      sim,
      'undo-references-resume',
      leadIds.map((id, i) => `${id},${String(agents[i].id)},${String(plans[i].id)}`),
    );
    expect(await run.done).toMatchObject({ succeeded: 3 });
    expect(leadIds.map((id) => sim.lead(id)?.desired_floor_plan_id)).toEqual(plans.map((p) => p.x_id));

    // One write-back at a time, the undo cancelled as its first PUT leaves (the lead of the last
    // row): that one finishes, the other two are left for the resume, before their re-read.
    const undoing: { run?: LiveRun } = {};
    let cancelled = false;
    const cancelOnFirstPut: typeof fetch = async (request, init) => {
      if (!cancelled && (init?.method ?? 'GET') === 'PUT') {
        cancelled = true;
        undoing.run?.cancel();
      }
      return fetch(request, init);
    };
    const listsRead = (): number => sim.record.filter((r) => r.endpoint === 'list-employees' || r.endpoint === 'list-floor-plans').length;
    const readBeforeUndo = listsRead();
    const undoPaths = apiPaths(dir, 'undo');
    const started = await startUndo(run.runId, {
      ...resumeOptions(sim, run.runId, undoPaths),
      concurrency: 1,
      fetch: cancelOnFirstPut,
    });
    if (E.isLeft(started)) throw new Error(started.left.message);
    expect(started.right.summary.counts).toMatchObject({ restore: 6, cannot_restore: 0, leadsToWrite: 3 });
    const live = (undoing.run = started.right.run);
    const stopped = await live.done;
    expect(stopped.stopped?.reason).toBe('cancelled');
    expect(stopped.notSent).toBe(2);

    const readAtStart = listsRead();
    expect(readAtStart).toBeGreaterThan(readBeforeUndo);
    const resumed = await resumeUndo(resumeOptions(sim, live.runId, undoPaths, { concurrency: 1 }));
    if (E.isLeft(resumed)) throw new Error(resumed.left.message);
    expect(await resumed.right.run.done).toMatchObject({ succeeded: 3, notSent: 0, failed: 0 });
    // The resume compared through the lists undo.json kept: it read none again.
    expect(listsRead()).toBe(readAtStart);
    expect(resumed.right.finalSummary().counts).toMatchObject({ cannot_restore: 0, changed_since: 0 });
    expect(leadIds.map((id) => [sim.lead(id)?.x_leasing_agent_id, sim.lead(id)?.desired_floor_plan_id])).toEqual(
      was.map((lead) => [lead.x_leasing_agent_id, lead.desired_floor_plan_id]),
    );
  });
});
