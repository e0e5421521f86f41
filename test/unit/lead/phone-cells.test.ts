import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { NO_VALUE } from '../../../app/lead/cell-codec.ts';
import { PhoneFromCell, SecondPhoneFromCell, isPlainPhone, phoneNumbersIn } from '../../../app/lead/phone-cells.ts';

describe('phoneNumbersIn', () => {
  it.each([
    ['(720) 273-5593', ['(720) 273-5593']],
    ['Mobile: (720) 273-5593', ['(720) 273-5593']],
    ['Cell - 720.273.5593', ['720.273.5593']],
    ['720-273-5593 (cell)', ['720-273-5593']],
    ['720-273-5593 / 303-555-1212', ['720-273-5593', '303-555-1212']],
    ['720-273-5593, 303-555-1212', ['720-273-5593', '303-555-1212']],
    ['Mobile: (720) 273-5593 Home: (303) 555-1212', ['(720) 273-5593', '(303) 555-1212']],
    ['720-273-5593 or 303-555-1212', ['720-273-5593', '303-555-1212']],
    // One number whose writing has a slash or an extension: not two numbers.
    ['720/273-5593', ['720/273-5593']],
    ['720-273-5593 ext 12', ['720-273-5593 ext 12']],
    ['ask at the desk', []],
  ])('finds the numbers in %j', (text, numbers) => {
    expect(phoneNumbersIn(text)).toEqual(numbers);
  });
});

describe('PhoneFromCell', () => {
  it('returns a plain number as written', () => {
    expect(isPlainPhone('+1 (720) 273-5593')).toBe(true);
    expect(PhoneFromCell.decode(' +1 (720) 273-5593 ')).toEqual(E.right('+1 (720) 273-5593'));
    expect(PhoneFromCell.decode(7202735593)).toEqual(E.right('7202735593'));
  });

  it('takes the number out of a labelled cell', () => {
    expect(PhoneFromCell.decode('Mobile: (720) 273-5593')).toEqual(E.right('(720) 273-5593'));
  });

  it('sends the first of two numbers; the second is what SecondPhoneFromCell reads', () => {
    expect(PhoneFromCell.decode('720-273-5593 / 303-555-1212')).toEqual(E.right('720-273-5593'));
    expect(SecondPhoneFromCell.parse('720-273-5593 / 303-555-1212')).toBe('303-555-1212');
    expect(SecondPhoneFromCell.parse('720-273-5593')).toBe(NO_VALUE);
    expect(SecondPhoneFromCell.parse('Mobile: 720-273-5593')).toBe(NO_VALUE);
  });

  it('keeps text without a number as written (the field warns about it)', () => {
    expect(PhoneFromCell.decode('ask at the desk')).toEqual(E.right('ask at the desk'));
  });
});
