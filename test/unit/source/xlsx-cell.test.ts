import { describe, expect, it } from 'vitest';
import { cellFromSheet } from '../../../app/source/xlsx-cell.ts';

describe('cellFromSheet', () => {
  it('keeps numbers, booleans and strings, and makes empty cells empty text', () => {
    expect(cellFromSheet(12.5)).toBe(12.5);
    expect(cellFromSheet(false)).toBe(false);
    expect(cellFromSheet(' Zoë ')).toBe(' Zoë ');
    expect(cellFromSheet(null)).toBe('');
    expect(cellFromSheet(undefined)).toBe('');
    expect(cellFromSheet(Number.NaN)).toBe('');
  });

  it('turns dates into UTC midnight of their day', () => {
    expect(cellFromSheet(new Date(Date.UTC(2024, 2, 5, 18, 45)))).toEqual(new Date(Date.UTC(2024, 2, 5)));
  });

  it('reads rich text, hyperlinks and errors as their text, formulas as their result', () => {
    expect(cellFromSheet({ richText: [{ text: 'São ' }, { text: 'Paulo', font: { bold: true } }] })).toBe('São Paulo');
    expect(cellFromSheet({ text: 'site', hyperlink: 'https://example.com' })).toBe('site');
    expect(cellFromSheet({ error: '#N/A' })).toBe('#N/A');
    expect(cellFromSheet({ formula: 'A1*2', result: 4 })).toBe(4);
    expect(cellFromSheet({ formula: 'NA()', result: { error: '#N/A' } })).toBe('#N/A');
    expect(cellFromSheet({ formula: 'A1' })).toBe('');
    expect(cellFromSheet({ sharedFormula: 'A1', result: 'x' })).toBe('x');
  });

  it('decodes the _xHHHH_ escapes Excel writes for control characters', () => {
    expect(cellFromSheet('line one_x000D_\nline two')).toBe('line one\r\nline two');
  });
});
