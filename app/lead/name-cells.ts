// One name column split into first and last name ("Martinez, Sofia" or "Sofia Martinez").
// "first last" takes the first word as the first name and the rest as the last name, so
// "Sofia de la Cruz" keeps its last name whole. A cell that does not have the column's shape
// is refused, once (by the first-name part), never guessed.
import type { NameSplit } from '../mapping/types.ts';
import type { Cell } from '../source/types.ts';
import { CellCodec, CellFailure, EMPTY_CELL, NO_VALUE } from './cell-codec.ts';
import { quote, quoteCell } from './cell-text.ts';

const isString = (u: unknown): u is string => typeof u === 'string';

/** [first, last] of a whole name, or why the text does not split that way. */
export function splitName(text: string, split: NameSplit): readonly [first: string, last: string] | string {
  const comma = text.indexOf(',');
  if (split === 'last, first') {
    if (comma < 0) return `${quote(text)} has no comma: the column is split as "last, first" (e.g. Martinez, Sofia)`;
    const last = text.slice(0, comma).trim();
    const first = text.slice(comma + 1).trim();
    if (last === '' || first === '')
      return `${quote(text)} lacks a ${last === '' ? 'last' : 'first'} name: the column is split as "last, first"`;
    return [first, last];
  }
  if (comma >= 0) return `${quote(text)} has a comma: is the column written "last, first"? (it is split as "first last")`;
  const words = text.split(/\s+/);
  if (words.length < 2) return `${quote(text)} is one word: the column is split as "first last" (e.g. Sofia Martinez)`;
  return [words[0], words.slice(1).join(' ')];
}

/** The first or the last name of a whole-name cell. Only the first part reports a cell that does not split. */
export function NamePartFromCell(split: NameSplit, part: 'first' | 'last'): CellCodec<string> {
  const parse = (cell: Cell): string | CellFailure => {
    if (typeof cell !== 'string') return part === 'first' ? new CellFailure(`${quoteCell(cell)} is not a name`) : NO_VALUE;
    const text = cell.trim();
    if (text.length === 0) return EMPTY_CELL;
    const parts = splitName(text, split);
    if (typeof parts === 'string') return part === 'first' ? new CellFailure(parts) : NO_VALUE;
    return part === 'first' ? parts[0] : parts[1];
  };
  return new CellCodec<string>(`NamePartFromCell(${split}, ${part})`, isString, parse, (text) => text);
}

/** The whole-name cell for a first and a last name, written as the column splits it. */
export const joinName = (first: string, last: string, split: NameSplit): string =>
  split === 'last, first' ? `${last}, ${first}` : `${first} ${last}`;
