import { describe, expect, it } from 'vitest';
import { detectDelimiter, isSupportedDelimiter } from '../../../app/source/delimiter.ts';

describe('detectDelimiter', () => {
  it.each([
    [',', 'Name,Email,Phone\nBob,bob@x.com,555\nAl,al@x.com,556\n'],
    [';', 'Name;Email;Phone\nBob;bob@x.com;555\nAl;al@x.com;556\n'],
    ['\t', 'Name\tEmail\tPhone\nBob\tbob@x.com\t555\n'],
    ['|', 'Name|Email|Phone\nBob|bob@x.com|555\n'],
  ])('finds %j', (delimiter, text) => {
    expect(detectDelimiter(text, true)).toBe(delimiter);
  });

  it('is not fooled by decimal commas in a semicolon file', () => {
    expect(detectDelimiter('Name;Rent\nBob;1250,50', true)).toBe(';');
    expect(detectDelimiter('Name;Rent;Deposit\nBob;1250,50;300\nAl;980,00;1200,25\nCy;700;0\n', true)).toBe(';');
  });

  it('ignores delimiters inside quoted cells', () => {
    const text = 'Name,Note\n"Smith; Bob","a;b;c"\n"Lee; Al","x;y"\n';
    expect(detectDelimiter(text, true)).toBe(',');
  });

  it('ignores a last line cut off by the end of the sample', () => {
    expect(detectDelimiter('Name;Rent\nBob;1250,50\nAl;9,5,3,4,5,6', false)).toBe(';');
  });

  it('prefers the tab for a .tsv file when the text allows both', () => {
    expect(detectDelimiter('a,b\tc\n1,2\t3\n', true)).toBe(',');
    expect(detectDelimiter('a,b\tc\n1,2\t3\n', true, '\t')).toBe('\t');
  });

  it('falls back to a comma for a one-column file', () => {
    expect(detectDelimiter('Email\nbob@x.com\n', true)).toBe(',');
  });

  it('accepts only the four supported delimiters as an option', () => {
    expect([',', ';', '\t', '|'].every(isSupportedDelimiter)).toBe(true);
    expect(isSupportedDelimiter('::')).toBe(false);
    expect(isSupportedDelimiter('\\t')).toBe(false);
  });
});
