import { describe, expect, it } from 'vitest';
import { interruptedLine, outcomeLine } from '../../../../renderer/screens/run-summary.ts';

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
