import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import {
  createBridgeApi,
  defineContract,
  describeDecodeErrors,
  exactObject,
  noArgs,
  payload,
  request,
  returns,
  type BridgeTransport,
} from '../../../app/shared/contract-kit.ts';
import { ApiKeyText, contract, SuggestedFileName } from '../../../app/shared/contract.ts';

function errorsOf<A>(codec: t.Type<A, unknown, unknown>, value: unknown): string {
  const decoded = codec.decode(value);
  if (decoded._tag === 'Right') throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return describeDecodeErrors(decoded.left);
}

describe('defineContract', () => {
  const spec = request({ method: 'doIt', args: noArgs, result: returns<number>() });

  it('refuses a method declared twice', () => {
    expect(() => defineContract({ requests: { 'a:one': spec, 'a:two': spec }, events: {} })).toThrow(/'doIt' is declared twice/);
  });

  it.each(['noColon', 'a:b:c', 'A:b', 'a:', 'a b:c'])('refuses the channel name %j', (channel) => {
    expect(() => defineContract({ requests: { [channel]: spec }, events: {} })).toThrow(/not 'area:action'/);
  });

  it.each(['on', 'pathForDroppedFile'])('refuses the reserved method name %j', (method) => {
    expect(() => defineContract({ requests: { 'a:b': request({ method, args: noArgs, result: returns<void>() }) }, events: {} })).toThrow(
      /reserved/,
    );
  });

  it('lets only the preload carry a dropped file, and the preload nothing else', () => {
    const path = exactObject({ path: t.string });
    expect(() =>
      defineContract({
        requests: { 'file:dropped': request({ method: 'grant', args: path, files: { path: 'dropped' }, result: returns<string>() }) },
        events: {},
      }),
    ).toThrow(/called by the preload exactly when it carries a dropped file/);
    expect(() =>
      defineContract({
        requests: {
          'file:read': request({ method: 'read', caller: 'preload', args: path, files: { path: 'read' }, result: returns<string>() }),
        },
        events: {},
      }),
    ).toThrow(/called by the preload exactly when it carries a dropped file/);
    const dropped = request({ method: 'grant', caller: 'preload', args: path, files: { path: 'dropped' }, result: returns<string>() });
    expect(() => defineContract({ requests: { 'file:a': dropped, 'file:b': { ...dropped, method: 'grantAgain' } }, events: {} })).toThrow(
      /at most one/,
    );
  });

  it('declares which requests carry a path, and for what', () => {
    const declared = Object.fromEntries(
      Object.entries(contract.requests).flatMap(([channel, spec]) => (spec.files === undefined ? [] : [[channel, spec.files]])),
    );
    expect(declared).toEqual({
      'file:dropped': { path: 'dropped' },
      'import:open': { path: 'read' },
      'import:loadMapping': { path: 'read' },
      'import:saveMapping': { path: 'write' },
      'import:exportErrors': { path: 'write' },
      'run:exportResults': { path: 'write' },
      'run:exportErrors': { path: 'write' },
    });
  });

  it('refuses a channel that is both a request and an event', () => {
    expect(() => defineContract({ requests: { 'a:b': spec }, events: { 'a:b': payload<number>() } })).toThrow(
      /both a request and an event/,
    );
  });

  it('accepts the app contract and freezes its tables', () => {
    expect(Object.keys(contract.requests).length).toBeGreaterThan(0);
    expect(Object.isFrozen(contract.requests) && Object.isFrozen(contract.events) && Object.isFrozen(contract)).toBe(true);
    expect(Object.keys(contract.events)).toEqual(expect.arrayContaining(['menu:command', 'file:opened']));
  });
});

describe('exactObject', () => {
  const Point = exactObject({ x: t.number, y: t.number }, 'point');

  it('decodes the declared keys', () => {
    expect(Point.decode({ x: 1, y: 2 })).toEqual({ _tag: 'Right', right: { x: 1, y: 2 } });
  });

  it('refuses an unknown key and names it', () => {
    expect(errorsOf(Point, { x: 1, y: 2, z: 3 })).toBe('z: is not an accepted key');
    expect(Point.is({ x: 1, y: 2, z: 3 })).toBe(false);
  });

  it('names the path of a wrong value', () => {
    expect(errorsOf(Point, { x: 1, y: 'two' })).toBe('y: expected number, got a string');
    expect(errorsOf(Point, null)).toBe('argument: expected point, got null');
  });
});

describe('argument codecs of the contract', () => {
  it('trims a pasted API key and never repeats it in an error', () => {
    expect(ApiKeyText.decode('  pk_live_abcdefgh12345\n')).toEqual({ _tag: 'Right', right: 'pk_live_abcdefgh12345' });
    const secret = 'pk_live_abc defgh12345';
    const message = errorsOf(ApiKeyText, secret);
    expect(message).toMatch(/no spaces/);
    expect(message).not.toContain('abc');
  });

  it.each([
    ['', /empty/],
    ['short', /at least 20/],
    ['pk_live_0123456789a', /at least 20/],
    ['x'.repeat(5000), /at most 4096/],
    [42, /as text/],
    ['abcdefgh\u0000ijklmnopqrstu', /control/],
  ])('refuses the API key %#', (value, message) => {
    expect(errorsOf(ApiKeyText, value)).toMatch(message);
  });

  it.each(['../secrets.csv', 'a/b.csv', 'C:\\x.csv', '..', '', ' padded.csv', 'x'.repeat(201)])('refuses the file name %j', (name) => {
    expect(SuggestedFileName.is(name)).toBe(false);
  });

  it('accepts a plain file name', () => {
    expect(SuggestedFileName.is('leads – errors (March).csv')).toBe(true);
  });
});

describe('createBridgeApi', () => {
  const small = defineContract({
    requests: {
      'math:double': request({ method: 'double', args: t.number, result: returns<number>() }),
      'app:ping': request({ method: 'ping', args: noArgs, result: returns<string>() }),
    },
    events: { 'tick:now': payload<{ n: number }>() },
  });

  function transport(
    reply: (channel: string, arg: unknown) => Promise<unknown>,
  ): BridgeTransport & { listeners: Map<string, (p: unknown) => void> } {
    const listeners = new Map<string, (p: unknown) => void>();
    return {
      listeners,
      invoke: reply,
      subscribe: (channel, listener) => {
        listeners.set(channel, listener);
        return () => listeners.delete(channel);
      },
      pathForFile: () => '/dropped/file.csv',
    };
  }

  it('gives one method per request that sends its channel and one argument', async () => {
    const calls: [string, unknown][] = [];
    const api = createBridgeApi(
      small,
      transport(async (channel, arg) => {
        calls.push([channel, arg]);
        return { ok: true, value: channel === 'math:double' ? (arg as number) * 2 : 'pong' };
      }),
    );
    expect(await api.double(21)).toEqual({ ok: true, value: 42 });
    expect(await api.ping()).toEqual({ ok: true, value: 'pong' });
    expect(calls).toEqual([
      ['math:double', 21],
      ['app:ping', undefined],
    ]);
    expect(Object.keys(api).sort()).toEqual(['double', 'on', 'pathForDroppedFile', 'ping']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('turns a rejected or malformed reply into a failure result', async () => {
    const rejecting = createBridgeApi(
      small,
      transport(async () => {
        throw new Error("No handler registered for 'math:double'");
      }),
    );
    expect(await rejecting.double(1)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: "math:double: No handler registered for 'math:double'" },
    });
    const garbled = createBridgeApi(
      small,
      transport(async () => 'not a result'),
    );
    expect(await garbled.ping()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('subscribes only to the contract events and unsubscribes once', () => {
    const tr = transport(async () => ({ ok: true, value: null }));
    const api = createBridgeApi(small, tr);
    const seen: unknown[] = [];
    const off = api.on('tick:now', (p) => seen.push(p));
    tr.listeners.get('tick:now')?.({ n: 1 });
    expect(seen).toEqual([{ n: 1 }]);
    off();
    off();
    expect(tr.listeners.has('tick:now')).toBe(false);
    expect(() => (api.on as (e: string, l: () => void) => void)('math:double', () => undefined)).toThrow(/not an event/);
    expect(() => (api.on as (e: string, l: unknown) => void)('tick:now', 'nope')).toThrow(/must be a function/);
  });
});
