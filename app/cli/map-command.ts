// `lead-import map FILE [--out mapping.json]`: the automatic mapping, for a person to edit.
import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/Either';
import { openSource } from '../source/open-source.ts';
import { repeatedMatches } from '../mapping/auto-map.ts';
import type { ColumnValues } from '../mapping/column-values.ts';
import { toMappingFile, formatMappingFile } from '../mapping/mapping-file.ts';
import { describeMatch } from '../mapping/describe.ts';
import { suggestMapping } from '../mapping/suggest-mapping.ts';
import { columnLabel } from '../source/header.ts';
import { LEAD_ID_FIELD } from '../lead/fields.ts';
import { EXIT, type CliIo } from './io.ts';
import { sourceFlagSpec, sourceOptionsFrom } from './source-flags.ts';
import { fatal, parseCommandLine, usageError } from './usage-error.ts';

export const mapUsage = `Usage: lead-import map FILE [--out mapping.json] [--sheet S] [--encoding E] [--delimiter D] [--header-row N]

Prints how each column of FILE would be mapped, and with --out writes that mapping as a
mapping file to edit and reuse with --mapping. For a column of a field with a fixed list
(status, phone types…) or a yes/no field, the values it does not read are listed, with a
suggestion where there is one, and written to the file's "values" table as null: replace
each null with the value it means. --max-workbook-mb N reads workbooks holding up to N MB
uncompressed (default 1024).`;

export async function mapCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(
    io,
    {
      args: [...argv],
      allowPositionals: true,
      options: { ...sourceFlagSpec, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    },
    mapUsage,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usageError(io, 'one FILE expected');
  const options = sourceOptionsFrom(values);
  if (E.isLeft(options)) return fatal(io, false, options.left);
  const file = positionals[0];
  const opened = await openSource(resolve(io.cwd, file), options.right);
  if (E.isLeft(opened)) return fatal(io, false, opened.left.message.replace(resolve(io.cwd, file), file));
  const source = opened.right;
  if (source.headerRowNumber !== 1) io.stdout.write(`Header: ${source.format === 'xlsx' ? 'row' : 'line'} ${source.headerRowNumber}\n`);
  const { mapping, values: valuesOf } = await suggestMapping(source);
  const undecided = new Map<number, string[]>();
  for (const column of mapping.columns) {
    // A repeated name is shown with its letter, as the mapping file names it.
    io.stdout.write(`  ${describeMatch({ ...column, column: columnLabel(source.header, column.index) })}\n`);
    const columnValues = valuesOf.get(column.index);
    if (columnValues === undefined) continue;
    const refused = columnValues.values.filter((v) => v.reads === null);
    if (refused.length === 0) continue;
    undecided.set(
      column.index,
      refused.map((v) => v.text),
    );
    io.stdout.write(describeRefused(columnValues));
  }
  for (const repeat of repeatedMatches(source.header)) io.stderr.write(`warning: ${repeat.message}.\n`);
  if (!mapping.columns.some((c) => c.field === LEAD_ID_FIELD)) {
    io.stderr.write(`warning: no column was recognised as the lead id; set "field": "lead_id" on one column in the mapping file.\n`);
  }
  if (values.out !== undefined) {
    try {
      await writeFile(
        resolve(io.cwd, values.out),
        formatMappingFile(toMappingFile(mapping, source.headerRowNumber === 1 ? undefined : source.headerRowNumber, undecided)),
      );
    } catch (error) {
      return fatal(io, false, `Cannot write ${values.out}: ${error instanceof Error ? error.message : String(error)}`);
    }
    io.stdout.write(`Mapping written to ${values.out}\n`);
    if (undecided.size > 0) io.stdout.write(`Fill in the null values in its "values" tables: each is the field's value that word means.\n`);
  }
  return EXIT.ok;
}

/** The values a column does not read, most frequent first, with the suggested target. */
function describeRefused(column: ColumnValues): string {
  const refused = column.values.filter((v) => v.reads === null);
  const lines = refused.map((v) => {
    const suggestion = v.suggestion === null ? '' : `: suggested ${JSON.stringify(v.suggestion)}`;
    return `      ${JSON.stringify(v.text)} (${v.count} row${v.count === 1 ? '' : 's'})${suggestion}\n`;
  });
  const more =
    column.distinctIsExact && column.distinct === column.values.length
      ? ''
      : `      … and more (${column.distinct}${column.distinctIsExact ? '' : '+'} distinct values)\n`;
  const targets = column.targets.map((target) => JSON.stringify(target)).join(', ');
  const raw = column.raw === null ? '' : `    (or keep the text as written too: "rawTo": "status_raw"; ${column.raw.meaning})\n`;
  return `    values ${column.field} does not read (targets: ${targets}):\n${lines.join('')}${more}${raw}`;
}
