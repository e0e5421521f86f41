// The words for what a preview found, said the same way on the Changes view and in main's
// Production confirmation: "N leads, M fields will change; K rows are already up to date".
import type { ChangeCountsView } from './views.ts';

const counted = (n: number, one: string, many: string, format: (n: number) => string): string => `${format(n)} ${n === 1 ? one : many}`;

export function describeChangeCounts(counts: ChangeCountsView, format: (n: number) => string = (n) => n.toLocaleString('en-US')): string {
  const upToDate = `${counted(counts.unchangedRows, 'row is', 'rows are', format)} already up to date`;
  const unknown =
    counts.unknownFields > 0
      ? ` (${counted(counts.unknownFields, 'field', 'fields', format)} sent without comparing: the current value could not be read)`
      : '';
  return `${counted(counts.leads, 'lead', 'leads', format)}, ${counted(counts.fields, 'field', 'fields', format)} will change; ${upToDate}${unknown}`;
}
