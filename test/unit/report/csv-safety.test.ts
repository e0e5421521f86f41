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
    ['\nline', `'\nline`],
    // Spreadsheets skip leading whitespace (and a NUL) before they look for a formula.
    ['\u0000=1+1', `'\u0000=1+1`],
    ['\u0000', `'\u0000`],
    ['\u0000plain', `'\u0000plain`],
    [' =HYPERLINK("http://x","y")', `' =HYPERLINK("http://x","y")`],
    ['   +cmd|/C calc!A0', `'   +cmd|/C calc!A0`],
    [' -2+3', `' -2+3`],
    [' @SUM(A1)', `' @SUM(A1)`],
    [' \t=1', `' \t=1`],
    ['  \r\n=1', `'  \r\n=1`],
  ])('prefixes %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  it.each(['-2', '+15551234567', '-1.5', 'Zoë', '', 'a=b', "'quoted", ' leading space', '  ', ' -2', ' a=b', " 'quoted"])(
    'leaves %j as it is',
    (input) => {
      expect(neutralizeFormula(input)).toBe(input);
    },
  );

  it('is undone by restoreNeutralized for every string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\u0000', "'", 'a', '1', '.', ' ', 'é') }),
        (text) => {
          expect(restoreNeutralized(neutralizeFormula(text))).toBe(text);
        },
      ),
    );
  });

  it('never lets a spreadsheet see a formula: after the leading blanks and NULs, no trigger unless prefixed', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\u0000', ' ', "'", 'a', '1') }), (text) => {
        const out = neutralizeFormula(text);
        let at = 0;
        while (at < out.length && (out[at] === '\u0000' || /\s/.test(out[at]))) at++;
        const start = out.slice(at);
        if (out[0] !== "'" && start.length > 0 && '=+-@'.includes(start[0])) expect(start).toMatch(/^[+-]?\d+(?:\.\d+)?$/);
        if (out[0] !== "'") expect(out[0]).not.toBe('\u0000');
      }),
    );
  });

  it('round-trips through a CSV report read back by papaparse, as a re-import does', async () => {
    const { default: Papa } = await import('papaparse');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\n', '\u0000', ' ', "'", '"', ',', 'a', '1') }), {
          minLength: 1,
          maxLength: 4,
        }),
        (cells) => {
          const parsed = Papa.parse<string[]>(csvLine(cells), { newline: '\r\n', delimiter: ',' }).data[0];
          expect(parsed.map(restoreNeutralized)).toEqual(cells);
        },
      ),
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
