import { describe, expect, it } from 'vitest';
import { exactCellText, plainNumber } from '../../../app/source/cell-text.ts';

describe('exactCellText', () => {
  it('shows strings as they are, whitespace included', () => {
    expect(exactCellText('Zoë ')).toBe('Zoë ');
    expect(exactCellText('')).toBe('');
  });

  it('shows dates as the UTC calendar day', () => {
    expect(exactCellText(new Date(Date.UTC(2024, 2, 5)))).toBe('2024-03-05');
    expect(exactCellText(new Date(Date.UTC(2024, 11, 31, 23, 59)))).toBe('2024-12-31');
    expect(exactCellText(new Date(Date.UTC(999, 0, 9)))).toBe('0999-01-09');
    expect(exactCellText(new Date(Number.NaN))).toBe('');
  });

  it('shows booleans as Excel spells them', () => {
    expect(exactCellText(true)).toBe('TRUE');
    expect(exactCellText(false)).toBe('FALSE');
  });

  it('shows numbers as plain decimals, never with an exponent', () => {
    expect(exactCellText(1250.5)).toBe('1250.5');
    expect(exactCellText(-3)).toBe('-3');
    expect(exactCellText(-0)).toBe('0');
    expect(exactCellText(1e21)).toBe('1000000000000000000000');
    expect(exactCellText(1.5e22)).toBe('15000000000000000000000');
    expect(exactCellText(-2.5e-7)).toBe('-0.00000025');
    expect(exactCellText(1e-7)).toBe('0.0000001');
    expect(exactCellText(123456789012)).toBe('123456789012');
  });

  it('round-trips every number it writes out', () => {
    for (const n of [1e21, 1.2345e25, 5e-324, 1.7976931348623157e308, -9.87e-10, 0.1 + 0.2]) {
      const text = plainNumber(n);
      expect(text).not.toMatch(/e/i);
      expect(Number(text)).toBe(n);
    }
  });
});
