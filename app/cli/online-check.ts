// `validate --env ENV`: the check against Propexo of the rows that decode (app/lookup), over a
// connection opened for it (practice: the in-process simulator) and closed after. Nothing is
// written to Propexo; not-found and ambiguous rows go in the error report at stage `match`.
import * as E from 'fp-ts/Either';
import { checkImport, matchReportRows, type ImportCheck, type ImportScope } from '../lookup/check-import.ts';
import type { LeadUpdate } from '../lead/lead-update.ts';
import { countChanges, type ChangeCounts } from '../preview/changes.ts';
import { openChangesFile } from '../report/changes-file.ts';
import { nothingSeen, observedReads, previewRows, type Seen } from '../run/pre-send.ts';
import { decodedRows } from '../validate/decoded-rows.ts';
import { emptyLookupCache } from '../lookup/lookup-cache.ts';
import type { ErrorReportWriter } from '../report/report-writer.ts';
import { openRunContext, type ConnectionOptions, type RunContext } from '../run/run-context.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';

export interface OnlineCheckSummary {
  readonly environment: string;
  readonly matchedBy: string;
  readonly matched: number;
  readonly notFound: number;
  readonly ambiguous: number;
  readonly strategy: string;
  readonly lookupRequests: number;
  readonly scopeChanged: boolean;
  /** `--changes`: what the matched rows would change, and the GETs it took. */
  readonly changes?: ChangeCounts & { readonly readRequests: number; readonly file: string };
  /** The first rows not matched, for the screen. */
  readonly firstProblems: readonly { readonly rowNumber: number; readonly outcome: string; readonly message: string }[];
}

export async function checkOnline(
  prepared: PreparedImport,
  report: ErrorReportWriter | null,
  connection: ConnectionOptions,
  scope: ImportScope,
  changesPath?: string,
): Promise<E.Either<string, OnlineCheckSummary>> {
  const opened = await openRunContext(connection);
  if (E.isLeft(opened)) return opened;
  const context = opened.right;
  try {
    const seen = nothingSeen();
    const connection = { ...context, reads: observedReads(context.reads, seen, context.counters) };
    const checked = await checkImport(prepared, connection, { scope, cache: emptyLookupCache() });
    if (E.isLeft(checked)) return checked;
    const { result } = checked.right;
    for (const row of matchReportRows(checked.right)) await report?.add(row);
    const changes = changesPath === undefined ? undefined : await writeChanges(prepared, checked.right, connection, seen, changesPath);
    return E.right({
      ...(changes === undefined ? {} : { changes }),
      environment: context.environment,
      matchedBy: checked.right.kind,
      matched: result.matched,
      notFound: result.notFound,
      ambiguous: result.ambiguous,
      strategy: result.strategyText,
      lookupRequests: result.requests,
      scopeChanged: result.scopeChanged,
      firstProblems: result.rows
        .filter((row) => row.outcome !== 'matched')
        .slice(0, 20)
        .map((row) => ({ rowNumber: row.rowNumber, outcome: row.outcome, message: row.message })),
    });
  } catch (error) {
    return E.left(`The check against Propexo stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await context.close();
  }
}

/** `validate --changes`: the matched rows previewed against their leads, one line per field that changes. */
async function writeChanges(
  prepared: PreparedImport,
  check: ImportCheck,
  connection: RunContext,
  seen: Seen,
  path: string,
): Promise<NonNullable<OnlineCheckSummary['changes']>> {
  const matched = new Map(check.result.rows.map((row) => [row.rowNumber, row]));
  const rows: { rowNumber: number; leadId: string; payload: LeadUpdate }[] = [];
  for await (const batch of decodedRows(prepared)) {
    for (const { decoded } of batch) {
      const row = decoded.status === 'valid' ? matched.get(decoded.rowNumber) : undefined;
      if (decoded.status !== 'valid' || row?.outcome !== 'matched' || row.lead?.outcome !== 'matched') continue;
      rows.push({ rowNumber: decoded.rowNumber, leadId: row.lead.leadId, payload: { ...decoded.payload, ...row.resolved } as LeadUpdate });
    }
  }
  const before = connection.counters.read;
  const { previewed } = await previewRows(rows, connection, seen);
  const writer = await openChangesFile(path);
  try {
    for (const row of previewed) await writer.add(row);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { ...countChanges(previewed), readRequests: connection.counters.read - before, file: path };
}
