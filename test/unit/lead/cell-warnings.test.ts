import { describe, expect, it } from 'vitest';
import { cellWarningFor } from '../../../app/lead/cell-warnings.ts';

describe('cellWarningFor', () => {
  const zip = cellWarningFor('zip');
  const phone = cellWarningFor('phone_2');

  it('checks zip and the phone numbers only', () => {
    expect(zip).not.toBeNull();
    expect(phone).not.toBeNull();
    expect(cellWarningFor('phone_1')).not.toBeNull();
    expect(cellWarningFor('phone_1_type')).toBeNull();
    expect(cellWarningFor('city')).toBeNull();
    expect(cellWarningFor('status')).toBeNull();
  });

  it('warns about an XLSX number zip with fewer than 5 digits, suggesting the zeros back', () => {
    expect(zip?.(2134, '2134')).toBe(
      "'2134' has 4 digits: leading zeros were probably lost in Excel (did you mean 02134? format the column as text)",
    );
    expect(zip?.(501, '501')).toMatch(/did you mean 00501\?/);
    expect(zip?.(7, '7')).toMatch(/^'7' has 1 digit:/);
  });

  it('leaves text zips and full numbers alone', () => {
    expect(zip?.('2134', '2134')).toBeNull();
    expect(zip?.(62704, '62704')).toBeNull();
  });

  it('warns about phones with fewer than 7 digits', () => {
    expect(phone?.('555-12', '555-12')).toBe("'555-12' has only 5 digits: is it a complete phone number?");
    expect(phone?.('n/a', 'n/a')).toBe("'n/a' has no digits: is it a complete phone number?");
    expect(phone?.('1', '1')).toBe("'1' has only 1 digit: is it a complete phone number?");
    expect(phone?.('555-0101', '555-0101')).toBeNull();
    expect(phone?.(5550101234, '5550101234')).toBeNull();
  });
});
