// Links leave the app only to the user's browser, only over https, and only to hosts we name
// (Fiddle's safelyOpenWebURL). shell.openExternal with an unchecked URL can launch any
// registered protocol handler (file:, smb:, custom schemes): that is code execution.

export const EXTERNAL_HOSTS: readonly string[] = ['propexo.com', 'www.propexo.com', 'docs.propexo.com'];
export const HELP_URL = 'https://docs.propexo.com/';

/** The URL to open, normalised, or null when it is not allowed. */
export function allowedExternalUrl(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  // user:password@host hides the real host from a reader of the link.
  if (url.username !== '' || url.password !== '') return null;
  // An explicit port is not a site we link to.
  if (url.port !== '') return null;
  if (!hosts.includes(url.hostname)) return null;
  return url.href;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

/** Opens an allowed link in the browser; true when it was handed over. */
export async function safelyOpenExternal(shell: ShellLike, raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): Promise<boolean> {
  const url = allowedExternalUrl(raw, hosts);
  if (url === null) return false;
  await shell.openExternal(url);
  return true;
}
