// Decoding rows into update payloads. The plan is compiled once; the hot path walks it over
// `row.cells` calling each codec's plain `parse`, allocating only the payload, the values
// it keeps and the result (rows without issues share one frozen empty list). The same walk
// backs `LeadUpdateFromRow`, the io-ts view of a row, so messages have one source.
import * as t from 'io-ts';
import type { Mapping } from '../mapping/types.ts';
import type { Cell, RowProblem, SourceRow } from '../source/types.ts';
import { CellFailure, NO_VALUE } from './cell-codec.ts';
import { LeadIdFromCell } from './cell-codecs.ts';
import { cellText, isBlankCell } from './cell-text.ts';
import { LeadUpdateRequest, NO_ISSUES, type DecodedRow, type RowIssue } from './decoded-row.ts';
import { LEAD_ID_FIELD, type LeadFieldName } from './fields.ts';
import type { LeadUpdate } from './lead-update.ts';
import { joinName } from './name-cells.ts';
import { isBlankOrPlaceholder } from './placeholders.ts';
import { compileRowPlan, type ColumnStep, type RowPlan } from './row-plan.ts';

export const MISSING_LEAD_ID = 'lead id is missing';
export const NOTHING_TO_CHANGE = 'nothing to change: no cell besides the lead id has a value to send';
const NO_LEAD_ID_COLUMN = `lead id is missing: no column is mapped to ${LEAD_ID_FIELD}`;

const issue = (column: string | null, field: LeadFieldName | null, cell: Cell | undefined, message: string): RowIssue => ({
  column,
  field,
  value: cell === undefined ? '' : cellText(cell),
  message,
});

const stepIssue = (step: ColumnStep, cell: Cell, message: string): RowIssue => issue(step.column, step.field, cell, message);

function add(list: RowIssue[] | null, item: RowIssue): RowIssue[] {
  if (list === null) return [item];
  list.push(item);
  return list;
}

/** A row checked without building its payload: what validating a file needs. */
export type CheckedRow = Omit<DecodedRow, 'payload'>;

/** Stands in for the payload of a checked row: never sent, never filled. */
const UNBUILT: LeadUpdate = Object.freeze({});

/** The one walk over a row's cells that `decode`, `check` and `LeadUpdateFromRow` use. */
export function decodeCells(plan: RowPlan, rowNumber: number, cells: readonly Cell[], problem?: RowProblem): DecodedRow {
  return walkCells(plan, rowNumber, cells, problem, true);
}

/**
 * The same walk, every cell decoded and every message the same, without building the payload:
 * storing each value under its field's key is a third of the decoding time.
 */
export function checkCells(plan: RowPlan, rowNumber: number, cells: readonly Cell[], problem?: RowProblem): CheckedRow {
  return walkCells(plan, rowNumber, cells, problem, false);
}

function walkCells(plan: RowPlan, rowNumber: number, cells: readonly Cell[], problem: RowProblem | undefined, build: boolean): DecodedRow {
  let errors: RowIssue[] | null = problem === undefined ? null : [issue(null, null, undefined, problem.message)];
  let warnings: RowIssue[] | null = null;

  let leadId: string | null = null;
  if (plan.leadIdIndex < 0) errors = add(errors, issue(null, LEAD_ID_FIELD, undefined, NO_LEAD_ID_COLUMN));
  else {
    const cell = cells[plan.leadIdIndex];
    if (cell === undefined || isBlankOrPlaceholder(plan.leadIdPlaceholders, cell)) {
      errors = add(errors, issue(plan.leadIdColumn, LEAD_ID_FIELD, cell, MISSING_LEAD_ID));
    } else {
      // A PMS id, e-mail or phone is a key to look up (app/lookup), never put in a path as it is.
      const id = plan.leadKey === 'lead_id' ? LeadIdFromCell.parse(cell) : String(cell).trim();
      if (id instanceof CellFailure) errors = add(errors, issue(plan.leadIdColumn, LEAD_ID_FIELD, cell, id.message));
      else leadId = id;
    }
  }

  const payload: LeadUpdate = build ? {} : UNBUILT;
  let sent = 0;
  const steps = plan.steps;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    const cell = cells[step.index];
    if (cell === undefined || isBlankOrPlaceholder(step.placeholders, cell)) continue;
    const codec = step.codec;
    if (codec === null) {
      warnings = add(warnings, stepIssue(step, cell, step.notice));
      continue;
    }
    if (step.replacementIndex >= 0) {
      const replacement = cells[step.replacementIndex];
      if (replacement !== undefined && !isBlankCell(replacement)) {
        warnings = add(warnings, stepIssue(step, cell, step.replacementNotice));
        continue;
      }
    }
    const value = codec.parse(cell);
    if (value instanceof CellFailure) {
      if (value !== NO_VALUE) errors = add(errors, stepIssue(step, cell, value.message));
      continue;
    }
    if (build) payload[step.target] = value;
    sent++;
    if (step.role === 'deprecated') warnings = add(warnings, stepIssue(step, cell, step.notice));
    if (step.warn !== null) {
      const warning = step.warn(cell, value);
      if (warning !== null) warnings = add(warnings, stepIssue(step, cell, warning));
    }
  }

  let status: DecodedRow['status'] = 'valid';
  if (errors !== null) status = 'invalid';
  else if (sent === 0) {
    status = 'skipped';
    warnings = add(warnings, issue(null, null, undefined, NOTHING_TO_CHANGE));
  }
  return { rowNumber, leadId, payload, status, errors: errors ?? NO_ISSUES, warnings: warnings ?? NO_ISSUES };
}

/**
 * A row's cells as an io-ts codec: decodes to the request to send, or fails with one error
 * per problem (context key: the column, or '' for the row), the same messages `decode` gives.
 * A row with nothing to change fails too: there is nothing to send. Encoding writes each
 * value back as its canonical cell text, in the plan's columns.
 * Only tests use it (the app calls `decode`/`check`): it proves the walk, its messages and each
 * cell codec's canonical writing agree as one io-ts codec (encode then decode round-trips).
 */
export function LeadUpdateFromRow(plan: RowPlan): t.Type<LeadUpdateRequest, readonly Cell[], readonly Cell[]> {
  const width = Math.max(plan.header.length, plan.leadIdIndex + 1, ...plan.steps.map((step) => step.index + 1));
  const rowCodec: t.Type<LeadUpdateRequest, readonly Cell[], readonly Cell[]> = new t.Type<
    LeadUpdateRequest,
    readonly Cell[],
    readonly Cell[]
  >(
    'LeadUpdateFromRow',
    LeadUpdateRequest.is,
    (cells, context) => {
      const row = decodeCells(plan, 0, cells);
      if (row.status === 'valid' && row.leadId !== null) return t.success({ leadId: row.leadId, payload: row.payload });
      const problems = row.status === 'invalid' ? row.errors : row.warnings.filter((w) => w.message === NOTHING_TO_CHANGE);
      return t.failures(
        problems.map((problem) => ({
          value: problem.value,
          context: [...context, { key: problem.column ?? '', type: decoderOf(problem), actual: problem.value }],
          message: problem.message,
        })),
      );
    },
    (request) => {
      const cells: Cell[] = Array.from({ length: width }, () => '');
      if (plan.leadIdIndex >= 0) cells[plan.leadIdIndex] = request.leadId;
      const written = new Set<LeadFieldName>();
      // Columns of the field itself first, so a replacement's own column wins over a deprecated one.
      for (const role of ['send', 'deprecated'] as const) {
        for (const step of plan.steps) {
          const value = request.payload[step.target];
          if (step.role !== role || step.secondary || step.codec === null || value === undefined || written.has(step.target)) continue;
          const last = request.payload.last_name;
          cells[step.index] =
            step.split !== null && typeof value === 'string' && typeof last === 'string'
              ? joinName(value, last, step.split)
              : step.codec.encode(value);
          written.add(step.target);
        }
      }
      return cells;
    },
  );
  /** The codec a problem came from, for the io-ts context: the cell's codec, or the row's own. */
  const decoderOf = (problem: RowIssue): t.Decoder<Cell, unknown> | t.Decoder<readonly Cell[], unknown> => {
    if (problem.field === LEAD_ID_FIELD && problem.column !== null) return LeadIdFromCell;
    return plan.steps.find((step) => step.column === problem.column)?.codec ?? rowCodec;
  };
  return rowCodec;
}

export interface RowDecoder {
  readonly plan: RowPlan;
  decode(row: SourceRow): DecodedRow;
  /** `decode` without the payload, for validating. */
  check(row: SourceRow): CheckedRow;
}

/** Compiles the column plan once; `decode` then costs a walk over the mapped cells. */
export function compileRowDecoder(header: readonly string[], mapping: Mapping): RowDecoder {
  const plan = compileRowPlan(header, mapping);
  return {
    plan,
    decode: (row) => decodeCells(plan, row.rowNumber, row.cells, row.problem),
    check: (row) => checkCells(plan, row.rowNumber, row.cells, row.problem),
  };
}
