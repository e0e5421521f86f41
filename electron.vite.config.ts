// Three builds (electron-vite): main (ESM, out/main/index.js, with every dependency bundled in:
// app.asar then holds only the built bundles, and package.json no runtime `dependencies`),
// preload (one self-contained CommonJS file, out/preload/index.cjs: a sandboxed preload cannot
// require anything but electron's own modules) and the renderer (out/renderer).
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
      return html.replace(
        /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i,
        (_m, start: string, policy: string, end: string) => {
          const relaxed = policy
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("connect-src 'none'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
          return `${start}${relaxed}${end}`;
        },
      );
    },
  };
}

/**
 * Worker threads main may start, by `new URL('./<name>.js', import.meta.url)` beside the code
 * that starts them (app/validate/segments.ts, app/source/xlsx-thread.ts,
 * app/simulator/practice-thread.ts). The bundler cannot see that reference, so each
 * is emitted as its own entry file; test/integration/packaging checks that every such URL in
 * the packed app finds its file.
 */
export const MAIN_WORKERS: Readonly<Record<string, string>> = {
  'segment-worker.js': 'app/validate/segment-worker.ts',
  'xlsx-worker.js': 'app/source/xlsx-worker.ts',
  'practice-worker.js': 'app/simulator/practice-worker.ts',
};

export function mainWorkers(workers: Readonly<Record<string, string>> = MAIN_WORKERS): Plugin {
  return {
    name: 'lead-importer:main-workers',
    apply: 'build',
    buildStart() {
      for (const [fileName, source] of Object.entries(workers)) this.emitFile({ type: 'chunk', id: resolve(root, source), fileName });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [mainWorkers()],
    build: {
      // Bundle io-ts, exceljs, papaparse… (electron and Node's built-ins stay external).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'main/index.ts') },
        // Every chunk beside the entries and the workers, so a worker URL resolves the same
        // from whichever chunk the code that starts it lands in.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
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
