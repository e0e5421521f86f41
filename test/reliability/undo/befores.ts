// The `before` entries of a run the engine does not journal yet (h14 wires them into the
// engine): each row's before-values are computed with the real preview (previewRun) from the
// leads as the simulator holds them before the run, and appended to the run's journal after it
// for the rows it sent. The undo reads only the journal, as it will once the engine writes them.
import * as E from 'fp-ts/Either';
import { Lead } from '../../../app/propexo/read-codecs.ts';
import { previewRun, type PreviewedRow } from '../../../app/preview/preview-run.ts';
import { createRunStore } from '../../../app/run/run-store.ts';
import { foldRowStates } from '../../../app/run/journal-entry.ts';
import { prepareSend, type SendOptions } from '../../../app/run/send-run.ts';
import { decodedRows } from '../../../app/validate/decoded-rows.ts';
import type { LeadUpdate } from '../../../app/lead/lead-update.ts';
import type { Simulator } from '../../../app/simulator/index.ts';

/** Each valid row of `file`'s before-values, from the simulator's leads now: call it before the run. */
export async function beforesOf(sim: Simulator, options: SendOptions): Promise<PreviewedRow[]> {
  const input = await prepareSend(options);
  if (E.isLeft(input)) throw new Error(input.left.message);
  const rows: { row: number; leadId: string; payload: LeadUpdate }[] = [];
  for await (const batch of decodedRows(input.right.prepared, input.right.edits)) {
    for (const { decoded } of batch)
      if (decoded.status === 'valid' && decoded.leadId !== null)
        rows.push({ row: decoded.rowNumber, leadId: decoded.leadId, payload: decoded.payload });
  }
  const leads = new Map<string, Lead>();
  for (const id of new Set(rows.map((r) => r.leadId))) {
    const lead = Lead.decode(sim.lead(id));
    if (E.isRight(lead)) leads.set(id, lead.right);
  }
  return previewRun(rows, leads);
}

/** Appends the before-values of the rows run `runId` sent to its journal. */
export async function appendBefores(dataDir: string, runId: string, previewed: readonly PreviewedRow[]): Promise<void> {
  const handle = await createRunStore(dataDir).open(runId);
  if (E.isLeft(handle)) throw new Error(handle.left.message);
  const sent = foldRowStates(handle.right.entries);
  for (const p of previewed) {
    if (!sent.has(p.row)) continue;
    const unreadable = Object.keys(p.before.unreadable).length > 0 ? { unreadable: p.before.unreadable } : {};
    handle.right.journal.append({ t: 'before', row: p.row, leadId: p.leadId, values: p.before.values, ...unreadable });
  }
  await handle.right.close();
}
