// The application menu. Its commands go to the UI as 'menu:command' events (the UI decides
// what "export" means on the screen it shows); Help opens our docs through the allowlist.
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../app/shared/contract.ts';
import { HELP_URL } from './external-links.ts';

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  readonly appName: string;
  /** Most recent first (main/recent-files.ts). */
  readonly recentFiles?: readonly string[];
}

export interface MenuActions {
  sendCommand(command: MenuCommand): void;
  openExternal(url: string): void;
  /** A file of File › Open Recent: opened as a file given from outside. */
  openRecent(path: string): void;
}

export function menuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  // '&' marks the Alt-key mnemonic on Windows and Linux; macOS menus have none.
  const title = (label: string): string => (mac ? label.replace('&', '') : label);
  const command = (label: string, accelerator: string, name: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.sendCommand(name),
  });

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: title('&File'),
    submenu: [
      command('Open…', 'CmdOrCtrl+O', 'open'),
      {
        label: 'Open Recent',
        enabled: (options.recentFiles ?? []).length > 0,
        submenu: (options.recentFiles ?? []).map((path) => ({
          label: basename(path),
          toolTip: path,
          click: () => actions.openRecent(path),
        })),
      },
      { type: 'separator' },
      command('Export error report…', 'CmdOrCtrl+E', 'exportErrors'),
      command('Export results…', 'CmdOrCtrl+Shift+E', 'exportResults'),
      { type: 'separator' },
      // On macOS Quit lives in the app menu; File closes the window.
      mac ? { role: 'close' } : { label: 'Quit', role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  // Roles make copy/paste work in the page's inputs (the API key field, mapping edits).
  const editMenu: MenuItemConstructorOptions = {
    label: title('&Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };

  const developerItems: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const viewMenu: MenuItemConstructorOptions = {
    label: title('&View'),
    submenu: [
      ...developerItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = { role: 'windowMenu' };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: title('&Help'),
    submenu: [{ label: 'Propexo API documentation', click: () => actions.openExternal(HELP_URL) }],
  };

  return mac ? [appMenu, fileMenu, editMenu, viewMenu, windowMenu, helpMenu] : [fileMenu, editMenu, viewMenu, helpMenu];
}

export interface MenuModule<M> {
  buildFromTemplate(template: MenuItemConstructorOptions[]): M;
  setApplicationMenu(menu: M | null): void;
}

export function installMenu<M>(Menu: MenuModule<M>, options: MenuOptions, actions: MenuActions): M {
  const menu = Menu.buildFromTemplate(menuTemplate(options, actions));
  Menu.setApplicationMenu(menu);
  return menu;
}
