// `validate --env ENV`: the check against Propexo of the rows that decode (app/lookup), over a
// connection opened for it (practice: the in-process simulator) and closed after. Nothing is
// written to Propexo; not-found and ambiguous rows go in the error report at stage `match`.
import * as E from 'fp-ts/Either';
import { checkImport, matchReportRows, type ImportScope } from '../lookup/check-import.ts';
import { emptyLookupCache } from '../lookup/lookup-cache.ts';
import type { ErrorReportWriter } from '../report/report-writer.ts';
import { openRunContext, type ConnectionOptions } from '../run/run-context.ts';
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
  /** The first rows not matched, for the screen. */
  readonly firstProblems: readonly { readonly rowNumber: number; readonly outcome: string; readonly message: string }[];
}

export async function checkOnline(
  prepared: PreparedImport,
  report: ErrorReportWriter | null,
  connection: ConnectionOptions,
  scope: ImportScope,
): Promise<E.Either<string, OnlineCheckSummary>> {
  const opened = await openRunContext(connection);
  if (E.isLeft(opened)) return opened;
  const context = opened.right;
  try {
    const checked = await checkImport(prepared, context, { scope, cache: emptyLookupCache() });
    if (E.isLeft(checked)) return checked;
    const { result } = checked.right;
    for (const row of matchReportRows(checked.right)) await report?.add(row);
    return E.right({
      environment: context.environment,
      matchedBy: checked.right.kind,
      matched: result.matched,
      notFound: result.notFound,
      ambiguous: result.ambiguous,
      strategy: result.strategyText,
      lookupRequests: result.requests,
      scopeChanged: result.scopeChanged,
      firstProblems: result.rows.filter((row) => row.outcome !== 'matched').slice(0, 20).map((row) => ({ rowNumber: row.rowNumber, outcome: row.outcome, message: row.message })),
    });
  } catch (error) {
    return E.left(`The check against Propexo stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await context.close();
  }
}
