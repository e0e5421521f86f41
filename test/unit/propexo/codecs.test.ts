import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../../app/propexo/schema.ts';
import {
  LeadUpdateAnswer,
  RetryWriteAnswer,
  WriteLogsAnswer,
  WriteLogStatus,
  WriteStatusAnswer,
  WriteStatusValue,
} from '../../../app/propexo/codecs.ts';

const schemas = openApiDocument.components.schemas;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const conforms = (schema: object, value: unknown) => {
  const validate = ajv.compile(schema);
  return validate(value) ? true : validate.errors;
};

// Fixtures shaped as Propexo documents them (checked against the OpenAPI excerpt below).
const updateAnswer = { job_id: 'job_123', data: {} };
const writeStatusAnswer = { write_status: 'FAILURE', errors: ['Phone number invalid in PMS'], created_record_id: null };
const retryAnswer = { success: true, job_id: 'job_456' };
const logEntry = {
  id: 'log_1',
  created_at: '2026-02-12T10:00:00.000Z',
  job_id: 'job_123',
  job_log_id: 'jl_1',
  status: 'SUCCESS',
  integration_id: 'int_1',
  job_type: 'UPDATE_LEAD',
  parameters: { email: 'someone@example.com' },
  error: null,
  name: 'Update lead',
  vendor: 'ENTRATA',
};
const logsAnswer = { results: { logs: [logEntry] } };

describe('response codecs', () => {
  it('fixtures conform to Propexo’s own schemas', () => {
    expect(conforms(schemas['_v1_leads_{id}_put_output'], updateAnswer)).toBe(true);
    expect(conforms(schemas['_v1_admin_write-status_{root_job_id}_get_output'], writeStatusAnswer)).toBe(true);
    expect(conforms(schemas['_v1_admin_retry-write_{root_job_id}_post_output'], retryAnswer)).toBe(true);
    expect(conforms(schemas['_v1_admin_logs_writes__get_output'], logsAnswer)).toBe(true);
  });

  it('enums match the OpenAPI document', () => {
    expect(Object.keys(WriteStatusValue.keys).sort()).toEqual(
      [...schemas['_v1_admin_write-status_{root_job_id}_get_output'].properties.write_status.enum].sort(),
    );
    expect(Object.keys(WriteLogStatus.keys).sort()).toEqual(
      [...schemas['_v1_admin_logs_writes__get_output'].properties.results.properties.logs.items.properties.status.enum].sort(),
    );
    const timeRange = openApiDocument.paths['/v1/admin/logs/writes/'].get.parameters.find((p) => p.name === 'time_range');
    expect([...(timeRange?.schema.enum ?? [])].sort()).toEqual(['day', 'hour', 'month', 'week']);
  });

  it('reads the job ID from either documented update answer', () => {
    expect(LeadUpdateAnswer.decode(updateAnswer)).toEqual(E.right({ job_id: 'job_123' }));
    expect(LeadUpdateAnswer.decode({ meta: { job_id: 'job_789' }, result: {} })).toEqual(E.right({ job_id: 'job_789' }));
    for (const bad of [{ data: {} }, { job_id: '' }, { meta: {} }, { job_id: 42 }, null, 'job_1']) {
      expect(E.isLeft(LeadUpdateAnswer.decode(bad)), JSON.stringify(bad)).toBe(true);
    }
  });

  it('reads a write status, treating absent errors and record ID as none', () => {
    expect(WriteStatusAnswer.decode(writeStatusAnswer)).toEqual(E.right(writeStatusAnswer));
    expect(WriteStatusAnswer.decode({ write_status: 'PENDING', extra: 1 })).toEqual(
      E.right({ write_status: 'PENDING', errors: [], created_record_id: null }),
    );
    expect(E.isLeft(WriteStatusAnswer.decode({ write_status: 'DONE', errors: [] }))).toBe(true);
  });

  it('reads a retry answer as queued-with-a-new-job or not queued', () => {
    expect(RetryWriteAnswer.decode(retryAnswer)).toEqual(E.right(retryAnswer));
    expect(RetryWriteAnswer.decode({ success: false, job_id: '' })).toEqual(E.right({ success: false, job_id: '' }));
    expect(E.isLeft(RetryWriteAnswer.decode({ success: true }))).toBe(true);
  });

  it('reads write logs leniently: keeps four fields, skips and counts unreadable entries', () => {
    const decoded = WriteLogsAnswer.decode({
      results: {
        logs: [
          logEntry,
          { ...logEntry, job_id: 'job_2', status: 'FAILURE', error: 'PMS timeout' },
          { status: 'SUCCESS' },
          { ...logEntry, status: 'PENDING' },
          { job_id: 'job_3', status: 'SUCCESS' },
        ],
      },
    });
    expect(decoded).toEqual(
      E.right({
        logs: [
          { job_id: 'job_123', status: 'SUCCESS', error: null, created_at: '2026-02-12T10:00:00.000Z' },
          { job_id: 'job_2', status: 'FAILURE', error: 'PMS timeout', created_at: '2026-02-12T10:00:00.000Z' },
          { job_id: 'job_3', status: 'SUCCESS', error: null, created_at: null },
        ],
        unreadable: 2,
      }),
    );
    expect(E.isLeft(WriteLogsAnswer.decode({ logs: [] }))).toBe(true);
  });
});
