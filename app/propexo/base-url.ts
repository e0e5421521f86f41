// Where requests go. Named environments map to Propexo's servers; an explicit URL is for a
// proxy or the local simulator. Plain http would send the API key in clear text, so it is
// allowed only to this machine.
import * as E from 'fp-ts/Either';

export const propexoServers = {
  sandbox: 'https://api.sandbox.propexo.com',
  production: 'https://api.propexo.com',
} as const;

export type PropexoEnvironment = keyof typeof propexoServers;

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/**
 * 'sandbox' | 'production' | an explicit URL → the base URL without a trailing slash,
 * or a sentence saying what is wrong with it.
 */
export function resolveBaseUrl(environment: PropexoEnvironment | (string & {})): E.Either<string, string> {
  const name = environment.trim();
  if (name === 'sandbox' || name === 'production') return E.right(propexoServers[name]);
  let url: URL;
  try {
    url = new URL(name);
  } catch {
    return E.left(`"${name}" is neither "sandbox", "production" nor a URL such as https://api.propexo.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return E.left(`The server address must start with https:// (got ${url.protocol}//)`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return E.left(
      `Plain http:// would send the API key unencrypted; use https:// (http:// is only allowed for this machine: localhost, 127.x.x.x, [::1]). Got host ${url.hostname}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    return E.left('The server address must not contain a user name or password');
  }
  if (url.search !== '' || url.hash !== '') {
    return E.left('The server address must not contain a query (?…) or fragment (#…)');
  }
  return E.right(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}
