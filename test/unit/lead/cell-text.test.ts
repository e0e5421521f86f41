import { describe, expect, it } from 'vitest';
import { cellText, expandExponent, isBlankCell, plainNumberText, quote, quoteCell, utcDateText } from '../../../app/lead/cell-text.ts';

describe('isBlankCell', () => {
  it.each(['', ' ', '\t', ' \n ', '\u00a0', '\ufeff', '\u3000 '])('treats %j as blank', (cell) => {
    expect(isBlankCell(cell)).toBe(true);
  });

  it('treats text, numbers (even 0), booleans and dates as values', () => {
    for (const cell of ['0', ' x', 'x ', 0, false, new Date(0)]) expect(isBlankCell(cell)).toBe(false);
  });
});

describe('plainNumberText', () => {
  it.each([
    [5551234567, '5551234567'],
    [1e21, '1000000000000000000000'],
    [-1.5e22, '-15000000000000000000000'],
    [1e-7, '0.0000001'],
    [0.29, '0.29'],
    [0.1 + 0.2, '0.3'],
    [137.50000000000003, '137.5'],
    [-0.5, '-0.5'],
    [0, '0'],
  ])('writes %d as %s', (n, expected) => {
    expect(plainNumberText(n)).toBe(expected);
  });

  it('expandExponent leaves plain text alone', () => {
    expect(expandExponent('123.5')).toBe('123.5');
    expect(expandExponent('1.25e+3')).toBe('1250');
    expect(expandExponent('1.25e-3')).toBe('0.00125');
  });
});

describe('cellText and quote', () => {
  it('shows cells as a person reads them', () => {
    expect(cellText(' as is ')).toBe(' as is ');
    expect(cellText(42.5)).toBe('42.5');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(new Date(Date.UTC(2025, 2, 7)))).toBe('2025-03-07');
    expect(cellText(new Date(Date.UTC(2025, 2, 7, 10, 30)))).toBe('2025-03-07T10:30:00.000Z');
    expect(utcDateText(new Date(Date.UTC(2025, 11, 31, 23, 59)))).toBe('2025-12-31');
  });

  it('quotes short values whole and shortens long ones', () => {
    expect(quote('Actve')).toBe("'Actve'");
    const long = 'x'.repeat(100);
    expect(quote(long)).toBe("'" + 'x'.repeat(39) + "…'");
    expect(quoteCell('  padded ')).toBe("'padded'");
    expect(quoteCell(false)).toBe("'FALSE'");
  });
});
