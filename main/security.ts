// Electron's security checklist, applied to the session and to every webContents: no
// permission is ever granted, no download ever starts, WebRTC sends no UDP outside a proxy,
// pages cannot navigate away from our renderer, open windows, attach webviews, and our
// documents carry the CSP as a header as well as in their meta tag. The CSP leaves WebRTC and
// downloads open: these handlers close them to a compromised page.

/** The parts of a Session this module configures. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent, item: { cancel(): void }, webContents: unknown) => void): unknown;
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: { readonly url: string; readonly resourceType: string; readonly responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

export interface HardenSessionOptions {
  /** The policy to send with our documents; null under the dev server (its HMR client needs more). */
  readonly contentSecurityPolicy: string | null;
  /** Which documents are ours (see main/bundle.ts). */
  readonly isOwnUrl: (url: string) => boolean;
}

export function hardenSession(session: SessionLike, options: HardenSessionOptions): void {
  // Camera, notifications, geolocation, clipboard-read, HID…: an importer needs none of them.
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // The app never downloads through the page (reports are written by main where the save dialog
  // said): a download would be a compromised page dropping a file on the disk.
  session.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
  });

  const policy = options.contentSecurityPolicy;
  if (policy === null) return;
  session.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (!isDocument || !options.isOwnUrl(details.url)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withHeader(details.responseHeaders ?? {}, 'Content-Security-Policy', policy) });
  });
}

function withHeader(headers: Record<string, string[]>, name: string, value: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(headers)) if (key.toLowerCase() !== name.toLowerCase()) out[key] = values;
  out[name] = [value];
  return out;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

/** The parts of a webContents this module guards. */
export interface ContentsLike {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
  setWebRTCIPHandlingPolicy(policy: 'disable_non_proxied_udp'): void;
}

export interface HardenContentsOptions {
  readonly isOwnUrl: (url: string) => boolean;
  /** Offered every link the page tries to open; it opens only allowed ones (main/external-links.ts). */
  readonly openExternal: (url: string) => void;
}

export function hardenWebContents(contents: ContentsLike, options: HardenContentsOptions): void {
  // The page has no use for WebRTC (camera and microphone are denied above). Chromium's
  // strictest policy: no local address is gathered and no UDP leaves except through a proxy,
  // so a compromised page can neither learn the machine's addresses nor open a direct peer link.
  contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
  // A link clicked in the page: it never replaces our page; an allowed one opens in the browser.
  contents.on('will-navigate', (event) => {
    if (options.isOwnUrl(event.url)) return;
    event.preventDefault();
    options.openExternal(event.url);
  });
  // Subframes (there should be none: CSP default-src 'none' covers frame-src) and redirects.
  contents.on('will-frame-navigate', (event) => {
    if (!options.isOwnUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!options.isOwnUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // window.open and target=_blank: never a new Electron window.
  contents.setWindowOpenHandler(({ url }) => {
    options.openExternal(url);
    return { action: 'deny' };
  });
}
