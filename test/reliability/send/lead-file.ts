// The lead files the reliability scenarios send: deterministic for a row count, with what a real
// file has (rows that update a lead an earlier row updates, a few invalid rows, a few rows with
// nothing to change, leads the server does not know) and one marker per row (`first_name` =
// `Row<n>`) so the simulator's record names the file row of every request it saw.
//
// The marker and the column layout are those of test/integration/send/send-harness.ts. That
// module registers an `afterEach` when imported, so it loads only inside vitest; the soak
// runner runs these scenarios outside vitest, hence this small model of its own.
import { writeFile } from 'node:fs/promises';

export const LEAD_FILE_HEADER = 'Lead ID,First Name,Status,Beds';

export type RowKind = 'valid' | 'invalid' | 'skipped';

export interface SourceRow {
  /** The row number in the file (the header is row 1). */
  readonly rowNumber: number;
  readonly leadId: string;
  readonly kind: RowKind;
}

export interface LeadFile {
  readonly path: string;
  readonly rows: readonly SourceRow[];
  /** Valid rows: the rows a run sends. */
  readonly valid: readonly SourceRow[];
  /** Row number → row. */
  readonly byRow: ReadonlyMap<number, SourceRow>;
  /** Leads the simulator answers 404 for (pass as `missingLeadIds`). */
  readonly missingLeads: readonly string[];
}

export interface LeadFileOptions {
  /** Every n-th row has a status Propexo does not know (invalid). 0: none. Default 25. */
  readonly invalidEvery?: number;
  /** Every n-th row has nothing to change (skipped). 0: none. Default 41. */
  readonly skippedEvery?: number;
  /** Every n-th new lead is unknown to the server (404, rejected). 0: none. Default 97. */
  readonly missingEvery?: number;
}

export const markerOf = (rowNumber: number): string => `Row${rowNumber}`;

/** The file row a request body came from, by its marker. */
export function rowOfBody(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const name = (body as Record<string, unknown>).first_name;
  const match = typeof name === 'string' ? /^Row(\d+)$/.exec(name) : null;
  return match ? Number(match[1]) : undefined;
}

const STATUSES = ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'];

/**
 * The rows of a file of `count` data rows. Row i (0-based) updates a new lead, except: every
 * 7th row (i % 7 = 3) updates the lead of the row just before it and every 13th (i % 13 = 9)
 * the lead of the row five before, so chains of two and three rows for one lead are common and
 * the engine's per-lead ordering is exercised throughout the file.
 */
export function planRows(count: number, options: LeadFileOptions = {}): { rows: SourceRow[]; missingLeads: string[] } {
  const invalidEvery = options.invalidEvery ?? 25;
  const skippedEvery = options.skippedEvery ?? 41;
  const missingEvery = options.missingEvery ?? 97;
  const rows: SourceRow[] = [];
  const missingLeads: string[] = [];
  let newLeads = 0;
  for (let i = 0; i < count; i++) {
    let leadId: string;
    if (i % 7 === 3 && i >= 1) leadId = rows[i - 1].leadId;
    else if (i % 13 === 9 && i >= 5) leadId = rows[i - 5].leadId;
    else {
      newLeads++;
      const missing = missingEvery > 0 && newLeads % missingEvery === missingEvery >> 1;
      leadId = missing ? `gone-${i + 1}` : `lead-${i + 1}`;
      if (missing) missingLeads.push(leadId);
    }
    const kind: RowKind =
      invalidEvery > 0 && i % invalidEvery === invalidEvery >> 1
        ? 'invalid'
        : skippedEvery > 0 && i % skippedEvery === skippedEvery >> 1
          ? 'skipped'
          : 'valid';
    rows.push({ rowNumber: i + 2, leadId, kind });
  }
  return { rows, missingLeads };
}

function line(row: SourceRow, index: number): string {
  switch (row.kind) {
    case 'invalid':
      return `${row.leadId},${markerOf(row.rowNumber)},Nope,${index % 4}`;
    case 'skipped':
      return `${row.leadId},,,`;
    case 'valid':
      return `${row.leadId},${markerOf(row.rowNumber)},${STATUSES[index % STATUSES.length]},${index % 4}`;
  }
}

/** Writes the file and returns its model. */
export async function writeLeadFile(path: string, count: number, options: LeadFileOptions = {}): Promise<LeadFile> {
  const { rows, missingLeads } = planRows(count, options);
  const chunks: string[] = [`${LEAD_FILE_HEADER}\n`];
  for (let i = 0; i < rows.length; i++) chunks.push(`${line(rows[i], i)}\n`);
  await writeFile(path, chunks.join(''));
  return {
    path,
    rows,
    valid: rows.filter((r) => r.kind === 'valid'),
    byRow: new Map(rows.map((r) => [r.rowNumber, r])),
    missingLeads,
  };
}
