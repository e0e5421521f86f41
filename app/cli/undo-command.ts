// `lead-import undo RUN [--force]`: writes back what run RUN changed, as a new run (journaled,
// resumable with "lead-import resume", within the budget). Prints the plan first: how many
// fields go back, which were changed since the import and are left alone (unless --force),
// which cannot be cleared or restored through Propexo, and the rows not undone at all.
import * as E from 'fp-ts/Either';
import { propexoServers } from '../propexo/base-url.ts';
import { startUndo, type UndoSummary } from '../undo/undo-run.ts';
import { shownValue } from '../preview/changes.ts';
import type { StoredFieldUndo } from '../undo/undo-rows.ts';
import type { RowRecord } from '../run/row-record.ts';
import { EXIT, type CliIo, type CliOverrides } from './io.ts';
import { fatal, parseCommandLine } from './usage-error.ts';
import { count } from './format.ts';
import { follow, runFlags, storedRunCommand } from './send-command.ts';

export const undoUsage = `Usage: lead-import undo RUN [--force] [--env URL] [--errors OUT] [--results OUT] [--data-dir D] [--api-key-file F] [--json] [--yes]

Writes back the values the leads had before run RUN, as a new run (resume it like any run).
Each lead is read first: a field changed since the import is left alone and reported, unless
--force (then it is overwritten, with a warning). Undoing an undo applies the run again.
Exit 0 when everything was written back, 1 when something was not (changed since, cannot be
cleared, failed), 2 when the undo could not go on.`;

/** How many field lines the summary spells out before pointing to the error report. */
const SHOWN_FIELDS = 20;

const LEFT_OUT: ReadonlySet<StoredFieldUndo['verdict']> = new Set(['changed_since', 'cannot_clear', 'cannot_restore']);

const valueOf = (value: StoredFieldUndo['before']): string => (value === undefined ? '?' : JSON.stringify(shownValue(value)));

function fieldLine(f: StoredFieldUndo): string {
  switch (f.verdict) {
    case 'changed_since':
      return `row ${f.row}, lead ${f.leadId}, ${f.field}: changed since the import (now ${valueOf(f.current)}, the import wrote ${valueOf(f.written)}), left alone`;
    case 'forced':
      return `row ${f.row}, lead ${f.leadId}, ${f.field}: changed since the import (now ${valueOf(f.current)}), overwritten with ${valueOf(f.before)} (--force)`;
    case 'cannot_clear':
      return `row ${f.row}, lead ${f.leadId}, ${f.field}: was blank before the import and cannot be cleared through Propexo`;
    default:
      return `row ${f.row}, lead ${f.leadId}, ${f.field}: cannot be restored: ${f.reason ?? 'unknown'}`;
  }
}

/** The plan as the person reads it before the write-backs go out. */
export function describeUndoPlan(summary: UndoSummary): string {
  const c = summary.counts;
  const lines = [
    `Undo of run ${summary.undoOf}: ${count(c.leadsToWrite)} leads to write back (${count(c.restore + c.forced)} fields); ` +
      `${count(c.changed_since)} changed since the import (left alone), ${count(c.not_applied)} already as before, ` +
      `${count(c.cannot_clear)} cannot be cleared through Propexo, ${count(c.cannot_restore)} cannot be restored`,
  ];
  if (summary.force && c.forced > 0)
    lines.push(`  Warning: --force overwrites ${count(c.forced)} fields someone changed since the import.`);
  const shown = summary.fields.filter((f) => LEFT_OUT.has(f.verdict) || f.verdict === 'forced');
  for (const f of shown.slice(0, SHOWN_FIELDS)) lines.push(`  ${fieldLine(f)}`);
  if (shown.length > SHOWN_FIELDS)
    lines.push(`  … and ${count(shown.length - SHOWN_FIELDS)} more fields (every one is in the error report, --errors)`);
  if (summary.skipped.length > 0) {
    lines.push(`  ${count(summary.skipped.length)} rows not undone:`);
    for (const s of summary.skipped.slice(0, SHOWN_FIELDS)) lines.push(`    row ${s.row}, lead ${s.leadId}: ${s.reason}`);
    if (summary.skipped.length > SHOWN_FIELDS)
      lines.push(`    … and ${count(summary.skipped.length - SHOWN_FIELDS)} more (see the results file, --results)`);
  }
  return `${lines.join('\n')}\n`;
}

/** Fields the write-backs found changed after the plan was shown (each lead is read again right before its PUT). */
export function describeChangedMeanwhile(planned: UndoSummary, found: UndoSummary): string {
  const key = (f: StoredFieldUndo): string => `${f.row} ${f.field}`;
  const before = new Map(planned.fields.map((f) => [key(f), f.verdict]));
  const changed = found.fields.filter((f) => (LEFT_OUT.has(f.verdict) || f.verdict === 'forced') && before.get(key(f)) !== f.verdict);
  if (changed.length === 0) return '';
  const lines = [`  ${count(changed.length)} fields changed while the undo ran (each lead is read again right before its write-back):`];
  for (const f of changed.slice(0, SHOWN_FIELDS)) lines.push(`    ${fieldLine(f)}`);
  if (changed.length > SHOWN_FIELDS)
    lines.push(`    … and ${count(changed.length - SHOWN_FIELDS)} more fields (every one is in the error report, --errors)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The write-backs whose row says something of its own, in the row's words (as the results file
 * and the app say them): leads left as they are because someone else changed the fields to
 * write back since the import, and leads a forced undo wrote over such a change (`found`: the
 * verdicts as the write-backs found them).
 */
export function describeNotedRows(records: Iterable<Readonly<RowRecord>>, found: UndoSummary): string {
  const forcedLeads = new Set(found.fields.filter((f) => f.verdict === 'forced').map((f) => f.leadId));
  const left: string[] = [];
  const over: string[] = [];
  for (const r of records) {
    if (r.errors.length === 0) continue;
    const line = `row ${r.row}, lead ${r.leadId}: ${r.errors.join('; ')}`;
    if (r.outcome === 'unchanged') left.push(line);
    else if ((r.outcome === 'succeeded' || r.outcome === 'partial') && forcedLeads.has(r.leadId)) over.push(line);
  }
  const lines: string[] = [];
  const list = (title: string, rows: string[]): void => {
    if (rows.length === 0) return;
    lines.push(title);
    for (const line of rows.slice(0, SHOWN_FIELDS)) lines.push(`    ${line}`);
    if (rows.length > SHOWN_FIELDS) lines.push(`    … and ${count(rows.length - SHOWN_FIELDS)} more (see the results file, --results)`);
  };
  list(`  ${count(left.length)} leads left as they are (nothing sent to them):`, left);
  list(`  ${count(over.length)} leads written over a change made since the import (--force):`, over);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Something the undo leaves as the import made it (the exit code says so). */
const leavesSomething = (summary: UndoSummary): boolean =>
  summary.fields.some((f) => LEFT_OUT.has(f.verdict)) || summary.skipped.length > 0;

const planJson = (summary: UndoSummary): Record<string, unknown> => ({
  undo: { undoOf: summary.undoOf, force: summary.force, counts: summary.counts, fields: summary.fields, skipped: summary.skipped },
});

export async function undoCommand(argv: readonly string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  const parsed = parseCommandLine(
    io,
    { args: [...argv], allowPositionals: true, options: { ...runFlags, force: { type: 'boolean' } } },
    undoUsage,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const command = await storedRunCommand(io, values, positionals, (runId) => ({
    what: `Undoing run ${runId} on production (${propexoServers.production})`,
    question: `Write back the values from before run ${runId} on PRODUCTION${values.force === true ? ', overwriting changes made since (--force)' : ''}? [y/N] `,
  }));
  if (typeof command === 'number') return command;
  const { json, runId } = command;
  const started = await startUndo(runId, { ...overrides.connection, ...overrides.files, ...command.options, force: values.force === true });
  if (E.isLeft(started)) {
    const summary = started.left.summary;
    if (started.left.code !== 'nothing_to_do' || summary === undefined) return fatal(io, json, started.left.message);
    // Nothing to write back: the plan says why (already as before, or changed since).
    if (json) io.stdout.write(`${JSON.stringify({ nothingToDo: started.left.message, ...planJson(summary) })}\n`);
    else io.stdout.write(`${describeUndoPlan(summary)}${started.left.message}\n`);
    return leavesSomething(summary) ? EXIT.someRowsFailed : EXIT.ok;
  }
  const { run, summary } = started.right;
  if (!json) {
    io.stdout.write(describeUndoPlan(summary));
    io.stderr.write(`Run ${run.runId} started: the undo of run ${runId}.\n`);
  }
  const server = values.env === undefined ? '' : ` --env ${values.env.trim()}`;
  // Each write-back read its lead again: the summary at the end says what those readings found.
  const found = (): UndoSummary => started.right.finalSummary();
  const exit = await follow(io, run, json, { errors: values.errors, results: values.results }, server, () => planJson(found()));
  if (!json) {
    // The write-backs in the order written back (the lead of the last row first), as the results file lists them.
    const rows = [...run.records.values()].sort((a, b) => b.row - a.row);
    io.stdout.write(describeChangedMeanwhile(summary, found()) + describeNotedRows(rows, found()));
  }
  return exit === EXIT.ok && leavesSomething(found()) ? EXIT.someRowsFailed : exit;
}
