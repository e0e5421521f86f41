// The renderer as electron-vite builds it: the root, plugins and input of
// electron.vite.config.ts, with the defaults electron-vite adds for a renderer (relative base,
// Electron's Chromium as the target, no module-preload polyfill, no minifying), written to the
// folder the e2e harness serves instead of out/renderer: main and preload are not needed to
// test the page.
import { defineConfig, type UserConfig } from 'vite';
import appConfig from '../../../electron.vite.config.ts';

const renderer = (appConfig as { renderer: UserConfig }).renderer;
const outDir = process.env.LEAD_IMPORTER_E2E_OUT;
if (outDir === undefined) throw new Error('LEAD_IMPORTER_E2E_OUT is not set');

export default defineConfig({
  ...renderer,
  base: './',
  logLevel: 'warn',
  build: {
    // electron-vite's choice for Electron 45 (its table ends at Electron 44 → Chromium 152).
    target: 'chrome152',
    modulePreload: { polyfill: false },
    minify: false,
    ...renderer.build,
    outDir,
    emptyOutDir: true,
  },
});
