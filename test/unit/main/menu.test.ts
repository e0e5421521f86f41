import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../../app/shared/contract.ts';
import { HELP_URL } from '../../../main/external-links.ts';
import { installMenu, type MenuOptions } from '../../../main/menu.ts';
import { electronDouble, Menu, type MenuItem } from '../../support/electron-double.ts';

function build(options: Partial<MenuOptions> = {}) {
  const commands: MenuCommand[] = [];
  const links: string[] = [];
  const recent: string[] = [];
  const menu = installMenu(
    Menu,
    { platform: 'win32', isPackaged: true, appName: 'Lead Importer', ...options },
    {
      sendCommand: (command) => commands.push(command),
      openExternal: (url) => links.push(url),
      openRecent: (path) => recent.push(path),
    },
  );
  const find = (predicate: (item: MenuItem) => boolean): MenuItem => {
    const item = menu.allItems().find(predicate);
    if (item === undefined) throw new Error('menu item not found');
    return item;
  };
  return { menu, commands, links, recent, find, byLabel: (label: string) => find((i) => i.label === label) };
}

describe('application menu', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('lists the recent files under File › Open Recent, by name, and opens the one chosen', () => {
    const { byLabel, recent } = build({ recentFiles: ['/home/pat/leads/march.csv', '/home/pat/leads/april.xlsx'] });
    expect(byLabel('Open Recent').submenu?.items.map((i) => i.label)).toEqual(['march.csv', 'april.xlsx']);
    byLabel('april.xlsx').click();
    expect(recent).toEqual(['/home/pat/leads/april.xlsx']);
    expect(build({ recentFiles: [] }).byLabel('Open Recent').enabled).toBe(false);
  });

  it('is installed as the application menu', () => {
    const { menu } = build();
    expect(Menu.getApplicationMenu()).toBe(menu);
  });

  it.each([
    ['Open…', 'CmdOrCtrl+O', 'open'],
    ['Export error report…', 'CmdOrCtrl+E', 'exportErrors'],
    ['Export results…', 'CmdOrCtrl+Shift+E', 'exportResults'],
  ] as const)('%s has %s and sends the %s command', (label, accelerator, command) => {
    const { byLabel, commands } = build();
    const item = byLabel(label);
    expect(item.accelerator).toBe(accelerator);
    item.click();
    expect(commands).toEqual([command]);
  });

  it('lays out File as Open, Open Recent, exports, separator, Quit (Windows and Linux)', () => {
    const { menu } = build({ platform: 'linux' });
    expect(menu.items.map((i) => i.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const file = menu.items[0].submenu?.items ?? [];
    expect(file.map((i) => i.label ?? i.type)).toEqual([
      'Open…',
      'Open Recent',
      'separator',
      'Export error report…',
      'Export results…',
      'separator',
      'Quit',
    ]);
    expect(file[6]).toMatchObject({ role: 'quit', accelerator: 'CmdOrCtrl+Q' });
  });

  it('gives inputs the edit roles (copy and paste into the API key field)', () => {
    const { menu } = build();
    const roles = menu.items[1].submenu?.items.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
  });

  it('offers reload and developer tools only in development', () => {
    const roles = (packaged: boolean) =>
      build({ isPackaged: packaged })
        .menu.allItems()
        .map((i) => i.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(true)).not.toContain('reload');
    expect(roles(true)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
    expect(roles(false)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn']));
  });

  it('opens the documentation through the link allowlist', () => {
    const { find, links } = build();
    find((i) => /documentation/i.test(i.label ?? '')).click();
    expect(links).toEqual([HELP_URL]);
  });

  it('has the macOS app menu with Quit, and no mnemonics, on macOS', () => {
    const { menu, byLabel } = build({ platform: 'darwin' });
    expect(menu.items[0].label).toBe('Lead Importer');
    const appItems = menu.items[0].submenu?.items ?? [];
    expect(appItems.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    expect(appItems.find((i) => i.role === 'quit')?.accelerator).toBe('CmdOrCtrl+Q');
    expect(menu.items.map((i) => i.label)).toEqual(['Lead Importer', 'File', 'Edit', 'View', undefined, 'Help']);
    expect(menu.items[4].role).toBe('windowMenu');
    expect(byLabel('Open…').accelerator).toBe('CmdOrCtrl+O');
    expect(menu.items[1].submenu?.items.map((i) => i.role)).toContain('close');
  });
});
