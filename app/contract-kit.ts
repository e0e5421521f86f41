// The bridge between the UI and the main process is declared once, as a table, and both sides
// are typed from it (GitHub Desktop's ipc-shared.ts; electron-react-boilerplate's
// `typeof electronHandler`): requests carry an io-ts codec for their argument (main decodes
// everything the renderer sends) and a phantom result type; events carry a phantom payload
// type (main is the only sender). Nothing here knows about Electron: the preload, the main
// process and the e2e harness all bind the same table through `createBridgeApi` and
// `Handlers<C>`.
import * as t from 'io-ts';

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

export interface RequestSpec<M extends string, A extends t.Mixed, R> {
  /** The method on `window.importer` (declared, not derived: names stay greppable). */
  readonly method: M;
  /** Decodes the one argument the renderer sends; `noArgs` for a request without one. */
  readonly args: A;
  readonly result: Phantom<R>;
}

export function request<const M extends string, A extends t.Mixed, R>(spec: RequestSpec<M, A, R>): RequestSpec<M, A, R> {
  return spec;
}

/** The argument codec of a request that takes none: the method is called without arguments. */
export const noArgs = t.undefined;

export type AnyRequest = RequestSpec<string, t.Mixed, unknown>;

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
 * An object whose keys are exactly `props`: an unknown key is a decoding error (a renderer typo
 * must not be silently dropped), and the decoded value holds only the declared keys.
 */
export function exactObject<P extends t.Props>(props: P, name?: string): t.Type<t.TypeOfProps<P>, t.OutputOfProps<P>, unknown> {
  const shape = t.type(props);
  const inner = t.exact(shape);
  const hasOnlyKnownKeys = (u: object): boolean => Object.keys(u).every((key) => Object.hasOwn(props, key));
  return new t.Type<t.TypeOfProps<P>, t.OutputOfProps<P>, unknown>(
    name ?? shape.name,
    (u): u is t.TypeOfProps<P> => inner.is(u) && hasOnlyKnownKeys(u),
    (u, context) => {
      if (typeof u === 'object' && u !== null && !Array.isArray(u) && !hasOnlyKnownKeys(u)) {
        const unknownKeys = Object.keys(u).filter((key) => !Object.hasOwn(props, key));
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
export type ResultOf<C extends AnyContract, K extends RequestChannel<C>> =
  C['requests'][K]['result'] extends Phantom<infer R> ? R : never;
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
  | 'unavailable';

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

type MethodOf<S extends AnyRequest> =
  [t.TypeOf<S['args']>] extends [undefined]
    ? () => Promise<Result<S['result'] extends Phantom<infer R> ? R : never>>
    : (arg: t.TypeOf<S['args']>) => Promise<Result<S['result'] extends Phantom<infer R> ? R : never>>;

/** One async method per request, named by the table's `method`. */
export type RequestMethods<C extends AnyContract> = {
  readonly [K in RequestChannel<C> as C['requests'][K]['method']]: MethodOf<C['requests'][K]>;
};

export type Unsubscribe = () => void;

export interface BridgeEvents<C extends AnyContract> {
  /** Listens to a main-process event; the listener receives the payload only. */
  on<E extends EventChannel<C>>(event: E, listener: (payload: PayloadOf<C, E>) => void): Unsubscribe;
}

/** Synchronous helpers the preload offers besides the IPC requests. */
export interface PreloadUtilities {
  /** The path on disk of a file dropped on the window ('' for a file not backed by one). */
  pathForDroppedFile(file: File): string;
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
  for (const [channel, spec] of Object.entries(contract.requests)) {
    api[spec.method] = async (arg?: unknown): Promise<Result<unknown>> => {
      try {
        const reply = await transport.invoke(channel, arg);
        if (isResult(reply)) return reply;
        return { ok: false, error: { code: 'unavailable', message: `${channel}: the main process sent no result` } };
      } catch (e) {
        return { ok: false, error: { code: 'unavailable', message: `${channel}: ${describeThrown(e)}` } };
      }
    };
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
  api.pathForDroppedFile = (file: File): string => transport.pathForFile(file);
  // The loop above builds exactly the members `BridgeApi<C>` describes (a test walks the table
  // to prove it); TypeScript cannot follow a mapped type through a loop.
  return Object.freeze(api) as unknown as BridgeApi<C>;
}

// ---------------------------------------------------------------------------------------------
// Decoding errors

function describeActual(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}

/**
 * "environment: expected "sandbox" | "production", got a string". The path names where the
 * argument is wrong; the value itself is never repeated (it may be an API key).
 */
export function describeDecodeErrors(errors: t.Errors): string {
  const lines = errors.map((error) => {
    const keys = error.context.map((entry) => entry.key).filter((key) => key !== '');
    const path = keys.length > 0 ? keys.join('.') : 'argument';
    if (error.message !== undefined) return `${path}: ${error.message}`;
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
    return `${path}: expected ${expected}, got ${describeActual(error.value)}`;
  });
  return [...new Set(lines)].join('; ');
}
