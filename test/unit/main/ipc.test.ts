import * as t from 'io-ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BridgeError,
  defineContract,
  exactObject,
  noArgs,
  payload,
  request,
  returns,
  type Handlers,
} from '../../../app/shared/contract-kit.ts';
import { registerHandlers, sendEvent, trustedSender } from '../../../main/ipc.ts';
import { makeScrubber } from '../../../app/shared/redact.ts';
import { electronDouble, invokeEventFrom, ipcMain, WebContentsDouble } from '../../support/electron-double.ts';

const OWN_PAGE = 'file:///app/out/renderer/index.html';

const testContract = defineContract({
  requests: {
    'notes:add': request({
      method: 'addNote',
      args: exactObject({ text: t.string, tags: t.array(t.string) }),
      result: returns<{ id: number }>(),
    }),
    'notes:count': request({ method: 'countNotes', args: noArgs, result: returns<number>() }),
    'notes:fail': request({ method: 'failNote', args: noArgs, result: returns<void>() }),
    'notes:refuse': request({ method: 'refuseNote', args: noArgs, result: returns<void>() }),
  },
  events: { 'notes:changed': payload<{ count: number }>() },
});

const SECRET = 'pk_test_0123456789abcdef';

function setUp() {
  const own = new WebContentsDouble();
  own.showPage(OWN_PAGE);
  const received: unknown[] = [];
  const handlers: Handlers<typeof testContract> = {
    'notes:add': ({ text, tags }) => {
      received.push({ text, tags });
      return { id: received.length };
    },
    'notes:count': () => received.length,
    'notes:fail': () => {
      throw new Error(`upstream said 401 for Authorization: Bearer ${SECRET} (key ${SECRET})`);
    },
    'notes:refuse': () => {
      throw new BridgeError('forbidden', 'not this one');
    },
  };
  const unregister = registerHandlers(ipcMain, testContract, handlers, {
    isTrustedSender: trustedSender(
      () => own,
      (url) => url === OWN_PAGE,
    ),
    scrub: makeScrubber(() => [SECRET]),
  });
  return { own, received, unregister };
}

describe('registerHandlers', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('registers exactly one handler per request of the table', () => {
    setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(testContract.requests).sort());
  });

  it('decodes the argument and answers with the handler result', async () => {
    const { own, received } = setUp();
    const reply = await ipcMain.invoke(invokeEventFrom(own), 'notes:add', { text: 'hi', tags: ['a'] });
    expect(reply).toEqual({ ok: true, value: { id: 1 } });
    expect(received).toEqual([{ text: 'hi', tags: ['a'] }]);
    expect(await ipcMain.invoke(invokeEventFrom(own), 'notes:count')).toEqual({ ok: true, value: 1 });
  });

  it.each([
    ['another webContents', () => invokeEventFrom(new WebContentsDouble())],
    ['a subframe of our window', (own: WebContentsDouble) => invokeEventFrom(own, { url: OWN_PAGE, parent: own.mainFrame })],
    [
      'our window after it navigated elsewhere',
      (own: WebContentsDouble) => invokeEventFrom(own, { url: 'https://evil.example/', parent: null }),
    ],
    ['a frame that is gone', (own: WebContentsDouble) => invokeEventFrom(own, null)],
  ])('refuses %s without calling the handler', async (_name, event) => {
    const { own, received } = setUp();
    const reply = await ipcMain.invoke(event(own), 'notes:add', { text: 'x', tags: [] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(received).toEqual([]);
  });

  it('answers forbidden when the trust check itself throws', async () => {
    const own = new WebContentsDouble();
    registerHandlers(
      ipcMain,
      testContract,
      { 'notes:add': () => ({ id: 1 }), 'notes:count': () => 0, 'notes:fail': () => undefined, 'notes:refuse': () => undefined },
      {
        isTrustedSender: () => {
          throw new Error('Render frame was disposed');
        },
        scrub: (s) => s,
      },
    );
    expect(await ipcMain.invoke(invokeEventFrom(own), 'notes:count')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it.each([
    [{ text: 1, tags: [] }, 'notes:add: text: expected string, got a number'],
    [{ text: 'a', tags: ['x', 2] }, 'notes:add: tags.1: expected string, got a number'],
    [{ text: 'a', tags: [], admin: true }, 'notes:add: admin: is not an accepted key'],
    ['text', 'notes:add: argument: expected { text: string, tags: Array<string> }, got a string'],
    [undefined, 'notes:add: argument: expected { text: string, tags: Array<string> }, got nothing'],
  ])('answers bad_argument for %j, naming the path', async (arg, message) => {
    const { own, received } = setUp();
    expect(await ipcMain.invoke(invokeEventFrom(own), 'notes:add', arg)).toEqual({ ok: false, error: { code: 'bad_argument', message } });
    expect(received).toEqual([]);
  });

  it('answers bad_argument for an argument to a request that takes none, and for extra arguments', async () => {
    const { own } = setUp();
    expect(await ipcMain.invoke(invokeEventFrom(own), 'notes:count', { sneaky: true })).toMatchObject({
      ok: false,
      error: { code: 'bad_argument' },
    });
    expect(await ipcMain.invoke(invokeEventFrom(own), 'notes:add', { text: 'a', tags: [] }, 'extra')).toEqual({
      ok: false,
      error: { code: 'bad_argument', message: 'notes:add: expected one argument, got 2' },
    });
  });

  it('turns a throwing handler into a failed result with the secret scrubbed', async () => {
    const { own } = setUp();
    const reply = await ipcMain.invoke(invokeEventFrom(own), 'notes:fail');
    expect(reply).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(reply)).not.toContain(SECRET);
    expect(JSON.stringify(reply)).toContain('401');
  });

  it('scrubs credential shapes even without a scrubber that knows the keys', async () => {
    const own = new WebContentsDouble();
    own.showPage(OWN_PAGE);
    registerHandlers(
      ipcMain,
      testContract,
      {
        'notes:add': () => ({ id: 1 }),
        'notes:count': () => 0,
        'notes:fail': () => {
          throw new Error(`sent Authorization: Bearer ${SECRET}`);
        },
        'notes:refuse': () => undefined,
      },
      {
        isTrustedSender: trustedSender(
          () => own,
          (url) => url === OWN_PAGE,
        ),
      },
    );
    const reply = await ipcMain.invoke(invokeEventFrom(own), 'notes:fail');
    expect(reply).toEqual({ ok: false, error: { code: 'failed', message: 'sent Authorization: Bearer [redacted]' } });
  });

  it('keeps the code of a BridgeError', async () => {
    const { own } = setUp();
    expect(await ipcMain.invoke(invokeEventFrom(own), 'notes:refuse')).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'not this one' },
    });
  });

  it('refuses a handler table with a hole, and unregisters what it registered', () => {
    const partial = { 'notes:add': () => ({ id: 1 }), 'notes:count': () => 0, 'notes:fail': () => undefined } as unknown as Handlers<
      typeof testContract
    >;
    expect(() => registerHandlers(ipcMain, testContract, partial, { isTrustedSender: () => true, scrub: (s) => s })).toThrow(
      /no handler for 'notes:refuse'/,
    );
    expect(ipcMain.handlers.size).toBe(0);
    const { unregister } = setUp();
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('registerHandlers and the paths a contract marks', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  const fileContract = defineContract({
    requests: {
      'doc:read': request({
        method: 'readDoc',
        args: exactObject({ path: t.string, note: t.string }),
        files: { path: 'read' },
        result: returns<string>(),
      }),
      'doc:write': request({
        method: 'writeDoc',
        args: exactObject({ path: t.string }),
        files: { path: 'write' },
        result: returns<string>(),
      }),
    },
    events: {},
  });
  const handlers: Handlers<typeof fileContract> = { 'doc:read': ({ path }) => `read ${path}`, 'doc:write': ({ path }) => `wrote ${path}` };

  it('refuses to register a contract that carries paths without a check for them', () => {
    expect(() => registerHandlers(ipcMain, fileContract, handlers, { isTrustedSender: () => true })).toThrow(
      /'doc:read' carries a file path/,
    );
  });

  it('checks every marked path, for its use, before the handler runs', async () => {
    const own = new WebContentsDouble();
    own.showPage(OWN_PAGE);
    const checked: string[] = [];
    registerHandlers(ipcMain, fileContract, handlers, {
      isTrustedSender: trustedSender(
        () => own,
        (url) => url === OWN_PAGE,
      ),
      files: {
        check: async (use, path) => {
          checked.push(`${use} ${path}`);
          if (path !== '/chosen') throw new BridgeError('forbidden', 'not chosen');
        },
      },
    });
    expect(await ipcMain.invoke(invokeEventFrom(own), 'doc:read', { path: '/chosen', note: '/etc/passwd' })).toEqual({
      ok: true,
      value: 'read /chosen',
    });
    expect(await ipcMain.invoke(invokeEventFrom(own), 'doc:read', { path: '/etc/passwd', note: '' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'not chosen' },
    });
    expect(await ipcMain.invoke(invokeEventFrom(own), 'doc:write', { path: '/chosen' })).toEqual({ ok: true, value: 'wrote /chosen' });
    // Undecodable arguments never reach the check.
    expect(await ipcMain.invoke(invokeEventFrom(own), 'doc:write', { path: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad_argument' },
    });
    expect(checked).toEqual(['read /chosen', 'read /etc/passwd', 'write /chosen']);
  });
});

describe('sendEvent', () => {
  it('sends the payload on the event channel', () => {
    const contents = new WebContentsDouble();
    expect(sendEvent(contents, testContract, 'notes:changed', { count: 3 })).toBe(true);
    expect(contents.sent).toEqual([{ channel: 'notes:changed', args: [{ count: 3 }] }]);
  });

  it('skips a destroyed window and refuses a channel outside the contract', () => {
    const contents = new WebContentsDouble();
    contents.destroy();
    expect(sendEvent(contents, testContract, 'notes:changed', { count: 3 })).toBe(false);
    expect(() => sendEvent(new WebContentsDouble(), testContract, 'notes:add' as 'notes:changed', { count: 1 })).toThrow(/not an event/);
  });
});
