// The app:// protocol that serves the renderer: registered as standard and secure before 'ready',
// it serves only the files of the bundled renderer folder, with their MIME types and the CSP,
// and refuses everything else. Against the electron double's protocol module: nothing here ran
// in Electron.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_PAGE_URL, APP_SCHEME, registerAppScheme, serveRenderer } from '../../../main/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../../main/csp.ts';
import { app, electronDouble, protocol } from '../../support/electron-double.ts';

let root = '';
let rendererDir = '';

beforeEach(() => {
  electronDouble.reset();
  root = mkdtempSync(join(tmpdir(), 'lead-importer-app-protocol-'));
  rendererDir = join(root, 'out', 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Lead Importer</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(rendererDir, 'assets', 'inter.woff2'), 'font');
  writeFileSync(join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(rendererDir, 'assets', 'notes.unknownext'), 'x');
  writeFileSync(join(root, 'out', 'secret.txt'), 'not for the page');
  writeFileSync(join(root, 'out', 'renderer-evil.html'), 'not for the page');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  electronDouble.cleanup();
});

describe('the app:// scheme', () => {
  it('is registered as standard and secure, before ready (Electron ignores it after)', () => {
    registerAppScheme(protocol);
    expect(protocol.privileged).toEqual([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
    app.becomeReady();
    expect(() => registerAppScheme(protocol)).toThrow(/before the app is ready/);
  });

  it('is where the page lives', () => {
    expect(APP_PAGE_URL).toBe('app://lead-importer/index.html');
  });
});

describe('serving the renderer', () => {
  beforeEach(() => {
    app.becomeReady();
    serveRenderer(protocol, rendererDir);
  });

  it('serves the page with the CSP, and its assets with their MIME types', async () => {
    const page = await protocol.fetch(APP_PAGE_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Lead Importer</title>');
    for (const [path, type] of [
      ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['assets/index-abc.css', 'text/css; charset=utf-8'],
      ['assets/inter.woff2', 'font/woff2'],
      ['assets/logo.svg', 'image/svg+xml'],
    ] as const) {
      const response = await protocol.fetch(`app://lead-importer/${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
    }
    expect((await protocol.fetch('app://lead-importer/')).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it.each([
    'app://lead-importer/..%2fsecret.txt',
    'app://lead-importer/..%2F..%2F..%2Fetc%2Fpasswd',
    'app://lead-importer/%2e%2e/secret.txt',
    'app://lead-importer/..%5csecret.txt',
    'app://lead-importer/assets/..%2f..%2fsecret.txt',
    'app://lead-importer/%2fetc%2fpasswd',
    'app://lead-importer/../renderer-evil.html',
    'app://lead-importer/index.html%00.png',
    'app://lead-importer/%E0%A4%A',
  ])('refuses %s', async (url) => {
    const response = await protocol.fetch(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('not for the page');
  });

  it('refuses other hosts, missing files, unknown types and anything but GET', async () => {
    expect((await protocol.fetch('app://evil.example/index.html')).status).toBe(404);
    expect((await protocol.fetch('app://lead-importer/nope.js')).status).toBe(404);
    expect((await protocol.fetch('app://lead-importer/assets')).status).toBe(404);
    expect((await protocol.fetch('app://lead-importer/assets/notes.unknownext')).status).toBe(404);
    expect((await protocol.fetch(APP_PAGE_URL, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});
