import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import { CellCodec, CellFailure, EMPTY_CELL, isCellFailure } from '../../../app/lead/cell-codec.ts';
import type { Cell } from '../../../app/source/types.ts';

// A tiny codec made the way every cell codec is: one parse, validate built on it.
const parseEven = (cell: Cell): number | CellFailure =>
  typeof cell === 'number' && cell % 2 === 0 ? cell : new CellFailure(`'${String(cell)}' is not even`);
const EvenFromCell = new CellCodec<number>('EvenFromCell', (u): u is number => typeof u === 'number' && u % 2 === 0, parseEven, String);

describe('CellCodec', () => {
  it('exposes parse for the hot path and answers the same through io-ts', () => {
    expect(EvenFromCell.parse(4)).toBe(4);
    expect(EvenFromCell.decode(4)).toEqual(E.right(4));
    expect(EvenFromCell.encode(4)).toBe('4');
    expect(EvenFromCell.name).toBe('EvenFromCell');
  });

  it("fails with parse's message, the cell as value, and the caller's context", () => {
    const failure = EvenFromCell.parse(3);
    expect(isCellFailure(failure)).toBe(true);
    const result = EvenFromCell.validate(3, [{ key: 'Column A', type: EvenFromCell, actual: 3 }]);
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left).toEqual([
        { value: 3, context: [{ key: 'Column A', type: EvenFromCell, actual: 3 }], message: "'3' is not even" },
      ]);
    }
    expect(PathReporter.report(EvenFromCell.decode(3))).toEqual(["'3' is not even"]);
  });

  it('has one shared failure for a blank cell', () => {
    expect(EMPTY_CELL.message).toBe('the cell is empty');
    expect(isCellFailure(EMPTY_CELL)).toBe(true);
    expect(isCellFailure('the cell is empty')).toBe(false);
  });
});
