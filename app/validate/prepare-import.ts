// Everything decided before the first row is decoded: the file is opened, its columns are
// mapped (automatically or from a mapping file), and a row decoder is compiled once.
import * as E from 'fp-ts/Either';
import { openSource } from '../source/open-source.ts';
import type { FileErrorCode, SourceFile, SourceOptions, SourceRow } from '../source/types.ts';
import { autoMap, repeatedMatches } from '../mapping/auto-map.ts';
import { applyMappingFile, type MappingFile } from '../mapping/mapping-file.ts';
import type { Mapping } from '../mapping/types.ts';
import { compileRowDecoder, type RowDecoder } from '../lead/row-decoder.ts';
import { LEAD_ID_FIELD } from '../lead/fields.ts';
import { restoreNeutralized } from '../report/csv-safety.ts';
import { reportRowRestorer } from './report-rows.ts';
import { isReportColumn } from '../mapping/report-columns.ts';

export type ImportErrorCode = FileErrorCode | 'no_lead_id' | 'mapping';

/** A problem with the whole import: nothing is written, the CLI exits 2. */
export interface ImportError {
  readonly code: ImportErrorCode;
  readonly message: string;
}

export interface PreparedImport {
  readonly source: SourceFile;
  readonly mapping: Mapping;
  readonly decoder: RowDecoder;
  /** Non-fatal mapping notes (e.g. a mapping-file column the file does not have). */
  readonly mappingProblems: readonly string[];
  /** True when the file is one of our own reports: its cells are un-neutralized on read. */
  readonly isReport: boolean;
  /** Applies what reading a report needs to a row; identity for ordinary files. */
  readonly restoreRow: (row: SourceRow) => SourceRow;
}

export interface PrepareOptions {
  readonly path: string;
  readonly source?: SourceOptions;
  readonly mappingFile?: MappingFile;
  /**
   * Columns already chosen for this very header (the desktop's import, mapped and edited in the
   * app): used as they are, rather than written as a mapping file and read back.
   */
  readonly mapping?: Mapping;
  /** Names the mapping file in messages. */
  readonly mappingFileName?: string;
  /** Opens the file (tests inject one that counts the passes over its rows). */
  readonly openSource?: typeof openSource;
}

export async function prepareImport(options: PrepareOptions): Promise<E.Either<ImportError, PreparedImport>> {
  // The mapping file may say where the header is; an explicit option (--header-row) wins.
  const headerRow = options.source?.headerRow ?? options.mappingFile?.headerRow;
  const opened = await (options.openSource ?? openSource)(options.path, {
    ...options.source,
    ...(headerRow === undefined ? {} : { headerRow }),
  });
  if (E.isLeft(opened)) return opened;
  let source = opened.right;
  // One of our reports: its header was neutralized like its cells ("-Comment" written as
  // "'-Comment"), so the header is restored too, or its columns would lose their names.
  if (source.header.some(isReportColumn)) source = withHeader(source, source.header.map(restoreNeutralized));

  let mapping: Mapping;
  let mappingProblems: readonly string[] = [];
  if (options.mapping) {
    mapping = options.mapping;
  } else if (options.mappingFile) {
    const applied = applyMappingFile(source.header, options.mappingFile);
    const fileName = options.mappingFileName ?? 'mapping file';
    if (applied.ambiguous.length > 0) {
      return E.left({
        code: 'duplicate_header',
        message: `${options.path}: ${applied.ambiguous.map((p) => `${fileName}: ${p}`).join('; ')}.`,
      });
    }
    mapping = applied.mapping;
    mappingProblems = applied.problems.map((p) => `${fileName}: ${p}`);
  } else {
    const repeated = repeatedMatches(source.header);
    if (repeated.length > 0) {
      return E.left({
        code: 'duplicate_header',
        message: `${options.path}: ${repeated.map((r) => r.message).join('; ')} (see "lead-import map").`,
      });
    }
    mapping = autoMap(source.header);
  }

  if (!mapping.columns.some((c) => c.field === LEAD_ID_FIELD)) {
    const hint = options.mappingFile
      ? `${options.mappingFileName ?? 'the mapping file'} maps no column of it to lead_id`
      : `no column header looks like a lead id (e.g. "Lead ID", "Propexo ID", "lead_id"); columns: ${source.header.map((h) => `"${h}"`).join(', ')}${otherSheets(source)}`;
    return E.left({
      code: 'no_lead_id',
      message: `${options.path}: no column provides the lead id: ${hint}. Map one with --mapping (see "lead-import map").`,
    });
  }

  const isReport = mapping.columns.some((c) => c.method === 'report_column');
  return E.right({
    source,
    mapping,
    decoder: compileRowDecoder(source.header, mapping),
    mappingProblems,
    isReport,
    restoreRow: isReport ? reportRowRestorer(source.header) : (row) => row,
  });
}

/**
 * The source with other header names. Its other members are kept as they are: some are live (the
 * encoding a read finds, app/source/csv-reader.ts), which a spread would freeze at their first value.
 */
function withHeader(source: SourceFile, header: readonly string[]): SourceFile {
  const members = Object.getOwnPropertyDescriptors(source);
  return Object.defineProperties({} as SourceFile, { ...members, header: { value: header, enumerable: true } });
}

/** A workbook read from its default sheet may hold the leads in another one: say which was read. */
function otherSheets(source: SourceFile): string {
  const others = (source.sheets ?? []).filter((name) => name !== source.sheet);
  if (source.format !== 'xlsx' || others.length === 0) return '';
  return ` in sheet "${source.sheet ?? ''}" (the workbook's other sheets: ${others.map((name) => `"${name}"`).join(', ')}; choose one with --sheet)`;
}
