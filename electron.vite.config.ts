// Three builds (electron-vite): main (ESM, out/main/index.js, dependencies stay in
// node_modules), preload (one self-contained CommonJS file, out/preload/index.cjs: a sandboxed
// preload cannot require anything but electron's own modules) and the renderer (out/renderer).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * `npm run dev` only: Vite's dev client and React Fast Refresh need an inline script and a
 * websocket, which the strict policy of renderer/index.html forbids. The built page keeps the
 * policy as written (this plugin does not run in `build`).
 */
export function devServerCsp(): Plugin {
  return {
    name: 'lead-importer:dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i, (_m, start: string, policy: string, end: string) => {
        const relaxed = policy
          .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
          .replace("connect-src 'none'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
          .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
        return `${start}${relaxed}${end}`;
      });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rolldownOptions: { input: { index: resolve(root, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      // Bundle io-ts and the contract into the preload itself (electron-vite's isolated-build guide).
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(root, 'main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), devServerCsp()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
