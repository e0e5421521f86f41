// `lead-import map FILE [--out mapping.json]`: the automatic mapping, for a person to edit.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/Either';
import { openSource } from '../source/open-source.ts';
import { autoMap, repeatedMatches } from '../mapping/auto-map.ts';
import { toMappingFile, formatMappingFile } from '../mapping/mapping-file.ts';
import { describeMatch } from '../mapping/describe.ts';
import { columnLabel } from '../source/header.ts';
import { LEAD_ID_FIELD } from '../lead/fields.ts';
import { EXIT, type CliIo } from './io.ts';
import { sourceFlagSpec, sourceOptionsFrom } from './source-flags.ts';
import { fatal, usageError } from './usage-error.ts';

export const mapUsage = `Usage: lead-import map FILE [--out mapping.json] [--sheet S] [--encoding E] [--delimiter D] [--header-row N]

Prints how each column of FILE would be mapped, and with --out writes that mapping as a
mapping file to edit and reuse with --mapping. --max-workbook-mb N reads workbooks holding up
to N MB uncompressed (default 1024).`;

export async function mapCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { ...sourceFlagSpec, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${mapUsage}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) return usageError(io, 'one FILE expected');
  const options = sourceOptionsFrom(values);
  if (E.isLeft(options)) return fatal(io, false, options.left);
  const file = positionals[0];
  const opened = await openSource(resolve(io.cwd, file), options.right);
  if (E.isLeft(opened)) return fatal(io, false, opened.left.message.replace(resolve(io.cwd, file), file));
  const source = opened.right;
  if (source.headerRowNumber !== 1) io.stdout.write(`Header: ${source.format === 'xlsx' ? 'row' : 'line'} ${source.headerRowNumber}\n`);
  const mapping = autoMap(source.header);
  // A repeated name is shown with its letter, as the mapping file names it.
  for (const column of mapping.columns) io.stdout.write(`  ${describeMatch({ ...column, column: columnLabel(source.header, column.index) })}\n`);
  for (const repeat of repeatedMatches(source.header)) io.stderr.write(`warning: ${repeat.message}.\n`);
  if (!mapping.columns.some((c) => c.field === LEAD_ID_FIELD)) {
    io.stderr.write(`warning: no column was recognised as the lead id; set "field": "lead_id" on one column in the mapping file.\n`);
  }
  if (values.out !== undefined) {
    try {
      await writeFile(resolve(io.cwd, values.out), formatMappingFile(toMappingFile(mapping, source.headerRowNumber === 1 ? undefined : source.headerRowNumber)));
    } catch (error) {
      return fatal(io, false, `Cannot write ${values.out}: ${error instanceof Error ? error.message : String(error)}`);
    }
    io.stdout.write(`Mapping written to ${values.out}\n`);
  }
  return EXIT.ok;
}
