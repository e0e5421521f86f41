import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { CellFailure } from '../../../app/lead/cell-codec.ts';
import { IsoDateFromCell, daysInMonth, isIsoDate } from '../../../app/lead/date-cell.ts';
import type { Cell } from '../../../app/source/types.ts';

const mdy = IsoDateFromCell();
const dmy = IsoDateFromCell({ order: 'DMY' });

function value(codec: typeof mdy, cell: Cell): string {
  const result = codec.parse(cell);
  if (result instanceof CellFailure) throw new Error(`expected ${String(cell)} to decode, got: ${result.message}`);
  return result;
}

function refusal(codec: typeof mdy, cell: Cell): string {
  const result = codec.parse(cell);
  if (!(result instanceof CellFailure)) throw new Error(`expected ${String(cell)} to fail, got ${result}`);
  return result.message;
}

describe('IsoDateFromCell', () => {
  it.each([
    ['2025-03-07', '2025-03-07'],
    [' 2025-03-07 ', '2025-03-07'],
    ['2025/03/07', '2025-03-07'],
    ['2025.03.07', '2025-03-07'],
    ['2025-3-7', '2025-03-07'],
    ['3/7/2025', '2025-03-07'],
    ['03/07/2025', '2025-03-07'],
    ['3-7-2025', '2025-03-07'],
    ['3.7.2025', '2025-03-07'],
    ['12/31/2025', '2025-12-31'],
    ['Mar 7, 2025', '2025-03-07'],
    ['March 7, 2025', '2025-03-07'],
    ['march 7 2025', '2025-03-07'],
    ['7 Mar 2025', '2025-03-07'],
    ['7 March 2025', '2025-03-07'],
    ['7-Mar-2025', '2025-03-07'],
    ['Sept 30, 2025', '2025-09-30'],
    ['Friday, March 7th, 2025', '2025-03-07'],
    ['Mar. 1st 2025', '2025-03-01'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
  ])('reads %j as %s (month first)', (cell, expected) => {
    expect(value(mdy, cell)).toBe(expected);
  });

  it('reads day first with order DMY, with every separator', () => {
    expect(value(dmy, '7/3/2025')).toBe('2025-03-07');
    expect(value(dmy, '07-03-2025')).toBe('2025-03-07');
    expect(value(dmy, '7.3.2025')).toBe('2025-03-07');
    expect(value(dmy, '13/1/2025')).toBe('2025-01-13');
    // Unambiguous writings read the same whatever the order.
    expect(value(dmy, '2025-03-07')).toBe('2025-03-07');
    expect(value(dmy, 'Mar 7, 2025')).toBe('2025-03-07');
    expect(value(dmy, '7 Mar 2025')).toBe('2025-03-07');
  });

  it('keeps the date as written in an ISO date-time, whatever its time zone', () => {
    expect(value(mdy, '2025-03-07T23:30:00-05:00')).toBe('2025-03-07');
    expect(value(mdy, '2025-03-07T00:30:00+14:00')).toBe('2025-03-07');
    expect(value(mdy, '2025-03-07T23:59:59.999Z')).toBe('2025-03-07');
    expect(value(mdy, '2025-03-07 10:00')).toBe('2025-03-07');
    expect(value(mdy, '3/7/2025 2:30 PM')).toBe('2025-03-07');
  });

  it('takes the UTC calendar day of an XLSX Date cell', () => {
    expect(value(mdy, new Date(Date.UTC(2025, 2, 7)))).toBe('2025-03-07');
    expect(value(mdy, new Date(Date.UTC(2025, 2, 7, 23, 59)))).toBe('2025-03-07');
    expect(value(dmy, new Date(Date.UTC(1999, 11, 31)))).toBe('1999-12-31');
  });

  it('round-trips every real date written as M/D/YYYY, D/M/YYYY and YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        fc.pre(d <= daysInMonth(y, m));
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        expect(value(mdy, `${m}/${d}/${y}`)).toBe(iso);
        expect(value(dmy, `${d}/${m}/${y}`)).toBe(iso);
        expect(value(mdy, iso)).toBe(iso);
        expect(value(mdy, new Date(Date.UTC(y, m - 1, d)))).toBe(iso);
      }),
    );
  });

  it.each([
    ['2025-02-30', "'2025-02-30' is not a real date (February 2025 has 28 days)"],
    ['2/29/2025', "'2/29/2025' is not a real date (February 2025 has 28 days)"],
    ['1900-02-29', "'1900-02-29' is not a real date (February 1900 has 28 days)"],
    ['2025-04-31', "'2025-04-31' is not a real date (April 2025 has 30 days)"],
    ['2025-13-01', "'2025-13-01' is not a real date (there is no month 13)"],
    ['2025-00-10', "'2025-00-10' is not a real date (there is no month 0)"],
    ['2025-01-00', "'2025-01-00' is not a real date (there is no day 0)"],
    ['Feb 30, 2025', "'Feb 30, 2025' is not a real date (February 2025 has 28 days)"],
  ])('refuses the impossible date %j', (cell, message) => {
    expect(refusal(mdy, cell)).toBe(message);
  });

  it('points at the date order when month and day look swapped', () => {
    expect(refusal(mdy, '13/1/2025')).toBe(
      "'13/1/2025' is not a real date (there is no month 13; if it is day/month/year, set the column's date order to DMY)",
    );
    expect(refusal(dmy, '1/13/2025')).toBe(
      "'1/13/2025' is not a real date (there is no month 13; if it is month/day/year, set the column's date order to MDY)",
    );
  });

  it.each([
    [
      '3/7/25',
      "'3/7/25' has a 2-digit year: write the year with 4 digits (2025 or 1925?), or set the column's twoDigitYears to 2000s or 1900s",
    ],
    [
      'Mar 7, 25',
      "'Mar 7, 25' has a 2-digit year: write the year with 4 digits (2025 or 1925?), or set the column's twoDigitYears to 2000s or 1900s",
    ],
    [
      '7-Mar-99',
      "'7-Mar-99' has a 2-digit year: write the year with 4 digits (2099 or 1999?), or set the column's twoDigitYears to 2000s or 1900s",
    ],
  ])('refuses the 2-digit year in %j when the column gives no century', (cell, message) => {
    expect(refusal(mdy, cell)).toBe(message);
  });

  it.each([
    ['3/7/25', '2000s', '2025-03-07'],
    ['3/7/25', '1900s', '1925-03-07'],
    ['7-Mar-99', '1900s', '1999-03-07'],
    ['Mar 7, 25', '2000s', '2025-03-07'],
    ['12/31/99 10:00 PM', '1900s', '1999-12-31'],
  ] as const)("reads the 2-digit year in %j in the column's century (%s)", (cell, century, iso) => {
    expect(IsoDateFromCell({ twoDigitYears: century }).decode(cell)).toEqual(E.right(iso));
  });

  it('keeps 4-digit years and refusals as they are in a column with a century', () => {
    const codec = IsoDateFromCell({ twoDigitYears: '2000s', order: 'DMY' });
    expect(codec.decode('7/3/1999')).toEqual(E.right('1999-03-07'));
    expect(refusal(codec, '31/2/25')).toBe("'31/2/25' is not a real date (February 2025 has 28 days)");
  });

  it.each([
    ['15 Apr, 2021 00:03:00', '2021-04-15'],
    ['10/01/2025 at 09:15 AM', '2025-10-01'],
    ['10/01/2025, 09:15', '2025-10-01'],
    ['Dec 1, 2025 at 9:15 pm', '2025-12-01'],
    ['2015-12-22T18:45:11.000Z', '2015-12-22'],
    ['Dec 1, 2025', '2025-12-01'],
  ])('reads the export writing %j', (cell, iso) => {
    expect(mdy.decode(cell)).toEqual(E.right(iso));
  });

  it('still refuses a time that is not one after a date', () => {
    expect(refusal(mdy, '15 Apr, 2021 25:03:00')).toBe(
      "'15 Apr, 2021 25:03:00' is not a date (write it like 2025-03-07, 3/7/2025 or Mar 7, 2025)",
    );
    expect(refusal(mdy, '10/01/2025 at noon')).toBe(
      "'10/01/2025 at noon' is not a date (write it like 2025-03-07, 3/7/2025 or Mar 7, 2025)",
    );
  });

  it.each(['soon', 'next week', '2025-03-07T25:00', '2025-03-07 and later', '3/7', '12345/1/2025', '2025'])(
    'refuses %j as not a date',
    (cell) => {
      expect(refusal(mdy, cell)).toBe(`'${cell}' is not a date (write it like 2025-03-07, 3/7/2025 or Mar 7, 2025)`);
    },
  );

  it('shows the day-first example to a DMY column', () => {
    expect(refusal(dmy, 'soon')).toBe("'soon' is not a date (write it like 2025-03-07, 7/3/2025 or Mar 7, 2025)");
  });

  it('suggests the month a misspelt month name means', () => {
    expect(refusal(mdy, 'Mrch 7, 2025')).toBe("'Mrch 7, 2025' is not a date ('Mrch' is not a month; did you mean March?)");
  });

  it('explains an XLSX number in a date column, with the date its serial would be', () => {
    expect(refusal(mdy, 45723)).toBe(
      "'45723' is a number, not a date (as an Excel date it would be 2025-03-07: format the column as a date)",
    );
    expect(refusal(mdy, 3.5)).toBe("'3.5' is not a date");
    expect(refusal(mdy, true)).toBe("'TRUE' is not a date");
    expect(refusal(mdy, new Date(Number.NaN))).toBe('the cell holds an invalid date');
  });

  it('is() accepts only real ISO dates, and encode is the ISO text', () => {
    expect(mdy.is('2025-03-07')).toBe(true);
    expect(isIsoDate('2025-02-30')).toBe(false);
    expect(isIsoDate('3/7/2025')).toBe(false);
    expect(mdy.encode('2025-03-07')).toBe('2025-03-07');
  });
});
