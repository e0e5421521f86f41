// Undo planning against the practice simulator over 127.0.0.1: a run is played row by row as
// the engine will (read the lead, keep the fields that change, journal their before-values
// with `sent`, PUT, settle), then the plan's payloads are applied through the simulator and
// every lead is compared with its state before the run.
import { afterEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { LeadUpdate } from '../../../app/lead/lead-update.ts';
import { previewRun } from '../../../app/preview/preview-run.ts';
import type { Lead } from '../../../app/propexo/read-codecs.ts';
import { referenceIdsFrom, type ReferencedRecord, type ReferenceIds } from '../../../app/preview/field-correspondence.ts';
import type { JournalEntry, WriteStatus } from '../../../app/run/journal-entry.ts';
import { nullableUpdateFields, planUndo, undoRowsOf, type LeadNow, type UndoPlan } from '../../../app/undo/undo-plan.ts';
import type { JsonValue } from '../../../app/simulator/seed-data.ts';
import { blankLead, startPractice, type Practice } from '../preview/practice.ts';

let practice: Practice | undefined;
afterEach(async () => {
  await practice?.close();
  practice = undefined;
});

const at = 1_764_251_101_234;
const payloadOf = (u: unknown): LeadUpdate => {
  const decoded = LeadUpdate.decode(u);
  if (E.isLeft(decoded)) throw new Error(`test payload does not decode: ${JSON.stringify(u)}`);
  return decoded.right;
};

interface FileRow {
  readonly leadId: string;
  readonly payload: Record<string, unknown>;
}

/**
 * Plays a run as the engine will: the preview reads each lead once and compares the rows in
 * file order; then per row: before + sent journalled together, PUT, settle.
 */
async function playRun(
  p: Practice,
  rows: readonly FileRow[],
  references: ReferenceIds,
  outcomes: Readonly<Record<number, WriteStatus>> = {},
) {
  const entries: JournalEntry[] = [{ t: 'run_started', at, resumed: false }];
  const sentPayloads = new Map<number, LeadUpdate>();
  const leads = new Map<string, Lead>();
  for (const id of new Set(rows.map((r) => r.leadId))) leads.set(id, await p.read(id));
  const previewed = previewRun(
    rows.map((r, i) => ({ row: i + 2, leadId: r.leadId, payload: payloadOf(r.payload) })),
    leads,
    references,
  );
  for (const changes of previewed) {
    const { row, leadId } = changes;
    if (changes.unchanged) {
      entries.push({ t: 'unchanged', at, row, leadId });
      continue;
    }
    const unreadable = changes.before.unreadable;
    entries.push({
      t: 'before',
      at,
      row,
      leadId,
      values: changes.before.values,
      ...(Object.keys(unreadable).length > 0 ? { unreadable } : {}),
    });
    entries.push({ t: 'sent', at, row, leadId, attempt: 1 });
    entries.push({ t: 'accepted', at, row, jobId: `job_${row}`, attempt: 1, httpStatus: 200 });
    sentPayloads.set(row, changes.payload);
    await p.put(leadId, changes.payload);
    entries.push({ t: 'final', at, row, jobId: `job_${row}`, writeStatus: outcomes[row] ?? 'SUCCESS', errors: [] });
  }
  return { entries, sentPayloads };
}

async function leadsNow(p: Practice, ids: Iterable<string>): Promise<Map<string, LeadNow>> {
  const now = new Map<string, LeadNow>();
  for (const id of new Set(ids)) now.set(id, await p.read(id));
  return now;
}

async function applyPlan(p: Practice, plan: UndoPlan): Promise<void> {
  for (const lead of plan.leads) if (Object.keys(lead.payload).length > 0) await p.put(lead.leadId, lead.payload);
}

const withoutStamp = (lead: Readonly<Record<string, JsonValue>> | undefined) => {
  const { updated_at: _updated, ...rest } = lead ?? {};
  return rest;
};

function referencesOf(p: Practice): ReferenceIds {
  return referenceIdsFrom({
    employees: p.sim.world.employees as unknown as ReferencedRecord[],
    'floor-plans': p.sim.world.floorPlans as unknown as ReferencedRecord[],
  });
}

/** Rows over three seeded leads: every kind of field, and two rows for one lead (undone in reverse order). */
function fileRows(p: Practice): FileRow[] {
  const { world } = p.sim;
  const refsOf = (index: number) => {
    const propertyId = world.seededLead(index).property_id;
    return {
      employee: world.employees.filter((e) => e.property_id === propertyId && e.x_id !== world.seededLead(index).x_leasing_agent_id)[0],
      plan: world.floorPlans.filter((f) => f.property_id === propertyId && f.x_id !== world.seededLead(index).desired_floor_plan_id)[0],
      units: world.units.filter((u) => u.property_id === propertyId).slice(3, 5),
    };
  };
  const a = refsOf(0);
  const b = refsOf(1);
  return [
    {
      leadId: world.leadIdAt(0),
      payload: {
        status: 'COLD',
        email_1: 'hana.new@example.com',
        phone_1: '303-555-0100',
        employee_id: String(a.employee.id),
        floor_plan_id: String(a.plan.id),
      },
    },
    {
      leadId: world.leadIdAt(1),
      payload: {
        desired_max_rent_in_cents: 199_900,
        desired_min_rent_in_cents: 90_000,
        target_move_in_date: '2026-09-01',
        desired_unit_ids: b.units.map((u) => String(u.id)),
        first_name: 'Omar',
      },
    },
    {
      leadId: world.leadIdAt(0),
      payload: {
        status: 'INACTIVE',
        desired_num_bedrooms: 2,
        number_of_occupants: 2,
        last_name: 'Martinez-Ruiz',
        desired_min_rent_in_cents: 80_000,
      },
    },
    { leadId: world.leadIdAt(2), payload: { status: 'ACTIVE', email_1: 'leila.davis1@example.com', desired_max_rent_in_cents: 210_000 } },
  ];
}

describe('undo planning', () => {
  it('derives the fields a PUT can clear from the schema', () => {
    expect(nullableUpdateFields).toEqual(['desired_min_rent_in_cents']);
  });

  it('after a clean run, the plan restores every lead exactly, field for field (two rows of one lead in reverse order)', async () => {
    practice = await startPractice();
    const p = practice;
    const rows = fileRows(p);
    const ids = [...new Set(rows.map((r) => r.leadId))];
    const seeded = new Map(ids.map((id) => [id, p.sim.lead(id)]));
    const references = referencesOf(p);
    const { entries, sentPayloads } = await playRun(p, rows, references);
    // Row 5 repeats lead 2's e-mail (case aside) and status: only its rent is sent.
    expect(sentPayloads.get(5)).toEqual({ desired_max_rent_in_cents: 210_000 });
    for (const id of ids) expect(withoutStamp(p.sim.lead(id)), id).not.toEqual(withoutStamp(seeded.get(id)));

    const plan = planUndo(undoRowsOf(entries, sentPayloads), await leadsNow(p, ids), { references });
    expect(plan.skipped).toEqual([]);
    expect(plan.counts).toMatchObject({ changed_since: 0, cannot_clear: 0, cannot_restore: 0, leadsToWrite: 3 });
    expect(plan.leads.map((l) => [l.leadId, l.rows])).toEqual([
      [ids[2], [5]],
      [ids[0], [4, 2]],
      [ids[1], [3]],
    ]);
    // Lead 0: row 4's status INACTIVE goes back to row 2's COLD, then to the seeded ACTIVE: one PUT says ACTIVE.
    expect(plan.leads[1].payload).toMatchObject({ status: 'ACTIVE', desired_min_rent_in_cents: null });
    await applyPlan(p, plan);
    for (const id of ids) expect(withoutStamp(p.sim.lead(id)), id).toEqual(withoutStamp(seeded.get(id)));
  });

  it('a run already undone plans nothing: a lead two rows changed, back as before the first, is not "changed since" the second', async () => {
    practice = await startPractice();
    const p = practice;
    const rows = fileRows(p);
    const ids = [...new Set(rows.map((r) => r.leadId))];
    const references = referencesOf(p);
    const { entries, sentPayloads } = await playRun(p, rows, references);
    const undoRows = undoRowsOf(entries, sentPayloads);
    await applyPlan(p, planUndo(undoRows, await leadsNow(p, ids), { references }));
    const again = planUndo(undoRows, await leadsNow(p, ids), { references, force: true });
    expect(again.counts).toMatchObject({ restore: 0, forced: 0, changed_since: 0, leadsToWrite: 0 });
    expect(
      again.leads.flatMap((l) => l.fields.filter((f) => f.verdict !== 'not_applied').map((f) => `${f.row} ${f.field} ${f.verdict}`)),
    ).toEqual([]);
  });

  it('leaves alone a field changed behind the importer’s back, unless forced', async () => {
    practice = await startPractice();
    const p = practice;
    const rows = fileRows(p).slice(0, 2);
    const ids = rows.map((r) => r.leadId);
    const seeded = new Map(ids.map((id) => [id, p.sim.lead(id)]));
    const references = referencesOf(p);
    const { entries, sentPayloads } = await playRun(p, rows, references);
    p.sim.changeLead(ids[0], { status: 'WAITLISTED', phone_1: '(303) 555-0100' }); // the phone is the same number, written otherwise

    const plan = planUndo(undoRowsOf(entries, sentPayloads), await leadsNow(p, ids), { references });
    const status = plan.leads.flatMap((l) => l.fields).find((f) => f.field === 'status');
    expect(status).toMatchObject({
      verdict: 'changed_since',
      before: 'ACTIVE',
      written: 'COLD',
      current: { known: true, value: 'WAITLISTED' },
    });
    expect(status?.reason).toContain('changed since the import');
    expect(plan.counts.changed_since).toBe(1);
    const lead0 = plan.leads.find((l) => l.leadId === ids[0]);
    expect(lead0?.payload).not.toHaveProperty('status');
    expect(lead0?.payload).toHaveProperty('phone_1', seeded.get(ids[0])?.phone_1);
    await applyPlan(p, plan);
    expect(p.sim.lead(ids[0])?.status).toBe('WAITLISTED');
    expect(withoutStamp(p.sim.lead(ids[1]))).toEqual(withoutStamp(seeded.get(ids[1])));

    // Forced: the later change is overwritten with the value from before the import.
    const forced = planUndo(undoRowsOf(entries, sentPayloads), await leadsNow(p, ids), { references, force: true });
    expect(forced.leads.flatMap((l) => l.fields).find((f) => f.field === 'status')).toMatchObject({ verdict: 'forced' });
    await applyPlan(p, forced);
    expect(withoutStamp(p.sim.lead(ids[0]))).toEqual(withoutStamp(seeded.get(ids[0])));
  });

  it('undoes only what a partial job applied: from the write logs’ fields, or by reading the lead', async () => {
    practice = await startPractice();
    const p = practice;
    const id = p.sim.world.leadIdAt(1);
    p.sim.configure({ leadOutcomes: { [id]: 'PARTIAL_SUCCESS' } });
    const seeded = p.sim.lead(id);
    const rows = [{ leadId: id, payload: { first_name: 'Ada', last_name: 'Lovelace', city: 'London', zip: '10001', notes: 'called' } }];
    const { entries, sentPayloads } = await playRun(p, rows, referencesOf(p), { 2: 'PARTIAL_SUCCESS' });
    const after = p.sim.lead(id) ?? {};
    const applied = ['first_name', 'last_name', 'city', 'zip', 'notes'].filter((f) => after[f] !== seeded?.[f]);
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.length).toBeLessThan(5);

    // By reading the lead: fields still showing their before-value were not applied.
    const byReading = planUndo(undoRowsOf(entries, sentPayloads), await leadsNow(p, [id]));
    const verdicts = Object.fromEntries(byReading.leads[0].fields.map((f) => [f.field, f.verdict]));
    for (const field of ['first_name', 'last_name', 'city', 'zip', 'notes']) {
      const blankBefore = seeded?.[field] === null;
      const expected = !applied.includes(field) ? 'not_applied' : blankBefore ? 'cannot_clear' : 'restore';
      expect(verdicts[field], field).toBe(expected);
    }
    // From the write logs: a field the job says it did not apply is not touched, even if the lead shows the run's value.
    p.sim.changeLead(id, { first_name: 'Ada' });
    const fromLogs = planUndo(undoRowsOf(entries, sentPayloads, new Map([[2, applied]])), await leadsNow(p, [id]));
    if (!applied.includes('first_name'))
      expect(fromLogs.leads[0].fields.find((f) => f.field === 'first_name')?.verdict).toBe('not_applied');
  });

  it('reports blanks it cannot clear, clears the one field Propexo can, and skips what it cannot undo', async () => {
    practice = await startPractice();
    const p = practice;
    const id = p.sim.world.leadIdAt(0); // city, zip null; desired_min_rent_in_cents null
    const rows = [
      { leadId: id, payload: { city: 'Denver', desired_min_rent_in_cents: 95_000, credit_score: '720' } },
      { leadId: p.sim.world.leadIdAt(3), payload: { notes: 'x' } },
    ];
    const { entries, sentPayloads } = await playRun(p, rows, referencesOf(p));
    const plan = planUndo(undoRowsOf(entries, sentPayloads), await leadsNow(p, [id]));
    const byField = Object.fromEntries(plan.leads[0].fields.map((f) => [f.field, f]));
    expect(byField.city).toMatchObject({ verdict: 'cannot_clear' });
    expect(byField.city.reason).toContain("Propexo's update cannot clear it");
    expect(byField.desired_min_rent_in_cents).toMatchObject({ verdict: 'restore' });
    expect(byField.credit_score).toMatchObject({ verdict: 'cannot_restore' });
    expect(plan.leads[0].payload).toEqual({ desired_min_rent_in_cents: null });
    // The second lead was not read: its row is reported, not guessed.
    expect(plan.skipped).toEqual([{ row: 3, leadId: p.sim.world.leadIdAt(3), reason: 'cannot be undone now: the lead was not read' }]);
  });

  it('from the journal: unknown rows are compared with the lead; pending ones wait; rows without before-values or never written are not undone', () => {
    const entries: JournalEntry[] = [
      { t: 'before', at, row: 2, leadId: 'L1', values: { city: 'Boulder' } },
      { t: 'sent', at, row: 2, leadId: 'L1', attempt: 1 },
      { t: 'unknown', at, row: 2, reason: 'timed out after sending' },
      { t: 'before', at, row: 3, leadId: 'L2', values: { city: null } },
      { t: 'sent', at, row: 3, leadId: 'L2', attempt: 1 },
      { t: 'accepted', at, row: 3, jobId: 'j3', attempt: 1, httpStatus: 200 },
      { t: 'pending', at, row: 3, jobId: 'j3' },
      { t: 'sent', at, row: 4, leadId: 'L3', attempt: 1 },
      { t: 'accepted', at, row: 4, jobId: 'j4', attempt: 1, httpStatus: 200 },
      { t: 'final', at, row: 4, jobId: 'j4', writeStatus: 'SUCCESS', errors: [] },
      { t: 'before', at, row: 5, leadId: 'L4', values: { city: null } },
      { t: 'sent', at, row: 5, leadId: 'L4', attempt: 1 },
      { t: 'rejected', at, row: 5, httpStatus: 400, message: 'bad', issues: [] },
      { t: 'unchanged', at, row: 6, leadId: 'L5' },
    ];
    const payloads = new Map<number, LeadUpdate>([2, 3, 4, 5].map((row) => [row, { city: 'Denver' } as LeadUpdate]));
    const rows = undoRowsOf(entries, payloads);
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'unknown'],
      [3, 'pending'],
      [4, 'succeeded'],
      [5, 'rejected'],
    ]);
    const leadWithCity = (city: string): LeadNow => ({ ...blankLead(), id: 'L1', city });
    const applied = planUndo(rows, new Map([['L1', leadWithCity('Denver')]]));
    expect(applied.leads).toHaveLength(1);
    expect(applied.leads[0]).toMatchObject({ leadId: 'L1', payload: { city: 'Boulder' } });
    const notApplied = planUndo(rows, new Map([['L1', leadWithCity('Boulder')]]));
    expect(notApplied.leads[0]).toMatchObject({ payload: {} });
    expect(notApplied.leads[0].fields[0]).toMatchObject({ verdict: 'not_applied' });
    expect(applied.skipped.map((s) => s.row)).toEqual([4, 3]);
    expect(applied.skipped.find((s) => s.row === 3)?.reason).toContain('no final status yet');
    expect(applied.skipped.find((s) => s.row === 4)?.reason).toContain('no values from before');
  });
});
