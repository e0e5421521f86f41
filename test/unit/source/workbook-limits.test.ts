import { describe, expect, it } from 'vitest';
import {
  checkDirectory,
  DEFAULT_WORKBOOK_LIMITS,
  InflateBudget,
  SharedStringsBudget,
  WorkbookLimitError,
  workbookLimits,
} from '../../../app/source/workbook-limits.ts';

const MB = 1024 * 1024;

describe('workbookLimits', () => {
  it('is the default without a size, and scales every size and count (never the ratio) with one', () => {
    expect(workbookLimits(undefined)).toBe(DEFAULT_WORKBOOK_LIMITS);
    expect(workbookLimits(2048)).toEqual({
      ...DEFAULT_WORKBOOK_LIMITS,
      maxUncompressedBytes: 2048 * MB,
      maxSharedStringsBytes: 512 * MB,
      maxSharedStrings: 8_000_000,
      maxSharedStringsChars: 400_000_000,
      heapMb: 2048,
    });
    // A smaller workbook limit keeps the thread's heap.
    expect(workbookLimits(512).heapMb).toBe(DEFAULT_WORKBOOK_LIMITS.heapMb);
    expect(workbookLimits(512).maxRatio).toBe(DEFAULT_WORKBOOK_LIMITS.maxRatio);
  });
});

describe('checkDirectory', () => {
  const entry = (name: string, uncompressedSize: number, compressedSize = uncompressedSize / 10) => ({
    name,
    uncompressedSize,
    compressedSize,
    localHeaderOffset: 0,
    method: 8,
  });

  it('passes an ordinary workbook', () => {
    const directory = {
      entries: [entry('xl/workbook.xml', 2000), entry('xl/sharedStrings.xml', 40 * MB), entry('xl/worksheets/sheet1.xml', 300 * MB)],
    };
    expect(checkDirectory('b.xlsx', directory, DEFAULT_WORKBOOK_LIMITS)).toBeUndefined();
  });

  it('refuses the total first, then the shared strings, then a ratio', () => {
    const total = checkDirectory(
      'b.xlsx',
      { entries: [entry('xl/worksheets/sheet1.xml', 900 * MB), entry('xl/worksheets/sheet2.xml', 300 * MB)] },
      DEFAULT_WORKBOOK_LIMITS,
    );
    expect(total?.message).toMatch(
      /^"b\.xlsx" is too large to open safely: its parts expand to 1,200 MB, more than the 1,024 MB allowed for a workbook\. .* --max-workbook-mb 1320\.$/,
    );
    const shared = checkDirectory('b.xlsx', { entries: [entry('xl/sharedStrings.xml', 300 * MB)] }, DEFAULT_WORKBOOK_LIMITS);
    expect(shared?.message).toContain('its shared strings (xl/sharedStrings.xml) expand to 300 MB, more than the 256 MB allowed');
    const ratio = checkDirectory('b.xlsx', { entries: [entry('xl/styles.xml', 9 * MB, 9 * 1024)] }, DEFAULT_WORKBOOK_LIMITS);
    expect(ratio).toEqual({
      code: 'too_large',
      message: expect.stringMatching(/^"b\.xlsx" is refused: its part xl\/styles\.xml expands 1,024 times \(9 KB to 9 MB\)/),
    });
  });

  it('leaves the ratio of small parts alone (a tiny part can compress absurdly well)', () => {
    expect(checkDirectory('b.xlsx', { entries: [entry('xl/styles.xml', 7 * MB, 7 * 1024)] }, DEFAULT_WORKBOOK_LIMITS)).toBeUndefined();
  });
});

describe('InflateBudget', () => {
  it('allows each part what its directory declared, and not a byte more; unlisted parts nothing', () => {
    const budget = new InflateBudget('b.xlsx', {
      entries: [{ name: 'xl/a.xml', compressedSize: 10, uncompressedSize: 100, localHeaderOffset: 0, method: 8 }],
    });
    expect(budget.take('xl/a.xml', 60)).toBeUndefined();
    expect(budget.take('xl/a.xml', 40)).toBeUndefined();
    expect(budget.take('xl/a.xml', 1)?.fileError.message).toBe(
      '"b.xlsx" could not be read as an Excel workbook: the file looks damaged (its part xl/a.xml inflates to more than the 100 bytes its zip directory declares).',
    );
    expect(budget.take('xl/b.xml', 1)?.fileError.message).toContain("its part xl/b.xml is not in the zip's directory");
  });
});

describe('SharedStringsBudget', () => {
  it('counts plain and rich text and throws past either limit', () => {
    const limits = { ...DEFAULT_WORKBOOK_LIMITS, maxSharedStrings: 3, maxSharedStringsChars: 10 };
    const byCount = new SharedStringsBudget('b.xlsx', limits);
    for (const text of ['a', null, { richText: [{ text: 'b' }] }]) byCount.add(text);
    expect(() => byCount.add('c')).toThrow(WorkbookLimitError);
    const byChars = new SharedStringsBudget('b.xlsx', limits);
    byChars.add('12345');
    byChars.add({ richText: [{ text: '123' }, { text: '45' }] });
    expect(() => byChars.add('x')).toThrow('"b.xlsx" is too large to open safely: its shared strings hold more than 10 characters.');
  });
});
