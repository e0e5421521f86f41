import { describe, expect, it } from 'vitest';
import {
  finishedLine,
  interruptedLine,
  outcomeLine,
  undoFoundItem,
  undoFoundLine,
  undoFoundMore,
} from '../../../../renderer/screens/run-summary.ts';
import type { UndoFieldView } from '../../../../app/shared/views.ts';

describe('run summaries', () => {
  it('says how a run went in the words of the screens, merging the journal’s kinds of failure', () => {
    expect(outcomeLine({ outcomes: { succeeded: 36, write_failed: 1, failed: 2, invalid: 3 }, undoOf: null })).toBe(
      '36 succeeded, 3 failed',
    );
    expect(outcomeLine({ outcomes: { accepted: 17, sent: 4 }, undoOf: null })).toBe('17 awaiting an answer, 4 sent, no answer yet');
    expect(outcomeLine({ outcomes: {}, undoOf: null })).toBe('nothing sent yet');
    expect(outcomeLine({ outcomes: { odd_state: 2 }, undoOf: null })).toBe('2 odd state');
    // An undo's rows not written back were left alone (someone changed them since), not "up to date".
    expect(outcomeLine({ outcomes: { succeeded: 5, unchanged: 2 }, undoOf: 'run-1' })).toBe('5 succeeded, 2 left alone');
    expect(outcomeLine({ outcomes: { succeeded: 5, unchanged: 2 }, undoOf: null })).toBe('5 succeeded, 2 already up to date');
    expect(outcomeLine({ outcomes: { succeeded: 5, unchanged: 7 }, undoOf: null })).toBe('5 succeeded, 7 already up to date');
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

describe('what an undo found while it ran', () => {
  const phone: UndoFieldView = {
    row: 12,
    leadId: 'L-7',
    field: 'phone_1',
    verdict: 'changed_since',
    before: '555-0100',
    written: '555-0199',
    current: '555-0142',
    reason: 'changed since the import',
  };
  const labels: Record<string, string> = { phone_1: 'Phone', email: 'Email' };
  const label = (name: string): string => labels[name] ?? name;

  it('says plainly how many fields someone else changed and that they were left as they are', () => {
    expect(undoFoundLine({ leftAlone: 2 })).toBe('2 fields were changed by someone else while the undo ran and were left as they are:');
    expect(undoFoundLine({ leftAlone: 1 })).toBe('1 field was changed by someone else while the undo ran and was left as it is:');
    expect(undoFoundLine({ leftAlone: 0 })).toBeNull();
  });

  it('names each field by the lead, its row and the field’s label, with the values now, written and from before', () => {
    expect(undoFoundItem(phone, label)).toBe(
      'Lead L-7 (row 12) — Phone: now “555-0142” (the import wrote “555-0199”; before it, “555-0100”)',
    );
    expect(undoFoundItem({ ...phone, field: 'email', current: '', before: null }, label)).toBe(
      'Lead L-7 (row 12) — Email: now (blank) (the import wrote “555-0199”; before it, unknown)',
    );
  });

  it('points to the error report when the list holds the first fields only', () => {
    expect(undoFoundMore({ leftAlone: 1, fields: [phone] })).toBeNull();
    expect(undoFoundMore({ leftAlone: 2, fields: [phone] })).toBe('… and 1 more field left as it is.');
    expect(undoFoundMore({ leftAlone: 203, fields: Array.from({ length: 200 }, () => phone) })).toBe(
      '… and 3 more fields left as they are.',
    );
  });

  it('says so in the notice when the undo ends out of sight', () => {
    const summary = { succeeded: 2, failed: 0, rejected: 0, unknown: 0, notSent: 0 };
    expect(finishedLine({ fileName: 'leads.csv', undo: true }, { ...summary, undo: { undoOf: 'r', leftAlone: 1, fields: [phone] } })).toBe(
      'Undo of the run of leads.csv finished: 2 leads written back; 1 field changed meanwhile left as it is.',
    );
    expect(finishedLine({ fileName: 'leads.csv', undo: true }, { ...summary, undo: { undoOf: 'r', leftAlone: 0, fields: [] } })).toBe(
      'Undo of the run of leads.csv finished: 2 leads written back.',
    );
  });
});
