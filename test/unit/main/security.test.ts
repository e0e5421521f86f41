import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/csp.ts';
import { hardenSession, hardenWebContents } from '../../../main/security.ts';
import { electronDouble, session, WebContentsDouble } from '../../support/electron-double.ts';

const OWN_PAGE = 'file:///app/out/renderer/index.html';
const isOwnUrl = (url: string): boolean => url.split('#')[0] === OWN_PAGE;

describe('hardenSession', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal', 'fullscreen', 'unknown'])(
    'denies the permission %s, asked or checked',
    async (permission) => {
      const ses = session.defaultSession;
      // Without our handlers Electron grants: the double does the same, so the test can fail.
      expect(await ses.requestPermission(permission)).toBe(true);
      hardenSession(ses, { contentSecurityPolicy: CONTENT_SECURITY_POLICY, isOwnUrl });
      expect(await ses.requestPermission(permission, new WebContentsDouble())).toBe(false);
      expect(ses.checkPermission(permission, new WebContentsDouble())).toBe(false);
    },
  );

  it('adds the CSP header to our documents, replacing any other policy', async () => {
    hardenSession(session.defaultSession, { contentSecurityPolicy: CONTENT_SECURITY_POLICY, isOwnUrl });
    const headers = await session.defaultSession.receiveHeaders({
      url: OWN_PAGE,
      resourceType: 'mainFrame',
      responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
    });
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'Content-Type': ['text/html'] });
  });

  it('leaves other responses as they are', async () => {
    hardenSession(session.defaultSession, { contentSecurityPolicy: CONTENT_SECURITY_POLICY, isOwnUrl });
    const original = { 'Content-Type': ['application/json'] };
    expect(
      await session.defaultSession.receiveHeaders({
        url: 'https://api.propexo.com/v1/leads/1',
        resourceType: 'xhr',
        responseHeaders: original,
      }),
    ).toEqual(original);
    expect(
      await session.defaultSession.receiveHeaders({ url: 'https://evil.example/', resourceType: 'mainFrame', responseHeaders: original }),
    ).toEqual(original);
  });

  it('refuses every download (a compromised page could drop a file on the disk), dev server or not', () => {
    const ses = session.defaultSession;
    expect(ses.tryDownload('data:application/octet-stream,x').started).toBe(true);
    hardenSession(ses, { contentSecurityPolicy: null, isOwnUrl });
    for (const url of [
      'data:application/x-msdownload;base64,TVo=',
      `${OWN_PAGE}`,
      'blob:app://lead-importer/0f1e',
      'https://evil.example/payload.exe',
    ]) {
      const download = ses.tryDownload(url);
      expect(download.started, url).toBe(false);
    }
  });

  it('sends no header under the dev server, but still denies permissions', async () => {
    hardenSession(session.defaultSession, { contentSecurityPolicy: null, isOwnUrl });
    expect(await session.defaultSession.receiveHeaders({ url: OWN_PAGE, resourceType: 'mainFrame', responseHeaders: {} })).toEqual({});
    expect(await session.defaultSession.requestPermission('media')).toBe(false);
  });
});

describe('hardenWebContents', () => {
  function guarded() {
    const contents = new WebContentsDouble();
    const offered: string[] = [];
    hardenWebContents(contents, { isOwnUrl, openExternal: (url) => offered.push(url) });
    return { contents, offered };
  }

  it('lets our own page navigate (reload, hash) and nothing else', () => {
    const { contents, offered } = guarded();
    expect(contents.tryNavigate(OWN_PAGE)).toBe(true);
    expect(contents.tryNavigate(`${OWN_PAGE}#/results`)).toBe(true);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'https://docs.propexo.com/', 'javascript:alert(1)']) {
      expect(contents.tryNavigate(url)).toBe(false);
    }
    // A clicked link is offered to the allowlist, which decides (main/external-links.ts).
    expect(offered).toEqual(['https://evil.example/', 'file:///etc/passwd', 'https://docs.propexo.com/', 'javascript:alert(1)']);
  });

  it('blocks redirects and frame navigations away from our page', () => {
    const { contents, offered } = guarded();
    expect(contents.tryNavigate('https://evil.example/', 'will-redirect')).toBe(false);
    expect(contents.tryNavigate('https://evil.example/', 'will-frame-navigate')).toBe(false);
    expect(contents.tryNavigate(OWN_PAGE, 'will-frame-navigate')).toBe(true);
    expect(offered).toEqual([]);
  });

  it('denies every new window and offers its URL to the browser allowlist', () => {
    const { contents, offered } = guarded();
    expect(contents.tryOpenWindow('https://docs.propexo.com/')).toBe('deny');
    expect(contents.tryOpenWindow(OWN_PAGE)).toBe('deny');
    expect(contents.tryOpenWindow('about:blank')).toBe('deny');
    expect(offered).toEqual(['https://docs.propexo.com/', OWN_PAGE, 'about:blank']);
  });

  it('keeps WebRTC off the local network: no UDP except through a proxy (no local addresses leak, no direct peer)', () => {
    const { contents } = guarded();
    expect(contents.webRTCIPHandlingPolicy).toBe('disable_non_proxied_udp');
  });

  it('prevents webviews from attaching', () => {
    const { contents } = guarded();
    expect(contents.tryAttachWebview('https://evil.example/')).toBe(false);
  });

  it('the double lets everything through when nothing guards it (so the tests above can fail)', () => {
    const contents = new WebContentsDouble();
    expect(contents.tryNavigate('https://evil.example/')).toBe(true);
    expect(contents.tryOpenWindow('https://evil.example/')).toBe('allow');
    expect(contents.tryAttachWebview('x')).toBe(true);
    expect(contents.webRTCIPHandlingPolicy).toBe('default');
  });
});
