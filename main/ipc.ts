// One ipcMain handler per request of the contract. Every handler checks who is asking (our
// window, showing our page: GitHub Desktop's trusted-ipc-sender, Fiddle's ipc), decodes its
// argument with the contract's codec (mattermost's ipcValidate), checks every path the contract
// marks as a user's file (`files`: read, write, dropped) and always answers with a Result:
// nothing the renderer sends can crash main, make a handler see an undecoded value, or make main
// read or write a file the user did not choose.
import {
  BridgeError,
  describeDecodeErrors,
  fileKeysOf,
  type AnyContract,
  type FileUse,
  type EventChannel,
  type Handlers,
  type PayloadOf,
  type Result,
} from '../app/shared/contract-kit.ts';
import { makeScrubber, type Scrub } from '../app/shared/redact.ts';

/** The part of an IpcMainInvokeEvent we look at. */
export interface InvokeEvent {
  readonly sender: { readonly id: number };
  /** null once the frame navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  readonly isTrustedSender: (event: InvokeEvent) => boolean;
  /**
   * Applied to every failure message (makeScrubber in app/shared/redact.ts). Pass one that knows the stored keys;
   * without it, messages are still scrubbed of anything shaped like a credential.
   */
  readonly scrub?: Scrub;
  /**
   * Checks the paths of requests that declare `files` (main/file-access.ts); throws a
   * BridgeError to refuse. Required when the contract declares any.
   */
  readonly files?: { check(use: FileUse, path: string): Promise<void> };
}

type Settings = Required<Omit<RegisterOptions, 'files'>> & Pick<RegisterOptions, 'files'>;

/** Registers every request of `contract`; returns a function that removes them again. */
export function registerHandlers<C extends AnyContract>(
  ipcMain: IpcMainLike,
  contract: C,
  handlers: Handlers<C>,
  options: RegisterOptions,
): () => void {
  const channels = Object.keys(contract.requests);
  const settings: Settings = {
    isTrustedSender: options.isTrustedSender,
    scrub: options.scrub ?? makeScrubber(() => []),
    files: options.files,
  };
  for (const channel of channels) {
    // Checked here as well as by the compiler: a handler table built dynamically must not
    // leave a request answering "no handler registered".
    if (typeof (handlers as Record<string, unknown>)[channel] !== 'function') throw new Error(`ipc: no handler for '${channel}'`);
    // Fail closed: a request carrying a user's file is never answered unchecked.
    if (fileKeysOf(contract.requests[channel]).length > 0 && settings.files === undefined)
      throw new Error(`ipc: '${channel}' carries a file path: pass options.files`);
  }
  for (const channel of channels) {
    const spec = contract.requests[channel];
    const handler = (handlers as Record<string, (arg: unknown) => unknown>)[channel];
    ipcMain.handle(channel, (event, ...args) => answer(channel, spec, handler, settings, event, args));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

async function answer(
  channel: string,
  spec: AnyContract['requests'][string],
  handler: (arg: unknown) => unknown,
  options: Settings,
  event: InvokeEvent,
  args: readonly unknown[],
): Promise<Result<unknown>> {
  if (!isTrusted(options, event)) {
    return {
      ok: false,
      error: { code: 'forbidden', message: `${channel}: refused, the request does not come from Lead Importer's window` },
    };
  }
  if (args.length > 1) {
    return { ok: false, error: { code: 'bad_argument', message: `${channel}: expected one argument, got ${args.length}` } };
  }
  const decoded = spec.args.decode(args[0]);
  if (decoded._tag === 'Left') {
    return { ok: false, error: { code: 'bad_argument', message: options.scrub(`${channel}: ${describeDecodeErrors(decoded.left)}`) } };
  }
  try {
    await checkFiles(spec, decoded.right, options);
    return { ok: true, value: await handler(decoded.right) };
  } catch (e) {
    const code = e instanceof BridgeError ? e.code : 'failed';
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code, message: options.scrub(message) } };
  }
}

/** Every path the contract marks in this request, checked before the handler sees it. */
async function checkFiles(spec: AnyContract['requests'][string], arg: unknown, options: Settings): Promise<void> {
  for (const [key, use] of fileKeysOf(spec)) {
    const path = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)[key] : undefined;
    // The contract promised a string here: anything else is a table mistake, refused all the same.
    if (typeof path !== 'string' || options.files === undefined)
      throw new BridgeError('failed', `the request's ${key} is not a path main can check`);
    await options.files.check(use, path);
  }
}

function isTrusted(options: Settings, event: InvokeEvent): boolean {
  try {
    return options.isTrustedSender(event) === true;
  } catch {
    // A destroyed frame can throw when inspected: that is not a sender we trust.
    return false;
  }
}

/** The narrow part of a webContents that sending an event needs. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Sends a contract event; a closed window is not an error (the run goes on without a UI). */
export function sendEvent<C extends AnyContract, E extends EventChannel<C>>(
  target: EventTarget,
  contract: C,
  event: E,
  eventPayload: PayloadOf<C, E>,
): boolean {
  if (!Object.hasOwn(contract.events, event)) throw new Error(`ipc: '${event}' is not an event of the contract`);
  if (target.isDestroyed()) return false;
  target.send(event, eventPayload);
  return true;
}

/**
 * The trusted-sender check for the main window: the request must come from that window's
 * webContents, from its top frame, showing our own page (not a page it navigated to).
 */
export function trustedSender(
  ownContents: () => { readonly id: number } | null,
  isOwnUrl: (url: string) => boolean,
): (event: InvokeEvent) => boolean {
  return (event) => {
    const own = ownContents();
    const frame = event.senderFrame;
    if (own === null || frame === null) return false;
    return event.sender.id === own.id && frame.parent === null && isOwnUrl(frame.url);
  };
}
