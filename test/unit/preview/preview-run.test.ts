// The preview of a run: rows of one lead compared with the lead as the rows before them will
// leave it, and the before-values the engine journals with `sent`.
import { afterEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { LeadUpdate } from '../../../app/lead/lead-update.ts';
import { previewRun } from '../../../app/preview/preview-run.ts';
import { blankLead, startPractice, type Practice } from './practice.ts';

let practice: Practice | undefined;
afterEach(async () => {
  await practice?.close();
  practice = undefined;
});

const payloadOf = (u: unknown): LeadUpdate => {
  const decoded = LeadUpdate.decode(u);
  if (E.isLeft(decoded)) throw new Error('test payload does not decode');
  return decoded.right;
};

describe('previewRun', () => {
  it('sends a field again that an earlier row of the same lead changes, even when it equals the lead now', () => {
    const lead = { ...blankLead(), id: 'L1', status: 'ACTIVE', city: 'Denver' };
    const rows = previewRun(
      [
        { row: 2, leadId: 'L1', payload: payloadOf({ status: 'COLD', city: 'Denver' }) },
        { row: 3, leadId: 'L1', payload: payloadOf({ status: 'ACTIVE', city: 'Denver' }) },
      ],
      new Map([['L1', lead]]),
    );
    expect(rows[0]).toMatchObject({ payload: { status: 'COLD' }, before: { values: { status: 'ACTIVE' }, unreadable: {} } });
    // Row 3 puts the status back: without it the lead would end COLD.
    expect(rows[1]).toMatchObject({ payload: { status: 'ACTIVE' }, before: { values: { status: 'COLD' }, unreadable: {} } });
    expect(rows[1].fields.find((f) => f.field === 'status')).toMatchObject({ current: { known: true, value: 'COLD' }, verdict: 'changes' });
  });

  it('compares a row with the lead as rows still in flight before it will leave it (a resumed run), not as it was read', () => {
    // Read before row 2's job applied: the lead still shows the status row 2 changes.
    const lead = { ...blankLead(), id: 'L1', status: 'ACTIVE', city: 'Denver' };
    const rows = previewRun(
      [
        { row: 3, leadId: 'L1', payload: payloadOf({ status: 'ACTIVE', city: 'Aspen' }) },
        { row: 5, leadId: 'L1', payload: payloadOf({ city: 'Aspen' }) },
      ],
      new Map([['L1', lead]]),
      undefined,
      [
        { row: 2, leadId: 'L1', payload: payloadOf({ status: 'COLD' }) },
        { row: 4, leadId: 'L1', payload: payloadOf({ city: 'Vail' }) },
      ],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ payload: { status: 'ACTIVE', city: 'Aspen' }, before: { values: { status: 'COLD', city: 'Denver' } } });
    // Row 4 (in flight) leaves the city as Vail: row 5 puts Aspen back.
    expect(rows[1]).toMatchObject({ unchanged: false, payload: { city: 'Aspen' }, before: { values: { city: 'Vail' } } });
  });

  it('records before-values of exactly the fields sent; unreadable leads and fields say why', () => {
    const lead = { ...blankLead(), id: 'L1', city: 'Denver', desired_min_rent_in_cents: null };
    const rows = previewRun(
      [
        { row: 2, leadId: 'L1', payload: payloadOf({ city: 'Denver', desired_min_rent_in_cents: 90_000, credit_score: '700' }) },
        { row: 3, leadId: 'L2', payload: payloadOf({ city: 'Aspen' }) },
        { row: 4, leadId: 'L1', payload: payloadOf({ city: 'Denver' }) },
      ],
      new Map([['L1', lead]]),
    );
    expect(rows[0].before).toEqual({
      values: { desired_min_rent_in_cents: null },
      unreadable: { credit_score: 'the lead (GET /v1/leads/{id}) does not show a credit score' },
    });
    expect(rows[1]).toMatchObject({ payload: { city: 'Aspen' }, before: { values: {}, unreadable: { city: 'the lead was not read' } } });
    expect(rows[2]).toMatchObject({ unchanged: true, before: { values: {}, unreadable: {} } });
  });

  it('from one read of each lead, the rows applied in order leave the simulator’s leads as the file says', async () => {
    practice = await startPractice();
    const p = practice;
    const id = p.sim.world.leadIdAt(2);
    const lead = await p.read(id);
    const rows = previewRun(
      [
        { row: 2, leadId: id, payload: payloadOf({ status: 'COLD', notes: 'first' }) },
        { row: 3, leadId: id, payload: payloadOf({ status: lead.status, notes: 'second' }) },
      ],
      new Map([[id, lead]]),
    );
    for (const row of rows) if (!row.unchanged) await p.put(id, row.payload);
    expect(p.sim.lead(id)).toMatchObject({ status: lead.status, notes: 'second' });
  });
});
