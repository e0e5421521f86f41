import { describe, expect, it } from 'vitest';
import { isBlankCell, isBlankRow, shapeSheetRow, shapeTextRow } from '../../../app/source/row-shape.ts';

describe('blank cells and rows', () => {
  it('treats empty and whitespace-only text as blank, and nothing else', () => {
    expect(isBlankCell('')).toBe(true);
    expect(isBlankCell(' \t\u00a0')).toBe(true);
    expect(isBlankCell(' x ')).toBe(false);
    expect(isBlankCell(0)).toBe(false);
    expect(isBlankCell(false)).toBe(false);
    expect(isBlankCell(new Date(0))).toBe(false);
    expect(isBlankRow(['', ' ', ''])).toBe(true);
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(['', 'a'])).toBe(false);
  });
});

describe('shapeTextRow', () => {
  it('keeps a row of the header width as is', () => {
    const cells = ['a', ' ', 'c'];
    const row = shapeTextRow(4, cells, 3);
    expect(row).toEqual({ rowNumber: 4, cells: ['a', ' ', 'c'] });
    expect(row.problem).toBeUndefined();
  });

  it('pads a short row and reports it, keeping the original cells', () => {
    const row = shapeTextRow(5, ['a', 'b'], 4);
    expect(row.cells).toEqual(['a', 'b', '', '']);
    expect(row.rawCells).toEqual(['a', 'b']);
    expect(row.problem).toEqual({ kind: 'cell_count', message: 'has 2 cells; the header has 4' });
  });

  it('drops extra blank cells at the end without a problem', () => {
    const row = shapeTextRow(6, ['a', 'b', '', ' '], 2);
    expect(row.cells).toEqual(['a', 'b']);
    expect(row.problem).toBeUndefined();
    expect(row.rawCells).toBeUndefined();
  });

  it('reports a value past the last header column', () => {
    const row = shapeTextRow(7, ['a', 'b', '', 'x'], 2);
    expect(row.cells).toEqual(['a', 'b']);
    expect(row.rawCells).toEqual(['a', 'b', '', 'x']);
    expect(row.problem?.kind).toBe('cell_count');
    expect(row.problem?.message).toContain('has 4 cells; the header has 2');
    expect(row.problem?.message).toContain('column D');
  });

  it('keeps a quoting problem over a cell-count one, fitting the cells to the header', () => {
    const quoting = { kind: 'quoting' as const, message: 'has an opening quote (") that is never closed' };
    const row = shapeTextRow(8, ['a', 'b\nc'], 3, quoting);
    expect(row.cells).toEqual(['a', 'b\nc', '']);
    expect(row.rawCells).toEqual(['a', 'b\nc']);
    expect(row.problem).toBe(quoting);
  });
});

describe('shapeSheetRow', () => {
  it('pads a short sheet row silently: sheets do not store trailing empty cells', () => {
    const row = shapeSheetRow(3, ['a'], 3);
    expect(row.cells).toEqual(['a', '', '']);
    expect(row.problem).toBeUndefined();
  });

  it('reports a value past the last header column', () => {
    const row = shapeSheetRow(3, ['a', 'b', 'c', '', 5], 3);
    expect(row.cells).toEqual(['a', 'b', 'c']);
    expect(row.rawCells).toEqual(['a', 'b', 'c', '', 5]);
    expect(row.problem?.kind).toBe('cell_count');
    expect(row.problem?.message).toContain('column E has a value but no header');
  });
});
