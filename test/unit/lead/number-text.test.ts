import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  NOT_A_NUMBER,
  READ_OK,
  SUB_CENT,
  TOO_LARGE,
  TOO_PRECISE,
  formattedDecimal,
  readDecimal,
  scanNumber,
  scannedCents,
  scannedIsNegative,
  scannedNumber,
} from '../../../app/lead/number-text.ts';

describe('formattedDecimal', () => {
  it.each([
    ['1,250', '1250'],
    ['1 250', '1250'],
    ['1\u00a0250', '1250'],
    ["1'250", '1250'],
    ['3,5', '3.5'],
    ['1250,50', '1250.50'],
    ['1.234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['1.234.567', '1234567'],
    ['12,345,678', '12345678'],
    ['0,125', '0.125'],
    ['1,2345', '1.2345'],
    ['1 250,500', '1250.500'],
    ['-1,5', '-1.5'],
    ['\u22125', '-5'],
    ['.5', '0.5'],
  ])('reads %j as %s', (text, expected) => {
    expect(formattedDecimal(text, false)).toBe(expected);
  });

  it.each(['12 34', '1,2,3', '1,,000', '1.2.3,4', '1 234.567,5', 'abc', '', '-', '1e5', '$5', '1,000 000', ','])('refuses %j', (text) => {
    expect(formattedDecimal(text, false)).toBeNull();
  });

  it.each([
    ['$1,250.50', '1250.50'],
    ['-$1,250.50', '-1250.50'],
    ['$-5', '-5'],
    ['USD 1,250.50', '1250.50'],
    ['usd -5', '-5'],
    ['1.250,50 €', '1250.50'],
    ['£3', '3'],
    ['CA$ 12', '12'],
    ['12 CAD', '12'],
  ])('reads the amount %j as %s', (text, expected) => {
    expect(formattedDecimal(text, true)).toBe(expected);
  });

  it('refuses two currency markers or unknown words', () => {
    expect(formattedDecimal('$5 USD', true)).toBeNull();
    expect(formattedDecimal('5 dollars', true)).toBeNull();
  });
});

describe('scanNumber (the allocation-free path)', () => {
  it('takes plain and US-style numbers only', () => {
    expect(scanNumber('1,250.50', false)).toBe(true);
    expect(scanNumber('$1,250.50', true)).toBe(true);
    expect(scanNumber('$1,250.50', false)).toBe(false);
    expect(scanNumber('3,5', false)).toBe(false);
    expect(scanNumber('0,125', false)).toBe(false);
    expect(scanNumber('1.234,56', false)).toBe(false);
    expect(scanNumber('', false)).toBe(false);
    expect(scanNumber('-', false)).toBe(false);
    expect(scanNumber('9007199254740993', false)).toBe(false);
  });

  it('agrees with the slow path on everything it takes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\$?[0-9,]{0,12}(\.[0-9]{0,6})?$/), (text) => {
        if (!scanNumber(text, true)) return;
        const value = scannedNumber();
        const canonical = formattedDecimal(text, true);
        expect(canonical).not.toBeNull();
        expect(value).toBe(Number(canonical) === 0 ? 0 : Number(canonical));
      }),
    );
  });

  it('gives the value exactly as Number() reads the text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 8 }), (mantissa, scale) => {
        const digits = String(mantissa).padStart(scale + 1, '0');
        const text = scale === 0 ? digits : digits.slice(0, -scale) + '.' + digits.slice(-scale);
        expect(scanNumber(text, false)).toBe(true);
        expect(scannedNumber()).toBe(Number(text));
      }),
    );
  });

  it('gives whole cents, or SUB_CENT for a third non-zero decimal', () => {
    scanNumber('1250.5', false);
    expect(scannedCents()).toBe(125050);
    scanNumber('0.29', false);
    expect(scannedCents()).toBe(29);
    scanNumber('12.3400', false);
    expect(scannedCents()).toBe(1234);
    scanNumber('12.345', false);
    expect(scannedCents()).toBe(SUB_CENT);
    scanNumber('-0.00', false);
    expect(scannedIsNegative()).toBe(false);
    expect(Object.is(scannedNumber(), 0)).toBe(true);
    scanNumber('-$3', true);
    expect(scannedIsNegative()).toBe(true);
    expect(scannedCents()).toBe(300);
  });
});

describe('readDecimal', () => {
  it('reads every accepted writing into the scan state', () => {
    expect(readDecimal('1.234,56', false)).toBe(READ_OK);
    expect(scannedNumber()).toBe(1234.56);
    expect(readDecimal('USD 1,250.50', true)).toBe(READ_OK);
    expect(scannedCents()).toBe(125050);
  });

  it('tells not-a-number from too large and too precise', () => {
    expect(readDecimal('abc', false)).toBe(NOT_A_NUMBER);
    expect(readDecimal('123456789012345678901', false)).toBe(TOO_LARGE);
    expect(readDecimal('-123 456 789 012 345 678', false)).toBe(TOO_LARGE);
    expect(readDecimal('0.' + '1'.repeat(20), false)).toBe(TOO_PRECISE);
  });
});
