import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { isLoopbackHost, isProductionEnvironment, isProductionUrl, namedServerOf, resolveBaseUrl } from '../../../app/propexo/base-url.ts';
import { environmentName } from '../../../app/run/run-context.ts';

describe('resolveBaseUrl', () => {
  it('maps the named environments to Propexo’s servers', () => {
    expect(resolveBaseUrl('sandbox')).toEqual(E.right('https://api.sandbox.propexo.com'));
    expect(resolveBaseUrl('production')).toEqual(E.right('https://api.propexo.com'));
  });

  it('accepts an explicit https URL, keeping a path prefix and dropping trailing slashes', () => {
    expect(resolveBaseUrl('https://proxy.example.com/')).toEqual(E.right('https://proxy.example.com'));
    expect(resolveBaseUrl(' https://proxy.example.com/propexo/ ')).toEqual(E.right('https://proxy.example.com/propexo'));
  });

  it('allows plain http only for loopback hosts', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.5.6.7', 'http://localhost:3000/', 'http://[::1]:9000', 'http://LOCALHOST']) {
      expect(E.isRight(resolveBaseUrl(url)), url).toBe(true);
    }
    for (const url of ['http://api.propexo.com', 'http://10.0.0.5', 'http://128.0.0.1', 'http://localhost.example.com', 'http://[::2]']) {
      const result = resolveBaseUrl(url);
      expect(E.isLeft(result), url).toBe(true);
      expect(E.isLeft(result) && result.left).toMatch(/https:\/\//);
    }
  });

  it('explains what is wrong with anything else', () => {
    const message = (input: string) => {
      const result = resolveBaseUrl(input);
      return E.isLeft(result) ? result.left : '';
    };
    expect(message('staging')).toMatch(/neither "sandbox", "production" nor a URL/);
    expect(message('ftp://api.propexo.com')).toMatch(/https:\/\//);
    expect(message('https://user:secret@api.propexo.com')).toMatch(/user name or password/);
    expect(message('https://user:secret@api.propexo.com')).not.toContain('secret');
    expect(message('https://api.propexo.com/?a=1')).toMatch(/query/);
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('127.0.0.256')).toBe(false);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost.')).toBe(true);
    expect(isLoopbackHost('example.com')).toBe(false);
  });

  it('a name under .localhost is not loopback: DNS (or a hosts file) may send it anywhere', () => {
    for (const host of [
      'foo.localhost',
      'api.localhost.',
      'a.b.LOCALHOST',
      'localhost.localdomain',
      '127.0.0.1.nip.io',
      '[::ffff:10.0.0.1]',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    for (const url of ['http://foo.localhost', 'http://foo.localhost:8080/', 'http://x.localhost.']) {
      const result = resolveBaseUrl(url);
      expect(E.isLeft(result) && result.left, url).toMatch(/only allowed for this machine/);
    }
    expect(isLoopbackHost('LocalHost.')).toBe(true);
    expect(E.isRight(resolveBaseUrl('http://127.0.0.2:9/'))).toBe(true);
  });
});

describe('production is told by address', () => {
  it('whatever the spelling of the name or the URL', () => {
    for (const env of [
      'production',
      ' production',
      'production\t',
      'https://api.propexo.com',
      'HTTPS://API.PROPEXO.COM/',
      'https://api.propexo.com.',
      'https://api.propexo.com:443',
      'https://api.propexo.com/v1/',
    ]) {
      expect(isProductionEnvironment(env), env).toBe(true);
    }
    for (const env of [
      'sandbox',
      'https://api.sandbox.propexo.com',
      'http://127.0.0.1:9000',
      'https://api.propexo.com.example.org',
      'practice',
      'nonsense',
    ]) {
      expect(isProductionEnvironment(env), env).toBe(false);
    }
    expect(isProductionUrl('https://API.propexo.com/prefix')).toBe(true);
    expect(isProductionUrl('not a url')).toBe(false);
  });

  it('a run records the named server its address is, and resolving gives one spelling', () => {
    expect(resolveBaseUrl('HTTPS://API.PROPEXO.COM./')).toEqual(E.right('https://api.propexo.com'));
    expect(namedServerOf('https://api.propexo.com')).toBe('production');
    expect(environmentName('HTTPS://API.PROPEXO.COM/')).toBe('production');
    expect(environmentName(' production')).toBe('production');
    expect(environmentName('https://api.sandbox.propexo.com/')).toBe('sandbox');
    expect(environmentName('https://api.propexo.com/prefix')).toBe('custom');
    expect(environmentName('http://127.0.0.1:9000')).toBe('custom');
    expect(environmentName(' practice ')).toBe('practice');
  });
});
