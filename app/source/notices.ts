import { encodingFallbackNotice } from './encoding.ts';
import type { SourceFile } from './types.ts';

/**
 * What is worth a look about how a file was read, for every summary (the CLI's and the app's):
 * a file guessed to be UTF-8 that is Windows-1252. Complete once its rows have been read.
 */
export function sourceNotices(source: Pick<SourceFile, 'encodingFallback'>): string[] {
  const notices: string[] = [];
  if (source.encodingFallback !== undefined) notices.push(encodingFallbackNotice(source.encodingFallback));
  return notices;
}
