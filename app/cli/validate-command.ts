// `lead-import validate FILE [--mapping M] [--sheet S] [--encoding E] [--delimiter D] [--header-row N] [--errors OUT.csv|OUT.xlsx] [--json] [--env ENV [--integration ID] [--property ID] [--api-key-file F] [--changes OUT.csv]]`
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import * as E from 'fp-ts/Either';
import { validateFile, formatProblem, type ValidationSummary } from '../validate/validate-file.ts';
import { ReportWriteError } from '../report/staged-file.ts';
import { EXIT, type CliIo, type CliOverrides } from './io.ts';
// The check against Propexo (and the key it needs) loads only with --env: a plain validate of a
// big file does not pay for compiling the client, the run core and the lookups (bench:validate).
import type { OnlineCheckSummary } from './online-check.ts';
import { fatal, parseCommandLine, usageError } from './usage-error.ts';
import { count, describeDelimiter, plural } from './format.ts';
import { loadMappingFile, sourceFlagSpec, sourceOptionsFrom } from './source-flags.ts';

export const validateUsage = `Usage: lead-import validate FILE [--mapping M] [--sheet S] [--encoding E] [--delimiter D] [--header-row N] [--errors OUT.csv|OUT.xlsx] [--json]
                             [--env practice|sandbox|production|URL [--integration ID] [--property ID] [--api-key-file F] [--changes OUT.csv]]

Reads FILE (CSV, TSV or XLSX), maps its columns to Propexo lead fields and checks every row.
The header is the first row that looks like one (title lines above it are passed over);
--header-row N takes row N instead (the row number the file shows).
Nothing is sent. Exit 0 when every row is valid, 1 when some rows are invalid, 2 when the
file itself cannot be used (nothing is written then). A large CSV is checked in two halves at
once on a machine with two cores or more; the result is the same. A workbook may hold up to
1024 MB of uncompressed data (--max-workbook-mb N raises that for a genuine giant).

With --env, the valid rows are also checked against Propexo, reading only: each row's lead is
found by the key its lead column holds (a mapping file's "match": x_id, email_1, phone_1 or
lead_id), and names of lead sources, agents, units, floor plans, relationships and address
types are turned into ids. Matching by x_id, e-mail or phone, and names, need the scope:
--integration ID (and --property ID), or "integration"/"property" in the mapping file. Rows
not found or ambiguous go in the error report (stage "match") and make the exit 1. The API key
comes from PROPEXO_API_KEY or --api-key-file (practice needs none). --changes OUT.csv also reads
each matched lead's current values and writes one line per field the row would change
(import_row, lead_id, field, current, new).`;

export async function validateCommand(argv: readonly string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  const parsed = parseCommandLine(
    io,
    {
      args: [...argv],
      allowPositionals: true,
      options: {
        ...sourceFlagSpec,
        errors: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        env: { type: 'string' },
        integration: { type: 'string' },
        property: { type: 'string' },
        'api-key-file': { type: 'string' },
        changes: { type: 'string' },
      },
    },
    validateUsage,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    return usageError(io, positionals.length === 0 ? 'FILE is missing' : `one FILE expected, got ${positionals.length}`);
  const json = values.json === true;
  const fail = (message: string): number => fatal(io, json, message);

  const sourceOptions = sourceOptionsFrom(values);
  if (E.isLeft(sourceOptions)) return fail(sourceOptions.left);
  let mappingFile;
  if (values.mapping !== undefined) {
    const loaded = await loadMappingFile(values.mapping, io.cwd);
    if (E.isLeft(loaded)) return fail(loaded.left);
    mappingFile = loaded.right;
  }

  const online = values.env === undefined ? undefined : values.env;
  if (online === undefined && (values.integration !== undefined || values.property !== undefined))
    return usageError(io, '--integration and --property scope the check against Propexo: give --env too');
  if (online === undefined && values.changes !== undefined)
    return usageError(io, "--changes reads the leads' current values from Propexo: give --env too");
  let token: string | undefined;
  const onlineCheck = online === undefined ? undefined : await import('./online-check.ts');
  if (online !== undefined) {
    const { readToken } = await import('./send-command.ts');
    const read = await readToken(io, values['api-key-file']);
    if (E.isLeft(read)) return fail(read.left);
    token = read.right;
  }
  let check: E.Either<string, OnlineCheckSummary> | undefined;
  const scope = {
    integrationId: values.integration ?? mappingFile?.integration,
    propertyId: values.property ?? mappingFile?.property,
  };

  const file = positionals[0];
  const progress = io.stderr.isTTY && !json ? progressLine(io) : undefined;
  let result;
  try {
    result = await validateFile({
      path: resolve(io.cwd, file),
      source: sourceOptions.right,
      mappingFile,
      mappingFileName: values.mapping,
      segments: availableParallelism() > 1,
      errorsPath: values.errors === undefined ? undefined : resolve(io.cwd, values.errors),
      onProgress: progress,
      beforeCommit:
        online === undefined || onlineCheck === undefined
          ? undefined
          : async (report, prepared) => {
              if (progress) io.stderr.write('\r\x1b[KChecking against Propexo…');
              check = await onlineCheck.checkOnline(
                prepared,
                report,
                { ...overrides.connection, environment: online, token },
                scope,
                values.changes === undefined ? undefined : resolve(io.cwd, values.changes),
              );
            },
    });
  } catch (error) {
    if (error instanceof ReportWriteError) return fail(error.message);
    throw error;
  } finally {
    if (progress) io.stderr.write('\r\x1b[K');
  }
  if (E.isLeft(result)) return fail(result.left.message.replace(resolve(io.cwd, file), file));
  const summary: ValidationSummary = {
    ...result.right,
    file,
    errorsFile: result.right.errorsFile === null ? null : (values.errors ?? null),
  };
  if (check !== undefined && E.isLeft(check)) return fail(check.left);
  const checkSummary = check === undefined ? undefined : check.right;

  if (json)
    io.stdout.write(`${JSON.stringify({ ...jsonSummary(summary), ...(checkSummary === undefined ? {} : jsonCheck(checkSummary)) })}\n`);
  else io.stdout.write(humanSummary(summary) + (checkSummary === undefined ? '' : humanCheck(checkSummary)));
  const unmatched = checkSummary === undefined ? 0 : checkSummary.notFound + checkSummary.ambiguous;
  return summary.invalid > 0 || unmatched > 0 ? EXIT.someRowsFailed : EXIT.ok;
}

/** The documented `--json` object, and nothing else. */
export function jsonSummary(s: ValidationSummary): Record<string, unknown> {
  return {
    file: s.file,
    encoding: s.encoding,
    notices: s.notices,
    headerRow: s.headerRow,
    rows: s.rows,
    valid: s.valid,
    invalid: s.invalid,
    skipped: s.skipped,
    warnings: s.warnings,
    duplicates: s.duplicates,
    unmappedColumns: s.unmappedColumns,
    mapping: s.mapping,
    errorsFile: s.errorsFile,
  };
}

export function humanSummary(s: ValidationSummary): string {
  const lines: string[] = [];
  const how =
    s.format === 'xlsx' ? `XLSX, sheet "${s.sheet ?? ''}"` : `CSV, ${s.encoding ?? ''}, ${describeDelimiter(s.delimiter)}-separated`;
  lines.push(`${s.file} (${how}): ${plural(s.rows, 'row')}`);
  for (const notice of s.notices) lines.push(`  Note: ${notice}`);
  if (s.headerRow !== 1) {
    const row = s.format === 'xlsx' ? `row ${s.headerRow}` : `line ${s.headerRow}`;
    lines.push(`  Header: ${row}; what is above it (a title, blank lines) is not data. Choose another with --header-row N.`);
  }
  lines.push(
    `  ${count(s.valid)} valid, ${count(s.invalid)} invalid, ${count(s.skipped)} skipped (nothing to change), ` +
      `${count(s.warnings)} with warnings, ${count(s.duplicates)} updating a lead an earlier row updates`,
  );
  const mapped = Object.entries(s.mapping);
  lines.push(
    `  Columns: ${plural(mapped.length, 'column')} mapped${s.unmappedColumns.length ? `; not mapped, never sent: ${listSome(s.unmappedColumns)}` : ''}`,
  );
  for (const problem of s.mappingProblems) lines.push(`  Mapping: ${problem}`);
  if (s.firstProblems.length > 0) {
    lines.push('', 'First problems:');
    for (const p of s.firstProblems) lines.push(`  ${p.severity === 'error' ? 'error  ' : 'warning'} ${formatProblem(p)}`);
  }
  lines.push('');
  if (s.errorsFile !== null) lines.push(`Error report: ${s.errorsFile} (${plural(s.invalid + s.skipped, 'row')} that will not be sent)`);
  else if (s.invalid > 0) lines.push('Write every problem to a file with --errors errors.csv, fix it there and validate it again.');
  lines.push(s.invalid === 0 ? 'Every row is valid.' : `${plural(s.invalid, 'row')} must be fixed before they can be sent.`);
  return `${lines.join('\n')}\n`;
}

/** `--json` with --env: what the check against Propexo found, and what it cost. */
export function jsonCheck(c: OnlineCheckSummary): Record<string, unknown> {
  return {
    environment: c.environment,
    matchedBy: c.matchedBy,
    matched: c.matched,
    notFound: c.notFound,
    ambiguous: c.ambiguous,
    strategy: c.strategy,
    requests: { lookup: c.lookupRequests, ...(c.changes === undefined ? {} : { read: c.changes.readRequests }) },
    ...(c.changes === undefined
      ? {}
      : {
          changes: {
            leads: c.changes.leads,
            fields: c.changes.fields,
            unknownFields: c.changes.unknownFields,
            rowsToSend: c.changes.rowsToSend,
            unchangedRows: c.changes.unchangedRows,
          },
        }),
  };
}

export function humanCheck(c: OnlineCheckSummary): string {
  const lines = [
    '',
    `Checked against Propexo (${c.environment}), leads by ${c.matchedBy}: ${count(c.matched)} matched, ${count(c.notFound)} not found, ${count(c.ambiguous)} ambiguous`,
    `  Lookups: ${c.strategy}; ${plural(c.lookupRequests, 'request')} made`,
  ];
  if (c.scopeChanged)
    lines.push('  Note: the scope changed while it was read; a lead deleted meanwhile may have been missed (validate again to be sure).');
  for (const p of c.firstProblems) lines.push(`  ${p.outcome.padEnd(9)} row ${p.rowNumber}: ${p.message}`);
  if (c.changes !== undefined) {
    const ch = c.changes;
    lines.push(
      `  ${plural(ch.leads, 'lead')}, ${plural(ch.fields, 'field')} will change; ${plural(ch.unchangedRows, 'row')} ${ch.unchangedRows === 1 ? 'is' : 'are'} already up to date (${plural(ch.readRequests, 'current-value read')})`,
    );
  }
  if (c.notFound + c.ambiguous > 0)
    lines.push(
      `${plural(c.notFound + c.ambiguous, 'row')} cannot be sent until fixed: type the Propexo id into the row, or correct the name.`,
    );
  return `${lines.join('\n')}\n`;
}

/** A few names, then how many more: a file can have thousands of columns. */
function listSome(names: readonly string[], shown = 10): string {
  const head = names
    .slice(0, shown)
    .map((c) => `"${c}"`)
    .join(', ');
  return names.length > shown ? `${head} and ${count(names.length - shown)} more` : head;
}

function progressLine(io: CliIo): (rows: number) => void {
  let last = 0;
  return (rows) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    io.stderr.write(`\r\x1b[KValidating… ${count(rows)} rows`);
  };
}
