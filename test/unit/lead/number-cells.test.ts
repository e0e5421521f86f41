import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { CellCodec, CellFailure } from '../../../app/lead/cell-codec.ts';
import {
  CentsFromMoneyCell,
  IntegerFromCell,
  NonNegativeIntegerFromCell,
  NumberFromCell,
  dollarText,
} from '../../../app/lead/number-cells.ts';
import type { Cell } from '../../../app/source/types.ts';

function value<A>(codec: CellCodec<A>, cell: Cell): A {
  const result = codec.parse(cell);
  if (result instanceof CellFailure) throw new Error(`expected ${JSON.stringify(cell)} to decode, got: ${result.message}`);
  return result;
}

function refusal<A>(codec: CellCodec<A>, cell: Cell): string {
  const result = codec.parse(cell);
  if (!(result instanceof CellFailure)) throw new Error(`expected ${JSON.stringify(cell)} to fail, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('IntegerFromCell', () => {
  const occupants = IntegerFromCell({ minimum: 0 });

  it.each([
    ['3', 3],
    ['3.0', 3],
    [' 12 ', 12],
    ['1,250', 1250],
    ['1 250', 1250],
    ['1.234.567', 1234567],
    ['+4', 4],
    ['0', 0],
    ['-0', 0],
  ])('reads %j as %d', (cell, expected) => {
    expect(Object.is(value(occupants, cell), expected)).toBe(true);
  });

  it.each([
    ['3.5', "'3.5' is not a whole number"],
    ['3,5', "'3,5' is not a whole number"],
    ['-2', "'-2' must be 0 or more"],
    ['abc', "'abc' is not a number"],
    ['3 people', "'3 people' is not a number"],
    ['$3', "'$3' is not a number"],
    ['12 34', "'12 34' is not a number"],
    ['99999999999999999999', "'99999999999999999999' is too large"],
  ])('refuses %j', (cell, message) => {
    expect(refusal(occupants, cell)).toBe(message);
  });

  it('uses XLSX numbers as typed, reading formula noise as Excel shows it', () => {
    expect(value(occupants, 4)).toBe(4);
    expect(value(occupants, 3.0000000000000004)).toBe(3);
    expect(refusal(occupants, 2.5)).toBe("'2.5' is not a whole number");
    expect(refusal(occupants, -1)).toBe("'-1' must be 0 or more");
    expect(refusal(occupants, Number.NaN)).toBe("'NaN' is not a number");
  });

  it('refuses XLSX booleans and dates', () => {
    expect(refusal(occupants, true)).toBe("'TRUE' is not a number");
    expect(refusal(occupants, new Date(Date.UTC(2025, 0, 1)))).toBe("'2025-01-01' is not a number");
  });

  it('is NonNegativeIntegerFromCell with minimum 0', () => {
    expect(NonNegativeIntegerFromCell.name).toBe('NonNegativeIntegerFromCell');
    expect(refusal(NonNegativeIntegerFromCell, '-1')).toBe("'-1' must be 0 or more");
  });

  it('allows negatives without a minimum', () => {
    expect(value(IntegerFromCell(), '-2')).toBe(-2);
  });

  it('is() follows the same rules', () => {
    expect(occupants.is(3)).toBe(true);
    expect(occupants.is(3.5)).toBe(false);
    expect(occupants.is(-1)).toBe(false);
    expect(occupants.encode(3)).toBe('3');
  });
});

describe('NumberFromCell', () => {
  const bathrooms = NumberFromCell({ minimum: 0 });

  it.each([
    ['2.5', 2.5],
    ['2,5', 2.5],
    ['1250,50', 1250.5],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['1,250', 1250],
    ['1 250,5', 1250.5],
    ["1'250.5", 1250.5],
    ['0,125', 0.125],
    ['.5', 0.5],
    ['0.1', 0.1],
    ['3', 3],
  ])('reads %j as %d', (cell, expected) => {
    expect(value(bathrooms, cell)).toBe(expected);
  });

  it('reads a number exactly as Number() reads its canonical text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 9999 }), (whole, fraction) => {
        const text = `${whole}.${String(fraction).padStart(4, '0')}`;
        expect(value(bathrooms, text)).toBe(Number(text));
        expect(value(bathrooms, whole.toLocaleString('en-US') + '.' + String(fraction).padStart(4, '0'))).toBe(Number(text));
      }),
    );
  });

  it.each([
    ['-1', "'-1' must be 0 or more"],
    ['two', "'two' is not a number"],
    ['1,2,3', "'1,2,3' is not a number"],
    ['1.2.3,4.5', "'1.2.3,4.5' is not a number"],
    ['1 234.567,5', "'1 234.567,5' is not a number"],
    ['null', "'null' is not a number"],
  ])('refuses %j', (cell, message) => {
    expect(refusal(bathrooms, cell)).toBe(message);
  });

  it('rounds a number with more decimals than a double keeps, as Number() does', () => {
    expect(value(bathrooms, '2.333333333333333333333')).toBe(Number('2.333333333333333333333'));
    expect(value(IntegerFromCell(), '3.000000000000000000000')).toBe(3);
  });

  it('sends null for the word null only when the field is nullable', () => {
    const nullable = NumberFromCell({ nullable: true });
    expect(value(nullable, 'NULL')).toBeNull();
    expect(value(nullable, 'Null')).toBeNull();
    expect(nullable.encode(null)).toBe('null');
  });

  it('uses XLSX numbers as typed', () => {
    expect(value(bathrooms, 1.5)).toBe(1.5);
    expect(value(bathrooms, 0.1 + 0.2)).toBe(0.3);
  });
});

describe('CentsFromMoneyCell', () => {
  const dollars = CentsFromMoneyCell({ unit: 'dollars', integer: true, minimum: 0 });
  const cents = CentsFromMoneyCell({ unit: 'cents', integer: true, minimum: 0 });
  const fractionalCents = CentsFromMoneyCell({ unit: 'cents', integer: false, minimum: 0 });
  const minRent = CentsFromMoneyCell({ unit: 'dollars', integer: false, minimum: undefined, nullable: true });

  it.each([
    ['2,500/mo', 250000],
    ['$2,500 /mo.', 250000],
    ['2500/month', 250000],
    ['$2,500 per month', 250000],
    ['1.250,50 € a month', 125050],
    ['2,500/Mo', 250000],
    ['USD 2,500 / mth', 250000],
  ])('reads the monthly amount %j', (cell, value) => {
    expect(dollars.decode(cell)).toEqual(E.right(value));
  });

  it('refuses an amount per something other than a month', () => {
    expect(E.isLeft(dollars.decode('2,500/yr'))).toBe(true);
    expect(E.isLeft(dollars.decode('2,500/week'))).toBe(true);
    expect(E.isLeft(dollars.decode('/mo'))).toBe(true);
  });

  it.each([
    ['$1,250.50', 125050],
    ['1250', 125000],
    ['$1250.5', 125050],
    ['USD 1,250.50', 125050],
    ['1,250.50 USD', 125050],
    ['1.250,50 €', 125050],
    ['€1.250,50', 125050],
    ['1 250,50', 125050],
    ['0.29', 29],
    ['$0.07', 7],
    ['1,250', 125000],
    ['1250,5', 125050],
    ['12.340', 1234],
    ['  $ 99.99 ', 9999],
    ['us$5', 500],
  ])('reads %j dollars as %d cents', (cell, expected) => {
    expect(value(dollars, cell)).toBe(expected);
  });

  it('is exact for every dollars-and-cents amount (string arithmetic, no float product)', () => {
    const pad = (c: number): string => String(c).padStart(2, '0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90_000_000_000 }), fc.integer({ min: 0, max: 99 }), (d, c) => {
        expect(value(dollars, '$' + d + '.' + pad(c))).toBe(d * 100 + c);
        expect(value(dollars, '$' + d.toLocaleString('en-US') + '.' + pad(c))).toBe(d * 100 + c);
      }),
    );
  });

  it('reads XLSX numbers through their decimal text: 0.29 is 29 cents, not 28.999…', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(value(dollars, 0.29)).toBe(29);
    expect(value(dollars, 1250.5)).toBe(125050);
    expect(value(dollars, 1.1 * 125)).toBe(13750); // 137.50000000000003 as Excel would show it
    expect(value(dollars, 4.35)).toBe(435);
  });

  it.each([
    ['abc', "'abc' is not an amount"],
    ['$', "'$' is not an amount"],
    ['12 dollars', "'12 dollars' is not an amount"],
    ['12.345', "'12.345' has more than 2 decimals (an amount in dollars stops at cents)"],
    ['-5', "'-5' must be 0 or more"],
    ['-$1,250.00', "'-$1,250.00' must be 0 or more"],
    ['$-3', "'$-3' must be 0 or more"],
    ['null', "'null' is not an amount"],
    ['99999999999999999', "'99999999999999999' is too large"],
    ['0.000000000000000000001', "'0.000000000000000000001' has more than 2 decimals (an amount in dollars stops at cents)"],
    ['0.12345678901234567890', "'0.12345678901234567890' has more than 2 decimals (an amount in dollars stops at cents)"],
  ])('refuses %j dollars', (cell, message) => {
    expect(refusal(dollars, cell)).toBe(message);
  });

  it('refuses XLSX booleans and dates', () => {
    expect(refusal(dollars, false)).toBe("'FALSE' is not an amount");
    expect(refusal(dollars, new Date(Date.UTC(2025, 0, 1)))).toBe("'2025-01-01' is not an amount");
  });

  it('reads a cents column as cents', () => {
    expect(value(cents, '125050')).toBe(125050);
    expect(value(cents, '125,050')).toBe(125050);
    expect(value(cents, 125050)).toBe(125050);
    expect(refusal(cents, '1250.5')).toBe("'1250.5' is not a whole number of cents");
    expect(value(fractionalCents, '1250.5')).toBe(1250.5);
    expect(refusal(fractionalCents, '0.12345678901234567890')).toBe("'0.12345678901234567890' has too many decimals");
  });

  it('sends null for the word null on the nullable field; negatives allowed where the schema has no minimum', () => {
    expect(value(minRent, 'null')).toBeNull();
    expect(value(minRent, 'NULL')).toBeNull();
    expect(value(minRent, '-$5')).toBe(-500);
  });

  it('encodes cents back to the column unit', () => {
    expect(dollars.encode(125050)).toBe('1250.50');
    expect(dollars.encode(7)).toBe('0.07');
    expect(cents.encode(125050)).toBe('125050');
    expect(minRent.encode(null)).toBe('null');
    expect(dollarText(-1999)).toBe('-19.99');
  });

  it('is() follows the field constraints', () => {
    expect(dollars.is(125050)).toBe(true);
    expect(dollars.is(-1)).toBe(false);
    expect(dollars.is(null)).toBe(false);
    expect(minRent.is(null)).toBe(true);
    expect(fractionalCents.is(1.5)).toBe(true);
    expect(cents.is(1.5)).toBe(false);
  });
});
