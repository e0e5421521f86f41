import { describe, expect, it } from 'vitest';
import { countLineBreaks, LineBreakNormalizer, lineBreaksInFields } from '../../../app/source/line-breaks.ts';

function normalize(chunks: string[]): string {
  const normalizer = new LineBreakNormalizer();
  return chunks.map((c) => normalizer.push(c)).join('') + normalizer.end();
}

describe('LineBreakNormalizer', () => {
  it('turns CRLF, LF and lone CR into LF', () => {
    expect(normalize(['a\r\nb\nc\rd\r\n'])).toBe('a\nb\nc\nd\n');
  });

  it('keeps a CRLF split between two chunks as one line break', () => {
    expect(normalize(['a\r', '\nb\r', '', '\nc'])).toBe('a\nb\nc');
    expect(normalize(['a\r', 'b'])).toBe('a\nb');
    expect(normalize(['a\r'])).toBe('a\n');
  });
});

describe('line break counting', () => {
  it('counts line breaks before a position', () => {
    expect(countLineBreaks('a\nb\nc\n')).toBe(3);
    expect(countLineBreaks('a\nb\nc\n', 3)).toBe(1);
    expect(countLineBreaks('abc')).toBe(0);
  });

  it('counts line breaks inside fields', () => {
    expect(lineBreaksInFields(['a', 'b\nc\n', '\n'])).toBe(3);
    expect(lineBreaksInFields(['a', 'b'])).toBe(0);
  });
});
