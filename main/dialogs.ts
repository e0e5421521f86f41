// Native open/save dialogs. The renderer only asks; the path comes from the user's choice, and
// only such a path is read or written afterwards (main/file-access.ts records each choice).
// The save dialog suggests the folder of the file last opened, where users look for the
// error report of that file.
import type {
  MessageBoxOptions,
  MessageBoxReturnValue,
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
} from 'electron';
import { dirname, extname, join } from 'node:path';
import type { ExportKind } from '../app/shared/contract.ts';
import type { ProductionConfirmation } from '../app/shared/views.ts';
import { describeChangeCounts } from '../app/shared/change-counts.ts';
import type { FileAccess } from './file-access.ts';

export const SPREADSHEET_EXTENSIONS: readonly string[] = ['csv', 'tsv', 'xlsx'];

export interface DialogLike<W> {
  showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(window: W, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  showMessageBox(window: W, options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
}

export interface Dialogs {
  openSpreadsheet(): Promise<string | null>;
  /** A mapping template (.json), for the Map screen's "Load template…". */
  openMapping(): Promise<string | null>;
  saveExport(request: { readonly defaultName: string; readonly kind: ExportKind }): Promise<string | null>;
  /** Tells the dialogs which file the user is working on (opened by drop or association too). */
  noteOpenedFile(path: string): void;
  /**
   * Asks, in a modal box of main's own (the page cannot answer it), before a run writes to
   * Production. True only when the person clicked the Production button; Cancel is the default.
   */
  confirmProduction(request: ProductionConfirmation): Promise<boolean>;
}

// What undo can and cannot do, said plainly: it needs the values read before the run (the
// default), and it leaves fields someone changed since alone.
const PRODUCTION_DETAIL =
  'Production changes real leads in your property-management systems. A run that read the leads first (the default) can be undone from History, except fields someone changes after it; other systems reading these leads see the changes at once. Practice and Sandbox are for trying things out.';

/** An undo writes too: said as what it writes back, not as a send. */
const UNDO_DETAIL =
  'The undo writes back, to real leads in your property-management systems, the values they had before the run. Fields changed since the import are left alone unless you chose to write over them.';

function productionQuestion(request: ProductionConfirmation): { readonly message: string; readonly button: string } {
  switch (request.action) {
    case 'start': {
      const rows = request.rows === null ? 'the valid rows' : request.rows === 1 ? '1 lead update' : `${request.rows} lead updates`;
      return { message: `Send ${rows} from ${request.fileName} to Production?`, button: 'Send to Production' };
    }
    case 'resume':
      return { message: `Resume run ${request.runId ?? ''} of ${request.fileName} on Production?`, button: 'Resume on Production' };
    case 'retry':
      return {
        message: `Retry, on Production, the rows of run ${request.runId ?? ''} (${request.fileName}) that did not go through?`,
        button: 'Retry on Production',
      };
    case 'undo': {
      const leads = request.rows === null ? 'the leads' : request.rows === 1 ? '1 lead' : `${request.rows} leads`;
      return {
        message: `Undo run ${request.runId ?? ''} of ${request.fileName} on Production, writing back the values ${leads} had before it?`,
        button: 'Undo on Production',
      };
    }
  }
}

/** What the check against Propexo found, when the import was checked against Production: said before the warning. */
function productionFindings(request: ProductionConfirmation): string {
  const lines: string[] = [];
  if (request.unmatched !== undefined && request.unmatched !== null && request.unmatched > 0) {
    lines.push(
      `${request.unmatched === 1 ? '1 row' : `${request.unmatched.toLocaleString('en-US')} rows`} matched no single lead in Production and will not be sent.`,
    );
  }
  if (request.changes !== undefined && request.changes !== null) lines.push(`${describeChangeCounts(request.changes)}.`);
  return lines.map((line) => `${line}\n\n`).join('');
}

const CSV_FILTER = { name: 'CSV (Excel, Numbers, Google Sheets)', extensions: ['csv'] };
/** The first filter's extension is added to a suggested name that has none of them. */
const EXPORT_FILTERS: Readonly<Record<ExportKind, readonly { name: string; extensions: string[] }[]>> = {
  csv: [CSV_FILTER],
  json: [{ name: 'JSON', extensions: ['json'] }],
  report: [CSV_FILTER, { name: 'Excel workbook, problem cells highlighted', extensions: ['xlsx'] }],
};
const EXPORT_TITLES: Readonly<Record<ExportKind, string>> = {
  csv: 'Save the report',
  json: 'Save as JSON',
  report: 'Save the error report',
};

export interface DialogsOptions<W> {
  /** The window the dialog belongs to (modal on macOS); null when there is none. */
  readonly window: () => W | null;
  /** Where a save dialog starts when no file was opened yet (the Documents folder). */
  readonly defaultDirectory: () => string;
  /** Told every path the user picks: it may be read (open) or written (save), nothing else. */
  readonly files: Pick<FileAccess, 'allowReading' | 'allowWriting'>;
}

export function createDialogs<W>(dialog: DialogLike<W>, options: DialogsOptions<W>): Dialogs {
  let lastDirectory: string | null = null;
  return {
    async openMapping() {
      const window = options.window();
      if (window === null) return null;
      const result = await dialog.showOpenDialog(window, {
        title: 'Load a mapping template',
        properties: ['openFile'],
        filters: [{ name: 'Mapping templates (JSON)', extensions: ['json'] }],
        ...(lastDirectory === null ? {} : { defaultPath: lastDirectory }),
      });
      const path = result.canceled ? undefined : result.filePaths[0];
      if (path === undefined) return null;
      options.files.allowReading(path, 'dialog');
      return path;
    },
    async openSpreadsheet() {
      const window = options.window();
      if (window === null) return null;
      const result = await dialog.showOpenDialog(window, {
        title: 'Open a lead spreadsheet',
        properties: ['openFile'],
        filters: [{ name: 'Spreadsheets (CSV, TSV, Excel)', extensions: [...SPREADSHEET_EXTENSIONS] }],
        ...(lastDirectory === null ? {} : { defaultPath: lastDirectory }),
      });
      const path = result.canceled ? undefined : result.filePaths[0];
      if (path === undefined) return null;
      options.files.allowReading(path, 'dialog');
      lastDirectory = dirname(path);
      return path;
    },
    async saveExport({ defaultName, kind }) {
      const window = options.window();
      if (window === null) return null;
      const filters = EXPORT_FILTERS[kind];
      const extensions = filters.flatMap((f) => f.extensions);
      const name = extensions.includes(extname(defaultName).slice(1).toLowerCase()) ? defaultName : `${defaultName}.${extensions[0]}`;
      const result = await dialog.showSaveDialog(window, {
        title: EXPORT_TITLES[kind],
        defaultPath: join(lastDirectory ?? options.defaultDirectory(), name),
        filters: [...filters],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (result.canceled || result.filePath === undefined || result.filePath === '') return null;
      options.files.allowWriting(result.filePath);
      return result.filePath;
    },
    noteOpenedFile(path) {
      lastDirectory = dirname(path);
    },
    async confirmProduction(request) {
      const window = options.window();
      if (window === null) return false;
      const { message, button } = productionQuestion(request);
      const CANCEL = 0;
      const result = await dialog.showMessageBox(window, {
        type: 'warning',
        title: request.action === 'undo' ? 'Undo on Production' : 'Send to Production',
        message,
        detail: `${productionFindings(request)}${request.action === 'undo' ? UNDO_DETAIL : PRODUCTION_DETAIL}`,
        buttons: ['Cancel', button],
        // Enter and Escape both cancel: only a deliberate click sends.
        defaultId: CANCEL,
        cancelId: CANCEL,
        noLink: true,
      });
      return result.response === 1;
    },
  };
}
