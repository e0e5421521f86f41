// A run's reports stand or fall together (reports-together.ts): all committed once filled, or,
// when opening, filling or committing one fails, every one opened aborted and the error thrown.
import { describe, expect, it } from 'vitest';
import { writeReportsTogether, type StagedReport } from '../../../app/report/reports-together.ts';

const report = (name: string, log: string[], failCommit = false): StagedReport => ({
  commit: async () => {
    log.push(`commit ${name}`);
    if (failCommit) throw new Error(`disk full writing ${name}`);
  },
  abort: async () => {
    log.push(`abort ${name}`);
  },
});

describe('writeReportsTogether', () => {
  it('commits every report it opened once they are filled', async () => {
    const log: string[] = [];
    await writeReportsTogether(async (open) => {
      await open(Promise.resolve(report('results', log)));
      await open(Promise.resolve(report('errors', log)));
      log.push('filled');
    });
    expect(log).toEqual(['filled', 'commit results', 'commit errors']);
  });

  it('aborts every report opened when filling fails, commits none, and throws the error', async () => {
    const log: string[] = [];
    const writing = writeReportsTogether(async (open) => {
      await open(Promise.resolve(report('results', log)));
      await open(Promise.resolve(report('errors', log)));
      throw new Error('the file cannot be read again');
    });
    await expect(writing).rejects.toThrow('the file cannot be read again');
    expect(log).toEqual(['abort results', 'abort errors']);
  });

  it('aborts the reports opened before one that cannot be opened', async () => {
    const log: string[] = [];
    const writing = writeReportsTogether(async (open) => {
      await open(Promise.resolve(report('results', log)));
      await open(Promise.reject(new Error('Cannot write the report errors.csv (EACCES)')));
    });
    await expect(writing).rejects.toThrow('EACCES');
    expect(log).toEqual(['abort results']);
  });

  it('aborts them all when a commit fails', async () => {
    const log: string[] = [];
    const writing = writeReportsTogether(async (open) => {
      await open(Promise.resolve(report('results', log, true)));
      await open(Promise.resolve(report('errors', log)));
    });
    await expect(writing).rejects.toThrow('disk full writing results');
    expect(log).toEqual(['commit results', 'abort results', 'abort errors']);
  });
});
