import { describe, expect, it } from 'vitest';
import { createOpenedFiles, filesFromArgv } from '../../../main/opened-files.ts';

describe('createOpenedFiles', () => {
  it('holds files until the UI listens, then delivers them as they come', () => {
    const delivered: string[] = [];
    const files = createOpenedFiles((path) => (delivered.push(path), true));
    files.add('/a.csv');
    files.add('/b.csv');
    files.add('/a.csv');
    expect(delivered).toEqual([]);
    expect(files.take()).toEqual(['/a.csv', '/b.csv']);
    expect(files.take()).toEqual([]);
    files.add('/c.csv');
    expect(delivered).toEqual(['/c.csv']);
  });

  it('queues again while the page reloads, and when delivery fails', () => {
    let windowOpen = true;
    const delivered: string[] = [];
    const files = createOpenedFiles((path) => windowOpen && (delivered.push(path), true));
    files.take();
    files.detach();
    files.add('/during-reload.csv');
    windowOpen = false;
    files.take();
    files.add('/no-window.csv');
    expect(delivered).toEqual([]);
    expect(files.take()).toEqual(['/no-window.csv']);
    windowOpen = true;
    files.detach();
    expect(files.take()).toEqual([]);
    expect(delivered).toEqual([]);
  });
});

describe('filesFromArgv', () => {
  const existing = new Set(['/home/ann/leads.csv', '/home/ann/work/march.xlsx', '/opt/lead-importer/resources/app']);
  const isFile = (path: string): boolean => existing.has(path);

  it('takes existing files after the executable, resolving relative paths', () => {
    const argv = [
      '/opt/lead-importer/lead-importer',
      '--no-sandbox',
      '/home/ann/leads.csv',
      'march.xlsx',
      'missing.csv',
      '--original-process-start-time=1',
    ];
    expect(filesFromArgv(argv, { isDefaultApp: false, workingDirectory: '/home/ann/work', isFile })).toEqual([
      '/home/ann/leads.csv',
      '/home/ann/work/march.xlsx',
    ]);
  });

  it('skips the app folder under `electron .`', () => {
    const argv = ['/usr/bin/electron', '/opt/lead-importer/resources/app', '/home/ann/leads.csv'];
    expect(filesFromArgv(argv, { isDefaultApp: true, workingDirectory: '/', isFile })).toEqual(['/home/ann/leads.csv']);
    expect(filesFromArgv(argv, { isDefaultApp: false, workingDirectory: '/', isFile })).toEqual([
      '/opt/lead-importer/resources/app',
      '/home/ann/leads.csv',
    ]);
  });

  it('passes network and device paths on without looking at them (looking would contact the host)', () => {
    const looked: string[] = [];
    const argv = ['exe', '\\\\attacker.example\\share\\leads.csv', '//host/share/x.csv', '\\\\.\\PhysicalDrive0', '/home/ann/leads.csv'];
    const files = filesFromArgv(argv, {
      isDefaultApp: false,
      workingDirectory: '/home/ann',
      isFile: (path) => (looked.push(path), isFile(path)),
    });
    expect(files).toEqual(['\\\\attacker.example\\share\\leads.csv', '//host/share/x.csv', '\\\\.\\PhysicalDrive0', '/home/ann/leads.csv']);
    expect(looked).toEqual(['/home/ann/leads.csv']);
  });

  it('checks the file system by default', () => {
    expect(
      filesFromArgv(['exe', import.meta.filename, '/definitely/not/here.csv'], { isDefaultApp: false, workingDirectory: '/' }),
    ).toEqual([import.meta.filename]);
  });
});
