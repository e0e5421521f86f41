// Where requests go. Named environments map to Propexo's servers; an explicit URL is for a
// proxy or the local simulator. Plain http would send the API key in clear text, so it is
// allowed only to this machine.
import * as E from 'fp-ts/Either';

export const propexoServers = {
  sandbox: 'https://api.sandbox.propexo.com',
  production: 'https://api.propexo.com',
} as const;

export type PropexoEnvironment = keyof typeof propexoServers;

/**
 * 127.0.0.0/8, [::1] and `localhost`: traffic that never leaves the machine. Names under
 * `.localhost` are not: the resolver may ask DNS for them, which can answer any address.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** A host name as DNS compares it: any case, with or without the root's trailing dot. */
const normalHost = (hostname: string): string => hostname.toLowerCase().replace(/\.+$/, '');

const PRODUCTION_HOST = new URL(propexoServers.production).hostname;

/**
 * Whether requests to this base URL (resolved or not) write to Propexo's production servers.
 * Decided by the host the requests go to, never by how the environment was spelled: a path
 * prefix, a port or a trailing dot still reach production.
 */
export function isProductionUrl(baseUrl: string): boolean {
  try {
    return normalHost(new URL(baseUrl.trim()).hostname) === PRODUCTION_HOST;
  } catch {
    return false;
  }
}

/** Whether an --env value (a name or a URL) resolves to production. */
export function isProductionEnvironment(environment: string): boolean {
  const resolved = resolveBaseUrl(environment);
  return E.isRight(resolved) && isProductionUrl(resolved.right);
}

/**
 * The named server a resolved base URL is exactly, if any: `https://API.PROPEXO.COM/` is
 * production under another spelling, so a run records it as such.
 */
export function namedServerOf(baseUrl: string): PropexoEnvironment | undefined {
  return (Object.keys(propexoServers) as PropexoEnvironment[]).find((name) => propexoServers[name] === baseUrl);
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
  // The origin lower-cases the host and drops a default port; the root's trailing dot goes too.
  const origin = `${url.protocol}//${normalHost(url.hostname)}${url.port === '' ? '' : `:${url.port}`}`;
  return E.right(`${origin}${url.pathname.replace(/\/+$/, '')}`);
}
