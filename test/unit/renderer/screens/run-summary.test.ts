import { describe, expect, it } from 'vitest';
import { finishedLine, interruptedLine, outcomeLine } from '../../../../renderer/screens/run-summary.ts';

describe('run summaries', () => {
  it('says how a run went in the words of the screens, merging the journal’s kinds of failure', () => {
    expect(outcomeLine({ outcomes: { succeeded: 36, write_failed: 1, failed: 2, invalid: 3 } })).toBe('36 succeeded, 3 failed');
    expect(outcomeLine({ outcomes: { accepted: 17, sent: 4 } })).toBe('17 awaiting an answer, 4 sent, no answer yet');
    expect(outcomeLine({ outcomes: {} })).toBe('nothing sent yet');
    expect(outcomeLine({ outcomes: { odd_state: 2 } })).toBe('2 odd state');
    expect(outcomeLine({ outcomes: { succeeded: 5, unchanged: 7 } })).toBe('5 succeeded, 7 already up to date');
  });

  it('says how far an interrupted run got', () => {
    expect(interruptedLine({ rows: 240, outcomes: { accepted: 17, sent: 4, invalid: 2 } })).toBe(
      '21 of 240 rows handled before it stopped',
    );
  });
});

describe('the notice when a run ends out of sight', () => {
  const clean = { succeeded: 3, failed: 0, rejected: 0, unknown: 0, notSent: 0 };
  it('names the run by its file, never by its run id', () => {
    expect(finishedLine({ fileName: 'leads.csv', undo: false }, clean)).toBe('Run of leads.csv finished: 3 rows succeeded.');
    expect(finishedLine({ fileName: 'leads.csv', undo: false }, { ...clean, failed: 1, notSent: 1 })).toBe(
      'Run of leads.csv finished: 3 rows succeeded, 2 rows did not.',
    );
    expect(finishedLine({ fileName: null, undo: false }, { ...clean, succeeded: 1 })).toBe('A run finished: 1 row succeeded.');
  });

  it('says an undo is the undo of that file’s run, counting the leads written back', () => {
    expect(finishedLine({ fileName: 'leads.csv', undo: true }, { ...clean, succeeded: 2 })).toBe(
      'Undo of the run of leads.csv finished: 2 leads written back.',
    );
    expect(finishedLine({ fileName: 'leads.csv', undo: true }, { ...clean, succeeded: 1, unknown: 1 })).toBe(
      'Undo of the run of leads.csv finished: 1 lead written back, 1 lead not.',
    );
  });
});
