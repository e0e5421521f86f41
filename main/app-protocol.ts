// The renderer is served from app://lead-importer/, a protocol of our own, not from file://:
// the page's origin is then exactly the bundle, so CSP 'self' means the bundled files and
// nothing else on the disk, and the grantFileProtocolExtraPrivileges fuse can stay off
// (Electron's security checklist, item 18). The handler serves only files inside the renderer
// folder, by extension with a known MIME type; anything else is a 404.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'lead-importer';
/** The page main loads; bundle.ts's isOwnRendererUrl accepts it and nothing else. */
export const APP_PAGE_URL = 'app://lead-importer/index.html';

/** The parts of Electron's protocol module used here. */
export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: { standard: boolean; secure: boolean } }[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/**
 * Before 'ready' (Electron ignores it after). standard: a real origin (app://lead-importer),
 * relative URLs and module scripts work as on the web; secure: a secure context, like https.
 * Nothing more: no fetch API, no service workers (connect-src 'none' anyway), and no
 * corsEnabled: the page's module script and fonts are same-origin requests, and without that
 * privilege no other origin can read app:// in CORS mode.
 */
export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** What the bundle holds (electron-vite's renderer build); anything else is not served. */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

const refuse = (status: number): Response => new Response(null, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** The file of the renderer folder `url` names, or null for anything outside it. */
export function rendererFileOf(rendererDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  // Encoded separators or NULs are never in our asset names: someone is trying something.
  if (path.includes('\0') || path.includes('\\') || /%2f|%5c/i.test(parsed.pathname)) return null;
  const relative = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? file : null;
}

/** Serves the bundled renderer on app://lead-importer/ (after 'ready'). */
export function serveRenderer(protocol: Pick<ProtocolLike, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = rendererFileOf(rendererDir, request.url);
    if (file === null) return refuse(404);
    const type = TYPES[extname(file).toLowerCase()];
    if (type === undefined) return refuse(404);
    try {
      if (!(await stat(file)).isFile()) return refuse(404);
      const body = await readFile(file);
      const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
      // The header as well as the meta tag (frame-ancestors only works as a header).
      if (type.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    } catch {
      return refuse(404);
    }
  });
}
