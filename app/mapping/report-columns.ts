// The columns our own error and results reports add to the user's columns. A report can be
// fixed and imported again as it is, so these are recognised and never sent as lead fields.

export const REPORT_COLUMN_PREFIX = 'import_';

/** The columns the error report adds (the results file may add more `import_*` columns). */
export const ERROR_REPORT_COLUMNS = ['import_row', 'import_stage', 'import_errors'] as const;

/** True for `import_row`, `import_errors`, `import_outcome`, … (any case, surrounding spaces ignored). */
export function isReportColumn(header: string): boolean {
  const text = header.trim().toLowerCase();
  return text.startsWith(REPORT_COLUMN_PREFIX) && text.length > REPORT_COLUMN_PREFIX.length;
}
