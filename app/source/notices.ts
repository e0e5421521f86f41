import { basename } from 'node:path';
import { encodingDoubtNotice, encodingFallbackNotice } from './encoding.ts';
import type { PassedOverSheet, SourceFile } from './types.ts';

/**
 * What is worth a look about how a file was read, for every summary (the CLI's and the app's):
 * a file guessed to be UTF-8 that is Windows-1252 (complete once its rows have been read), a
 * file detected as Windows-1252 whose text looks like another code page, a workbook read from a
 * sheet other than its first.
 */
export function sourceNotices(
  source: Pick<SourceFile, 'path' | 'encodingFallback' | 'encodingDoubt' | 'sheet' | 'sheetsPassedOver'>,
): string[] {
  const notices: string[] = [];
  if (source.sheetsPassedOver !== undefined && source.sheetsPassedOver.length > 0 && source.sheet !== undefined) {
    notices.push(sheetNotice(source.sheet, source.sheetsPassedOver));
  }
  if (source.encodingFallback !== undefined) notices.push(encodingFallbackNotice(source.encodingFallback));
  if (source.encodingDoubt !== undefined) notices.push(encodingDoubtNotice(basename(source.path), source.encodingDoubt));
  return notices;
}

const WHY: Record<PassedOverSheet['why'], readonly [one: string, many: string]> = {
  chart: ['is a chart', 'are charts'],
  not_a_worksheet: ['is not a worksheet', 'are not worksheets'],
  empty: ['is empty', 'are empty'],
};

function sheetNotice(read: string, passed: readonly PassedOverSheet[]): string {
  const parts: string[] = [];
  for (const why of ['chart', 'not_a_worksheet', 'empty'] as const) {
    const names = passed.filter((s) => s.why === why).map((s) => `"${s.name}"`);
    if (names.length === 0) continue;
    const [one, many] = WHY[why];
    parts.push(`${listed(names)}${parts.length === 0 ? ' before it' : ''} ${names.length === 1 ? one : many}`);
  }
  return `read sheet "${read}", the first with data: ${parts.join(' and ')}. Choose another sheet with --sheet (or on the Map screen).`;
}

function listed(names: readonly string[]): string {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
