// The bridge between the UI and the main process is declared once, as a table, and both sides
// are typed from it (GitHub Desktop's ipc-shared.ts; electron-react-boilerplate's
// `typeof electronHandler`): requests carry an io-ts codec for their argument (main decodes
// everything the renderer sends) and a phantom result type; events carry a phantom payload
// type (main is the only sender). Nothing here knows about Electron: the preload, the main
// process and the e2e harness all bind the same table through `createBridgeApi` and
// `Handlers<C>`.
import * as t from 'io-ts';
import { formatDecodeErrors } from './decode-errors.ts';

// ---------------------------------------------------------------------------------------------
// Declaring a contract

/** A type that exists only for the compiler: the value at run time is an empty marker. */
export interface Phantom<T> {
  readonly phantom: true;
  /** Never set: carries `T` for inference. */
  readonly type?: T;
}

function phantom<T>(): Phantom<T> {
  return { phantom: true };
}

/** The result type of a request (what main's handler returns, what the UI receives). */
export const returns: <T>() => Phantom<T> = phantom;
/** The payload type of an event (what main sends, what the UI's listener receives). */
export const payload: <T>() => Phantom<T> = phantom;

/**
 * What a path in a request's argument is for. Main enforces it before the handler runs
 * (main/ipc.ts): 'read', a file the user designated (open dialog, command line, open-file, a
 * drop); 'write', a place the user chose in a save dialog; 'dropped', a file the user dropped on
 * the window, whose path the preload read from the File itself (only a preload request carries it).
 */
export type FileUse = 'read' | 'write' | 'dropped';

/** Which keys of an argument carry a user-chosen path, and for what. */
export type FileKeys<A extends t.Mixed> = { readonly [K in keyof t.TypeOf<A> & string]?: t.TypeOf<A>[K] extends string ? FileUse : never };

export interface RequestSpec<M extends string, A extends t.Mixed, R> {
  /** The method on `window.importer` (declared, not derived: names stay greppable). */
  readonly method: M;
  /** Decodes the one argument the renderer sends; `noArgs` for a request without one. */
  readonly args: A;
  readonly result: Phantom<R>;
  /** The argument's keys that name a file on disk: main checks each before the handler sees it. */
  readonly files?: FileKeys<A>;
  /**
   * 'preload': not a method of `window.importer`; only the preload calls it (the page cannot
   * reach ipcRenderer). Default 'page'.
   */
  readonly caller?: 'page' | 'preload';
}

export function request<const M extends string, A extends t.Mixed, R>(spec: RequestSpec<M, A, R>): RequestSpec<M, A, R> {
  return spec;
}

/** The argument codec of a request that takes none: the method is called without arguments. */
export const noArgs = t.undefined;

export interface AnyRequest {
  readonly method: string;
  readonly args: t.Mixed;
  readonly result: Phantom<unknown>;
  readonly files?: Readonly<Record<string, FileUse | undefined>>;
  readonly caller?: 'page' | 'preload';
}

/** The file keys of a request, as pairs (none for most requests). */
export function fileKeysOf(spec: AnyRequest): readonly (readonly [string, FileUse])[] {
  return Object.entries(spec.files ?? {}).filter((entry): entry is [string, FileUse] => entry[1] !== undefined);
}

/** The one request the preload sends a dropped file's path on (see `pathForDroppedFile`), if any. */
export function droppedFileChannel(contract: AnyContract): string | undefined {
  return Object.keys(contract.requests).find((channel) => fileKeysOf(contract.requests[channel]).some(([, use]) => use === 'dropped'));
}

export interface AnyContract {
  readonly requests: Readonly<Record<string, AnyRequest>>;
  readonly events: Readonly<Record<string, Phantom<unknown>>>;
}

/** Channel names are `area:action` ('credentials:set', 'run:rows'): one namespace for both kinds. */
const CHANNEL = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/;
const METHOD = /^[a-z][a-zA-Z0-9]*$/;
/** Members of `window.importer` that are not requests. */
export const RESERVED_MEMBERS: readonly string[] = ['on', 'pathForDroppedFile'];

/**
 * Checks the table once, when the module loads: a duplicated method or a malformed channel
 * is a programming error that must fail every test, not a confused renderer at run time.
 */
export function defineContract<const C extends AnyContract>(contract: C): C {
  const methods = new Set<string>();
  for (const [channel, spec] of Object.entries(contract.requests)) {
    if (!CHANNEL.test(channel)) throw new Error(`contract: request channel '${channel}' is not 'area:action'`);
    if (!METHOD.test(spec.method)) throw new Error(`contract: method '${spec.method}' of '${channel}' is not a camelCase name`);
    if (RESERVED_MEMBERS.includes(spec.method)) throw new Error(`contract: method '${spec.method}' of '${channel}' is reserved`);
    if (methods.has(spec.method)) throw new Error(`contract: method '${spec.method}' is declared twice`);
    methods.add(spec.method);
    // A dropped file's path is trusted because only the preload can send it: a page method
    // carrying one would let the page name any file.
    const dropped = fileKeysOf(spec).some(([, use]) => use === 'dropped');
    if (dropped !== (spec.caller === 'preload'))
      throw new Error(`contract: '${channel}' must be called by the preload exactly when it carries a dropped file`);
  }
  if (Object.values(contract.requests).filter((spec) => spec.caller === 'preload').length > 1) {
    throw new Error("contract: at most one request is the preload's own (the dropped file)");
  }
  for (const channel of Object.keys(contract.events)) {
    if (!CHANNEL.test(channel)) throw new Error(`contract: event channel '${channel}' is not 'area:action'`);
    if (Object.hasOwn(contract.requests, channel)) throw new Error(`contract: '${channel}' is both a request and an event`);
  }
  // The table is the allowlist of channels: nothing may add to it at run time.
  Object.freeze(contract.requests);
  Object.freeze(contract.events);
  return Object.freeze(contract);
}

/**
 * An object whose keys are exactly `props` (and those of `optional`, which may be left out): an
 * unknown key is a decoding error (a renderer typo must not be silently dropped), and the decoded
 * value holds only the declared keys.
 */
export function exactObject<P extends t.Props, O extends t.Props = Record<never, never>>(
  props: P,
  name?: string,
  optional?: O,
): t.Type<t.TypeOfProps<P> & t.TypeOfPartialProps<O>, t.OutputOfProps<P> & t.OutputOfPartialProps<O>, unknown> {
  type A = t.TypeOfProps<P> & t.TypeOfPartialProps<O>;
  type Out = t.OutputOfProps<P> & t.OutputOfPartialProps<O>;
  const required = t.type(props);
  const inner: t.Type<A, Out, unknown> =
    optional === undefined
      ? (t.exact(required) as unknown as t.Type<A, Out, unknown>)
      : t.exact(t.intersection([required, t.partial(optional)]));
  const known = (key: string): boolean => Object.hasOwn(props, key) || (optional !== undefined && Object.hasOwn(optional, key));
  const hasOnlyKnownKeys = (u: object): boolean => Object.keys(u).every(known);
  return new t.Type<A, Out, unknown>(
    name ?? required.name,
    (u): u is A => inner.is(u) && hasOnlyKnownKeys(u),
    (u, context) => {
      if (typeof u === 'object' && u !== null && !Array.isArray(u) && !hasOnlyKnownKeys(u)) {
        const unknownKeys = Object.keys(u).filter((key) => !known(key));
        return t.failures(
          unknownKeys.map((key) => ({
            value: undefined,
            context: [...context, { key, type: t.never, actual: undefined }],
            message: 'is not an accepted key',
          })),
        );
      }
      return inner.validate(u, context);
    },
    (a) => inner.encode(a),
  );
}

// ---------------------------------------------------------------------------------------------
// Types derived from a contract

export type RequestChannel<C extends AnyContract> = keyof C['requests'] & string;
export type EventChannel<C extends AnyContract> = keyof C['events'] & string;
export type ArgOf<C extends AnyContract, K extends RequestChannel<C>> = t.TypeOf<C['requests'][K]['args']>;
export type ResultOf<C extends AnyContract, K extends RequestChannel<C>> = C['requests'][K]['result'] extends Phantom<infer R> ? R : never;
export type PayloadOf<C extends AnyContract, E extends EventChannel<C>> = C['events'][E] extends Phantom<infer P> ? P : never;

/** Why a request failed. The UI switches on `code`; `message` is for people. */
export type BridgeErrorCode =
  /** The sender is not our own window showing our own page. */
  | 'forbidden'
  /** The argument did not decode; the message names the path. */
  | 'bad_argument'
  /** The handler failed; the message says why (never containing a secret). */
  | 'failed'
  /** The request never reached a handler (no handler, bridge torn down). */
  | 'unavailable'
  /** The person said no to main's own confirmation (sending to Production): nothing was done. */
  | 'cancelled';

export interface BridgeFailure {
  readonly code: BridgeErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BridgeFailure };

/** Thrown by a handler to pick the code of its failure ('failed' for any other error). */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  constructor(code: BridgeErrorCode, message: string) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
  }
}

type MethodOf<S extends AnyRequest> = [t.TypeOf<S['args']>] extends [undefined]
  ? () => Promise<Result<S['result'] extends Phantom<infer R> ? R : never>>
  : (arg: t.TypeOf<S['args']>) => Promise<Result<S['result'] extends Phantom<infer R> ? R : never>>;

/** The requests the page may call: all but the preload's own. */
export type PageChannel<C extends AnyContract> = {
  [K in RequestChannel<C>]: C['requests'][K] extends { readonly caller: 'preload' } ? never : K;
}[RequestChannel<C>];

/** One async method per request the page may call, named by the table's `method`. */
export type RequestMethods<C extends AnyContract> = {
  readonly [K in PageChannel<C> as C['requests'][K]['method']]: MethodOf<C['requests'][K]>;
};

export type Unsubscribe = () => void;

export interface BridgeEvents<C extends AnyContract> {
  /** Listens to a main-process event; the listener receives the payload only. */
  on<E extends EventChannel<C>>(event: E, listener: (payload: PayloadOf<C, E>) => void): Unsubscribe;
}

/** Helpers the preload offers besides the contract's methods. */
export interface PreloadUtilities {
  /**
   * A file dropped on the window: the preload reads its path from the File itself (Electron's
   * webUtils.getPathForFile) and hands it to main, which from then on accepts that path for
   * reading. Resolves to the path, or to a failure for a File not backed by a file on disk.
   */
  pathForDroppedFile(file: File): Promise<Result<string>>;
}

/** What `window.importer` is. */
export type BridgeApi<C extends AnyContract> = RequestMethods<C> & BridgeEvents<C> & PreloadUtilities;

/**
 * What the main process implements: one function per request channel, receiving the decoded
 * argument. Throwing gives the UI a failure result; see `BridgeError`.
 */
export type Handlers<C extends AnyContract> = {
  readonly [K in RequestChannel<C>]: (arg: ArgOf<C, K>) => ResultOf<C, K> | Promise<ResultOf<C, K>>;
};

// ---------------------------------------------------------------------------------------------
// Building the UI side

/** How a bridge reaches main: ipcRenderer in the preload, something else in the e2e harness. */
export interface BridgeTransport {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): Unsubscribe;
  pathForFile(file: File): string;
}

export function isResult(u: unknown): u is Result<unknown> {
  if (typeof u !== 'object' || u === null) return false;
  const r = u as { ok?: unknown; value?: unknown; error?: unknown };
  if (r.ok === true) return true;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const e = r.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

function describeThrown(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * `window.importer`, built from the table: every request becomes a method that always
 * resolves to a `Result` (a transport failure is a result too, so the UI has one path), and
 * `on` accepts only the contract's events.
 */
export function createBridgeApi<C extends AnyContract>(contract: C, transport: BridgeTransport): BridgeApi<C> {
  const api: Record<string, unknown> = {};
  const call = async (channel: string, arg: unknown): Promise<Result<unknown>> => {
    try {
      const reply = await transport.invoke(channel, arg);
      if (isResult(reply)) return reply;
      return { ok: false, error: { code: 'unavailable', message: `${channel}: the main process sent no result` } };
    } catch (e) {
      return { ok: false, error: { code: 'unavailable', message: `${channel}: ${describeThrown(e)}` } };
    }
  };
  for (const [channel, spec] of Object.entries(contract.requests)) {
    if (spec.caller === 'preload') continue;
    api[spec.method] = (arg?: unknown): Promise<Result<unknown>> => call(channel, arg);
  }
  api.on = (event: string, listener: (payload: unknown) => void): Unsubscribe => {
    if (typeof event !== 'string' || !Object.hasOwn(contract.events, event)) {
      throw new TypeError(`importer.on: '${String(event)}' is not an event of the bridge`);
    }
    if (typeof listener !== 'function') throw new TypeError('importer.on: the listener must be a function');
    let unsubscribe: Unsubscribe | null = transport.subscribe(event, (payload) => listener(payload));
    return () => {
      unsubscribe?.();
      unsubscribe = null;
    };
  };
  const dropChannel = droppedFileChannel(contract);
  const dropKey =
    dropChannel === undefined ? undefined : fileKeysOf(contract.requests[dropChannel]).find(([, use]) => use === 'dropped')?.[0];
  api.pathForDroppedFile = async (file: File): Promise<Result<string>> => {
    if (dropChannel === undefined || dropKey === undefined)
      return { ok: false, error: { code: 'unavailable', message: 'pathForDroppedFile: this bridge takes no dropped files' } };
    let path: string;
    try {
      path = transport.pathForFile(file);
    } catch (e) {
      return { ok: false, error: { code: 'bad_argument', message: `pathForDroppedFile: ${describeThrown(e)}` } };
    }
    const name = typeof file?.name === 'string' ? file.name : 'that item';
    if (path === '') return { ok: false, error: { code: 'bad_argument', message: `${name} is not a file on this computer.` } };
    return (await call(dropChannel, { [dropKey]: path })) as Result<string>;
  };
  // The loop above builds exactly the members `BridgeApi<C>` describes (a test walks the table
  // to prove it); TypeScript cannot follow a mapped type through a loop.
  return Object.freeze(api) as unknown as BridgeApi<C>;
}

// ---------------------------------------------------------------------------------------------
// Decoding errors

/**
 * "environment: expected "sandbox" | "production", got a string". The path names where the
 * argument is wrong; the value itself is never repeated (it may be an API key).
 */
export const describeDecodeErrors = (errors: t.Errors): string => formatDecodeErrors(errors, { actual: 'kind', root: 'argument' });
