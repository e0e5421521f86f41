import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvLine, neutralizeFormula, quoteField, restoreNeutralized } from '../../../app/report/csv-safety.ts';

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+cmd|/C calc!A0', `'+cmd|/C calc!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tindent', `'\tindent`],
    ['\rline', `'\rline`],
  ])('prefixes %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  it.each(['-2', '+15551234567', '-1.5', 'Zoë', '', 'a=b', "'quoted"])('leaves %j as it is', (input) => {
    expect(neutralizeFormula(input)).toBe(input);
  });

  it('is undone by restoreNeutralized for every string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", 'a', '1', '.', ' ', 'é') }), (text) => {
        expect(restoreNeutralized(neutralizeFormula(text))).toBe(text);
      }),
    );
  });

  it('does not strip an apostrophe the user wrote before ordinary text', () => {
    expect(restoreNeutralized("'hello")).toBe("'hello");
    expect(restoreNeutralized("'-2")).toBe("'-2");
  });
});

describe('csvLine', () => {
  it('quotes every field, doubles quotes and ends with CRLF', () => {
    expect(csvLine(['a', 'say "hi"', 'x,y', 'two\nlines'])).toBe('"a","say ""hi""","x,y","two\nlines"\r\n');
  });

  it('neutralizes formulas inside the quotes', () => {
    expect(csvLine(['=1+1'])).toBe(`"'=1+1"\r\n`);
    expect(quoteField('=1+1')).toBe('"=1+1"');
  });
});
