// The reports of one run stand or fall together (a results file without its error report, or
// the other way round, would tell half a story): each is staged beside its target and moved
// into place on commit (staged-file.ts). Once every one is filled, each is committed; if
// opening, filling or committing any of them fails, every one opened is aborted (its staged
// file removed, its target untouched) and the error thrown.

/** A report staged until `commit`: results-file.ts, csv-file-writer.ts, error-report.ts. */
export interface StagedReport {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Opens a report for `fill`, remembering it to commit or abort with the others. */
export type OpenReport = <R extends StagedReport>(opening: Promise<R>) => Promise<R>;

export async function writeReportsTogether(fill: (open: OpenReport) => Promise<void>): Promise<void> {
  const opened: StagedReport[] = [];
  const open: OpenReport = async (opening) => {
    const report = await opening;
    opened.push(report);
    return report;
  };
  try {
    await fill(open);
    for (const report of opened) await report.commit();
  } catch (error) {
    for (const report of opened) await report.abort();
    throw error;
  }
}
