// The main-process entry (out/main/index.js): hands the real electron modules to startApp.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, safeStorage, screen, session, shell } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './lifecycle.ts';

startApp<BrowserWindow>(
  { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, safeStorage, screen, session, shell },
  {
    argv: process.argv,
    cwd: process.cwd(),
    platform: process.platform,
    isDefaultApp: process.defaultApp === true,
    mainDir: dirname(fileURLToPath(import.meta.url)),
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  },
).catch((e: unknown) => {
  console.error('Lead Importer could not start:', e instanceof Error ? e.message : String(e));
  app.exit(1);
});
