// The page-side bridge (page/bridge.ts) as one script for page.addInitScript, bundled by
// esbuild (installed with vite) with the contract table and io-ts inside it, as the preload is.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let bundled: Promise<string> | undefined;

export function bridgeScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./page/bridge.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (file === undefined) throw new Error('esbuild produced no bridge script');
    return file.text;
  });
  return bundled;
}
