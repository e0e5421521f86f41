// Where the built app lives and which URLs are ours. Main, the IPC sender check and the
// navigation guard all ask this one module, so "our page" means the same thing everywhere.
import { join } from 'node:path';
import { APP_HOST, APP_PAGE_URL, APP_SCHEME } from './app-protocol.ts';

export interface BundlePaths {
  /** out/preload/index.cjs: the sandboxed preload must be one CommonJS file. */
  readonly preload: string;
  /** out/renderer: what app:// serves (main/app-protocol.ts). */
  readonly rendererDir: string;
  /** out/renderer/index.html */
  readonly rendererHtml: string;
}

/** `mainDir` is the folder of the built main script (out/main). */
export function bundlePaths(mainDir: string): BundlePaths {
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    rendererHtml: join(mainDir, '..', 'renderer', 'index.html'),
  };
}

/** 'bundled': the built files, served on app://lead-importer/ from `dir`. */
export type RendererSource =
  { readonly kind: 'bundled'; readonly dir: string; readonly url: string } | { readonly kind: 'devServer'; readonly url: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The page to load: always the bundled file, except under `npm run dev` (not packaged, and
 * electron-vite gave a dev server on this machine). A packaged app never loads a remote URL,
 * whatever the environment says.
 */
export function rendererSource(
  paths: BundlePaths,
  options: { readonly isPackaged: boolean; readonly devServerUrl?: string | undefined },
): RendererSource {
  const dev = options.isPackaged ? undefined : loopbackHttpUrl(options.devServerUrl);
  if (dev !== undefined) return { kind: 'devServer', url: dev };
  return { kind: 'bundled', dir: paths.rendererDir, url: APP_PAGE_URL };
}

function loopbackHttpUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Is `candidate` our renderer page? Bundled: app://lead-importer/index.html (any query or hash),
 * never a file: URL. The dev server: the same origin.
 */
export function isOwnRendererUrl(candidate: string, source: RendererSource): boolean {
  let url: URL;
  let own: URL;
  try {
    url = new URL(candidate);
    own = new URL(source.url);
  } catch {
    return false;
  }
  if (source.kind === 'devServer') return url.origin === own.origin;
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.pathname === own.pathname && own.protocol === url.protocol;
}
