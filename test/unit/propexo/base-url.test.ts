import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { isLoopbackHost, resolveBaseUrl } from '../../../app/propexo/base-url.ts';

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
});
