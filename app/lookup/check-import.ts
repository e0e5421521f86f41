// The check against Propexo of a prepared import (the validate command's `--env`, and what the
// send path and the desktop's "Check against Propexo" step call): the rows that decode are
// matched to their leads and their reference names resolved to ids, over a run's connection.
// Rows that do not decode are validation's business and are not looked up.
import * as E from 'fp-ts/Either';
import { basename } from 'node:path';
import type { LeadUpdate } from '../lead/lead-update.ts';
import type { ErrorReportRow } from '../report/report-writer.ts';
import type { RunContext } from '../run/run-context.ts';
import type { Cell } from '../source/types.ts';
import { decodedRows, type CellEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import { describeLeadMatch, describeReference, type CheckResult, type CheckedRow, type RowToCheck } from './check-rows.ts';
import type { LeadKeyKind } from './lead-keys.ts';
import type { LookupCacheFile } from './lookup-codecs.ts';
import { checkOverRun } from './lookup-session.ts';
import { isReferenceField, type ReferenceField } from './reference-resolver.ts';
import type { StrategyKind } from './strategy.ts';

export interface ImportScope {
  readonly integrationId?: string;
  readonly propertyId?: string;
}

export interface ImportCheckOptions {
  readonly scope: ImportScope;
  readonly cache: LookupCacheFile;
  readonly edits?: CellEdits;
  readonly signal?: AbortSignal;
  readonly force?: StrategyKind;
  /** Only these rows are checked (a run's rows still to send); default: every row that decodes. */
  readonly only?: ReadonlySet<number>;
}

export interface ImportCheck {
  readonly kind: LeadKeyKind;
  readonly result: CheckResult;
  /** The cells of the rows checked, by row number (for the error report). */
  readonly cells: ReadonlyMap<number, readonly Cell[]>;
  /** The file's name, as messages name it. */
  readonly file: string;
  /** The column naming the lead, and each reference field's column. */
  readonly columns: { readonly lead: string | null; readonly references: Readonly<Partial<Record<ReferenceField, string>>> };
}

/** What the lead column names the lead by (its `match`; Propexo's id when it says nothing). */
export function leadKeyKindOf(prepared: Pick<PreparedImport, 'mapping'>): LeadKeyKind {
  return prepared.mapping.columns.find((column) => column.field === 'lead_id')?.options.match ?? 'lead_id';
}

const referenceValue = (payload: LeadUpdate, field: ReferenceField): string | readonly string[] | undefined => {
  const value: unknown = (payload as Readonly<Record<string, unknown>>)[field];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as readonly string[];
  return undefined;
};

export async function checkImport(
  prepared: PreparedImport,
  connection: Pick<RunContext, 'reads' | 'queue' | 'clock' | 'budget'>,
  options: ImportCheckOptions,
): Promise<E.Either<string, ImportCheck>> {
  const kind = leadKeyKindOf(prepared);
  const referenceColumns: Partial<Record<ReferenceField, string>> = {};
  for (const column of prepared.mapping.columns)
    if (column.field !== null && isReferenceField(column.field)) referenceColumns[column.field] = column.column;
  const leadColumn = prepared.mapping.columns.find((column) => column.field === 'lead_id')?.column ?? null;
  const integrationId = options.scope.integrationId;
  if (integrationId === undefined) {
    const why =
      kind !== 'lead_id'
        ? `the rows name their leads by ${kind}`
        : Object.keys(referenceColumns).length > 0
          ? `columns ${Object.values(referenceColumns)
              .map((c) => `"${c}"`)
              .join(', ')} name lead sources, agents, units or plans`
          : undefined;
    if (why !== undefined)
      return E.left(`Checking against Propexo needs a scope: ${why}. Give --integration ID (or "integration" in the mapping file)`);
  }

  const rows: RowToCheck[] = [];
  const cells = new Map<number, readonly Cell[]>();
  for await (const batch of decodedRows(prepared, options.edits)) {
    for (const { source, decoded } of batch) {
      if (decoded.status !== 'valid' || (options.only !== undefined && !options.only.has(decoded.rowNumber))) continue;
      const references: Partial<Record<ReferenceField, string | readonly string[]>> = {};
      for (const field of Object.keys(referenceColumns) as ReferenceField[]) {
        const value = referenceValue(decoded.payload, field);
        if (value !== undefined) references[field] = value;
      }
      rows.push({ rowNumber: decoded.rowNumber, key: decoded.leadId, references });
      cells.set(decoded.rowNumber, source.rawCells ?? source.cells);
    }
  }
  const scope = {
    integrationId: integrationId ?? '',
    ...(options.scope.propertyId === undefined ? {} : { propertyId: options.scope.propertyId }),
  };
  const result = await checkOverRun(connection, { kind, scope, rows, cache: options.cache, force: options.force }, options.signal);
  return E.right({
    kind,
    result,
    cells,
    file: basename(prepared.source.path),
    columns: { lead: leadColumn, references: referenceColumns },
  });
}

/** The error report's rows (stage `match`) for the rows not matched: the key looked for, the candidates, the names not found. */
export function matchReportRows(check: ImportCheck): ErrorReportRow[] {
  return check.result.rows
    .filter((row) => row.outcome !== 'matched')
    .map((row) => ({
      rowNumber: row.rowNumber,
      cells: check.cells.get(row.rowNumber) ?? [],
      stage: 'match',
      errors: matchProblems(check, row),
      issues: issuesOf(check, row),
    }));
}

/**
 * A row's problems as the run journals them and its reports state them, each naming the file,
 * the row, the column and (in its message) the value looked for:
 * `leads.csv, row 4, column "Guest Card ID": no lead with x_id "GC-9" in the scope`.
 */
export function matchProblems(check: ImportCheck, row: CheckedRow): string[] {
  return issuesOf(check, row).map(({ column, message }) =>
    column === null
      ? `${check.file}, row ${row.rowNumber}: ${message}`
      : `${check.file}, row ${row.rowNumber}, column "${column}": ${message}`,
  );
}

/** The column each of a row's problems (matchProblems, in the same order) is about: the workbook report marks those cells. */
export const matchProblemColumns = (check: ImportCheck, row: CheckedRow): (string | null)[] =>
  issuesOf(check, row).map((issue) => issue.column);

function issuesOf(check: ImportCheck, row: CheckedRow): { column: string | null; message: string }[] {
  const issues: { column: string | null; message: string }[] = [];
  const lead = describeLeadMatch(row.lead);
  if (lead !== '') issues.push({ column: check.columns.lead, message: lead });
  for (const [field, results] of Object.entries(row.references) as [ReferenceField, CheckedRow['references'][ReferenceField]][]) {
    for (const result of results ?? []) {
      const message = describeReference(field, result);
      if (message !== '') issues.push({ column: check.columns.references[field] ?? null, message });
    }
  }
  return issues;
}
