import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDialogs } from '../../../main/dialogs.ts';
import { BrowserWindow, dialog, electronDouble } from '../../support/electron-double.ts';

function setUp(window: BrowserWindow | null = new BrowserWindow()) {
  const chosen: string[] = [];
  const files = {
    allowReading: (path: string, source: string) => void chosen.push(`read ${path} (${source})`),
    allowWriting: (path: string) => void chosen.push(`write ${path}`),
  };
  return { window, chosen, dialogs: createDialogs(dialog, { window: () => window, defaultDirectory: () => '/home/ann/Documents', files }) };
}

describe('dialogs', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('opens spreadsheets only, attached to the window', async () => {
    const { window, dialogs } = setUp();
    dialog.nextOpen = '/home/ann/leads/march.xlsx';
    expect(await dialogs.openSpreadsheet()).toBe('/home/ann/leads/march.xlsx');
    expect(dialog.calls[0].window).toBe(window);
    expect(dialog.calls[0].options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['csv', 'tsv', 'xlsx'] }] });
  });

  it('opens mapping templates (.json) for the Map screen', async () => {
    const { dialogs } = setUp();
    dialog.nextOpen = '/home/ann/leads/mapping.json';
    expect(await dialogs.openMapping()).toBe('/home/ann/leads/mapping.json');
    expect(dialog.calls[0].options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['json'] }] });
    dialog.nextOpen = null;
    expect(await dialogs.openMapping()).toBeNull();
  });

  it('answers null when the user cancels', async () => {
    const { dialogs } = setUp();
    expect(await dialogs.openSpreadsheet()).toBeNull();
    expect(await dialogs.saveExport({ defaultName: 'errors', kind: 'csv' })).toBeNull();
  });

  it('suggests the Documents folder, then the folder of the file being worked on', async () => {
    const { dialogs } = setUp();
    dialog.nextSave = '/home/ann/Documents/errors.csv';
    expect(await dialogs.saveExport({ defaultName: 'march errors', kind: 'csv' })).toBe('/home/ann/Documents/errors.csv');
    expect(dialog.calls[0].options).toMatchObject({
      defaultPath: '/home/ann/Documents/march errors.csv',
      filters: [{ extensions: ['csv'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    dialog.nextOpen = '/data/leads/march.csv';
    await dialogs.openSpreadsheet();
    await dialogs.saveExport({ defaultName: 'results.JSON', kind: 'json' });
    expect(dialog.calls[2].options).toMatchObject({ defaultPath: '/data/leads/results.JSON', filters: [{ extensions: ['json'] }] });
    dialogs.noteOpenedFile('/mnt/share/april.xlsx');
    await dialogs.saveExport({ defaultName: 'x.csv', kind: 'json' });
    expect(dialog.calls[3].options).toMatchObject({ defaultPath: '/mnt/share/x.csv.json' });
  });

  it('offers an error report as CSV or as an Excel workbook, keeping the suggested one', async () => {
    const { dialogs } = setUp();
    await dialogs.saveExport({ defaultName: 'march-errors.xlsx', kind: 'report' });
    expect(dialog.calls[0].options).toMatchObject({
      title: 'Save the error report',
      defaultPath: '/home/ann/Documents/march-errors.xlsx',
      filters: [{ extensions: ['csv'] }, { extensions: ['xlsx'] }],
    });
    await dialogs.saveExport({ defaultName: 'march-errors', kind: 'report' });
    expect(dialog.calls[1].options).toMatchObject({ defaultPath: '/home/ann/Documents/march-errors.csv' });
  });

  it('tells the file rule what the user chose, and for what: opened to read, saved to write', async () => {
    const { dialogs, chosen } = setUp();
    dialog.nextSave = '/home/ann/out/errors.csv';
    await dialogs.saveExport({ defaultName: 'errors', kind: 'csv' });
    dialog.nextOpen = '/home/ann/in/leads.csv';
    await dialogs.openSpreadsheet();
    dialog.nextOpen = '/home/ann/in/mapping.json';
    await dialogs.openMapping();
    dialog.nextOpen = null;
    dialog.nextSave = null;
    await dialogs.openSpreadsheet();
    await dialogs.saveExport({ defaultName: 'errors', kind: 'csv' });
    expect(chosen).toEqual([
      'write /home/ann/out/errors.csv',
      'read /home/ann/in/leads.csv (dialog)',
      'read /home/ann/in/mapping.json (dialog)',
    ]);
  });

  it('asks before writing to Production in a modal message box, Cancel first and by default', async () => {
    const { window, dialogs } = setUp();
    // Escape, or Enter on the default button: Cancel.
    expect(await dialogs.confirmProduction({ action: 'start', runId: null, fileName: 'march.csv', rows: 37 })).toBe(false);
    expect(dialog.calls[0]).toMatchObject({
      kind: 'message',
      window,
      options: {
        type: 'warning',
        message: 'Send 37 lead updates from march.csv to Production?',
        buttons: ['Cancel', 'Send to Production'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      },
    });
    dialog.messageBoxClicks.push(0);
    expect(await dialogs.confirmProduction({ action: 'start', runId: null, fileName: 'march.csv', rows: 1 })).toBe(false);
    dialog.messageBoxClicks.push(1);
    expect(await dialogs.confirmProduction({ action: 'resume', runId: 'run-1', fileName: 'march.csv', rows: null })).toBe(true);
    expect(dialog.calls[2].options).toMatchObject({
      message: 'Resume run run-1 of march.csv on Production?',
      buttons: ['Cancel', 'Resume on Production'],
      defaultId: 0,
      cancelId: 0,
    });
    dialog.messageBoxClicks.push(1);
    expect(await dialogs.confirmProduction({ action: 'retry', runId: 'run-1', fileName: 'march.csv', rows: null })).toBe(true);
    expect(dialog.calls[3].options).toMatchObject({ buttons: ['Cancel', 'Retry on Production'] });
    // An undo is said as an undo: what it writes back, its own button, Cancel still the default.
    dialog.messageBoxClicks.push(0);
    expect(await dialogs.confirmProduction({ action: 'undo', runId: 'run-1', fileName: 'march.csv', rows: null })).toBe(false);
    expect(dialog.calls[4].options).toMatchObject({
      title: 'Undo on Production',
      message: 'Undo run run-1 of march.csv on Production, writing back the values the leads had before it?',
      buttons: ['Cancel', 'Undo on Production'],
      defaultId: 0,
      cancelId: 0,
    });
    expect(dialog.calls[4].options).toMatchObject({ detail: expect.stringMatching(/^The undo writes back/) as unknown as string });
  });

  it('says, before the warning, how many rows matched no lead and what the preview found will change', async () => {
    const { dialogs } = setUp();
    const changes = { rowsToSend: 1200, leads: 1180, fields: 3400, unknownFields: 0, unchangedRows: 35 };
    await dialogs.confirmProduction({ action: 'start', runId: null, fileName: 'march.csv', rows: 1240, unmatched: 5, changes });
    const detail = String((dialog.calls[0].options as { detail?: string }).detail);
    expect(detail.split('\n\n').slice(0, 2)).toEqual([
      '5 rows matched no single lead in Production and will not be sent.',
      '1,180 leads, 3,400 fields will change; 35 rows are already up to date.',
    ]);
    await dialogs.confirmProduction({ action: 'start', runId: null, fileName: 'march.csv', rows: 1, unmatched: 0, changes: null });
    expect(String((dialog.calls[1].options as { detail?: string }).detail)).toMatch(/^Production changes real leads/);
    // Undo exists: the warning says what it can and cannot take back (it said it could not).
    expect(String((dialog.calls[1].options as { detail?: string }).detail)).toMatch(
      /can be undone from History, except fields someone changes after it/,
    );
  });

  it('shows nothing when there is no window', async () => {
    const { dialogs } = setUp(null);
    dialog.nextOpen = '/x.csv';
    expect(await dialogs.openSpreadsheet()).toBeNull();
    // No window to ask in: no Production.
    dialog.messageBoxClicks.push(1);
    expect(await dialogs.confirmProduction({ action: 'start', runId: null, fileName: 'x.csv', rows: 1 })).toBe(false);
    expect(dialog.calls).toEqual([]);
  });
});
