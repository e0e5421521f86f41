// The shape every cell codec shares: an io-ts Type whose `validate` is built on a plain
// `parse(cell)` that answers the value or a `CellFailure`. The row decoder calls `parse`
// directly (no Either, no context per cell); io-ts callers get the same answers and the
// same messages through `validate`. Messages are built only when a cell fails.
import * as t from 'io-ts';
import type { Cell } from '../source/types.ts';

/** Why a cell was refused, in words a spreadsheet user understands. */
export class CellFailure {
  constructor(readonly message: string) {}
}

export type CellParse<A> = (cell: Cell) => A | CellFailure;

export const isCellFailure = (value: unknown): value is CellFailure => value instanceof CellFailure;

/**
 * Decodes one non-blank cell (`I` = `Cell`) into `A`; `encode` gives the canonical cell text
 * (what an error report would write back, e.g. cents 125050 → "1250.50" for a dollars column).
 */
export class CellCodec<A> extends t.Type<A, string, Cell> {
  constructor(
    name: string,
    is: (u: unknown) => u is A,
    readonly parse: CellParse<A>,
    encode: (a: A) => string,
  ) {
    super(
      name,
      is,
      (cell, context) => {
        const result = parse(cell);
        return result instanceof CellFailure ? t.failure(cell, context, result.message) : t.success(result);
      },
      encode,
    );
  }
}

/** The message for a blank cell given to a codec on its own (the row decoder skips blanks). */
export const EMPTY_CELL = new CellFailure('the cell is empty');

/**
 * What a codec answers for a cell that holds nothing for its field, without that being an
 * error: a cell with one phone number has no second one to send. The row walk skips it.
 */
export const NO_VALUE = new CellFailure('this cell holds nothing for this field');
