import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { NO_VALUE } from '../../../app/lead/cell-codec.ts';
import { NamePartFromCell, joinName, splitName } from '../../../app/lead/name-cells.ts';

describe('splitName', () => {
  it.each([
    ['Martinez, Sofia', 'last, first', ['Sofia', 'Martinez']],
    ['de la Cruz ,  Ana María', 'last, first', ['Ana María', 'de la Cruz']],
    ['Sofia Martinez', 'first last', ['Sofia', 'Martinez']],
    ['Sofia de la Cruz', 'first last', ['Sofia', 'de la Cruz']],
  ] as const)('splits %j as %s', (text, split, parts) => {
    expect(splitName(text, split)).toEqual(parts);
  });

  it.each([
    ['Sofia Martinez', 'last, first', `'Sofia Martinez' has no comma: the column is split as "last, first" (e.g. Martinez, Sofia)`],
    ['Martinez,', 'last, first', `'Martinez,' lacks a first name: the column is split as "last, first"`],
    ['Martinez, Sofia', 'first last', `'Martinez, Sofia' has a comma: is the column written "last, first"? (it is split as "first last")`],
    ['Cher', 'first last', `'Cher' is one word: the column is split as "first last" (e.g. Sofia Martinez)`],
  ] as const)('refuses %j as %s', (text, split, message) => {
    expect(splitName(text, split)).toBe(message);
  });
});

describe('NamePartFromCell', () => {
  it('reads each part, and only the first part reports a cell that does not split', () => {
    expect(NamePartFromCell('last, first', 'first').decode('Martinez, Sofia')).toEqual(E.right('Sofia'));
    expect(NamePartFromCell('last, first', 'last').decode('Martinez, Sofia')).toEqual(E.right('Martinez'));
    expect(E.isLeft(NamePartFromCell('first last', 'first').decode('Cher'))).toBe(true);
    expect(NamePartFromCell('first last', 'last').parse('Cher')).toBe(NO_VALUE);
  });

  it('writes the parts back as the column splits them', () => {
    expect(joinName('Sofia', 'Martinez', 'last, first')).toBe('Martinez, Sofia');
    expect(joinName('Sofia', 'Martinez', 'first last')).toBe('Sofia Martinez');
  });
});
