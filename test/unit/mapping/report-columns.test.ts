import { describe, expect, it } from 'vitest';
import { fieldSpecs } from '../../../app/lead/fields.ts';
import { ERROR_REPORT_COLUMNS, isReportColumn, REPORT_COLUMN_PREFIX } from '../../../app/mapping/report-columns.ts';

describe('isReportColumn', () => {
  it('recognises the error report columns and any import_* results column', () => {
    for (const column of [...ERROR_REPORT_COLUMNS, 'import_outcome', 'import_job_id', ' IMPORT_ROW ']) {
      expect(isReportColumn(column), column).toBe(true);
    }
  });

  it('does not take ordinary headers for report columns', () => {
    for (const column of ['import_', 'Import Row', 'row', 'imported', 'status', 'my_import_row']) {
      expect(isReportColumn(column), column).toBe(false);
    }
  });

  it('can never hide a lead field', () => {
    expect(fieldSpecs.filter((spec) => spec.name.startsWith(REPORT_COLUMN_PREFIX))).toEqual([]);
  });
});
