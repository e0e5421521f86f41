import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLACEHOLDERS,
  compilePlaceholders,
  defaultPlaceholders,
  isBlankOrPlaceholder,
  isPlaceholder,
} from '../../../app/lead/placeholders.ts';

describe('placeholders', () => {
  const defaults = compilePlaceholders(DEFAULT_PLACEHOLDERS);

  it.each(['-/-', 'N/A', 'n/a', 'null', 'NULL', '—', '–', '-', '--', '#N/A', ' N/A ', '\tnull'])(
    'reads %j as a placeholder by default',
    (cell) => {
      expect(isPlaceholder(defaults, cell)).toBe(true);
    },
  );

  it.each(['-5', 'NA', 'none', 'Nancy', 'n/a please', '0', 'No'])('reads %j as a value', (cell) => {
    expect(isPlaceholder(defaults, cell)).toBe(false);
  });

  it('never reads a typed XLSX cell as a placeholder', () => {
    expect(isPlaceholder(defaults, 0)).toBe(false);
    expect(isPlaceholder(defaults, false)).toBe(false);
  });

  it('keeps null out of the defaults of a nullable field, where it clears the value', () => {
    expect(defaultPlaceholders('desired_min_rent_in_cents')).not.toContain('null');
    expect(defaultPlaceholders('desired_max_rent_in_cents')).toContain('null');
    expect(defaultPlaceholders('notes')).toEqual(DEFAULT_PLACEHOLDERS);
  });

  it('compiles a column list; an empty list means none', () => {
    expect(isPlaceholder(compilePlaceholders([]), 'N/A')).toBe(false);
    expect(isBlankOrPlaceholder(compilePlaceholders([]), ' \t')).toBe(true);
    expect(isBlankOrPlaceholder(compilePlaceholders([]), '')).toBe(true);
    expect(isBlankOrPlaceholder(defaults, ' n/a ')).toBe(true);
    expect(isBlankOrPlaceholder(defaults, ' x ')).toBe(false);
    const own = compilePlaceholders(['TBD', 'unknown']);
    expect(isPlaceholder(own, 'tbd')).toBe(true);
    expect(isPlaceholder(own, 'N/A')).toBe(false);
    const accented = compilePlaceholders(['Néant', 'énorme']);
    expect(isPlaceholder(accented, 'ÉNORME')).toBe(true);
    expect(isPlaceholder(accented, 'NÉANT')).toBe(true);
    expect(isPlaceholder(accented, 'Nées')).toBe(false);
  });
});
