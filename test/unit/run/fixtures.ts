import type { RunHeaderInput } from '../../../app/run/run-header.ts';

export const SHA = 'a'.repeat(64);

export function headerInput(overrides: Partial<RunHeaderInput> = {}): RunHeaderInput {
  return {
    file: {
      path: '/home/pat/leads/november.csv',
      name: 'november.csv',
      sha256: SHA,
      size: 12_345,
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
    },
    mapping: { columns: [{ index: 0, column: 'Lead ID', field: 'lead_id', method: 'exact', options: {} }] },
    environment: { name: 'sandbox', baseUrl: 'https://api.sandbox.propexo.com' },
    options: { concurrency: 4, rate: 150, maxAttempts: 5, pendingTimeoutMs: 600_000, ignoreUnknownFields: false },
    counts: { rows: 3, valid: 2, invalid: 1, skipped: 0 },
    edits: [{ row: 3, column: 'Status', value: 'ACTIVE' }],
    ...overrides,
  };
}
