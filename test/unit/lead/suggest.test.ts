import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance, normalizeWord } from '../../../app/lead/suggest.ts';

const STATUS = ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'];

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('ACTIVE', 'ACTIVE')).toBe(0);
    expect(editDistance('ACTVE', 'ACTIVE')).toBe(1);
    expect(editDistance('ACTIVEE', 'ACTIVE')).toBe(1);
    expect(editDistance('ACTIVX', 'ACTIVE')).toBe(1);
    expect(editDistance('ACTVIE', 'ACTIVE')).toBe(1);
    expect(editDistance('', 'COLD')).toBe(4);
  });
});

describe('closestMatch', () => {
  it('prefers a unique candidate the input starts', () => {
    expect(closestMatch('wait', STATUS)).toBe('WAITLISTED');
    expect(closestMatch('inact', STATUS)).toBe('INACTIVE');
  });

  it('gives nothing when the prefix is shared', () => {
    expect(closestMatch('NO', ['NO_REASON', 'NO_AVAILABILITY'])).toBeUndefined();
  });

  it('finds near misses by edit distance, about a third of the length at most', () => {
    expect(closestMatch('Actve', STATUS)).toBe('ACTIVE');
    expect(closestMatch('colld', STATUS)).toBe('COLD');
    expect(closestMatch('Hot', STATUS)).toBeUndefined();
  });

  it('finds a candidate named inside the input', () => {
    expect(closestMatch('mobile phone', ['FAX', 'HOME', 'MOBILE', 'WORK'])).toBe('MOBILE');
    expect(closestMatch('home or work', ['FAX', 'HOME', 'MOBILE', 'WORK'])).toBeUndefined();
  });

  it('normalizes case and separators', () => {
    expect(normalizeWord(' co-applicant ')).toBe('CO_APPLICANT');
    expect(normalizeWord('Decided  not.to move')).toBe('DECIDED_NOT_TO_MOVE');
    expect(didYouMean('Actve', STATUS)).toBe(' — did you mean ACTIVE?');
    expect(didYouMean('zzz', STATUS)).toBe('');
  });
});
