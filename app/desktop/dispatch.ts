// Answering a request by channel name, outside Electron: the argument decoded with the
// contract's codec, the handler called, any failure turned into a Result, as main/ipc.ts does
// for ipcMain (minus the sender check, which only means something for a window, and minus the
// rule on the paths the contract marks, which is main's: main/file-access.ts). The e2e harness
// binds main's own registerHandlers instead, with both.
import { BridgeError, describeDecodeErrors, type AnyContract, type Handlers, type Result } from '../contract-kit.ts';

export async function dispatchRequest<C extends AnyContract>(
  contract: C,
  handlers: Partial<Handlers<C>>,
  channel: string,
  arg: unknown,
  scrub: (message: string) => string = (message) => message,
): Promise<Result<unknown>> {
  const spec = Object.hasOwn(contract.requests, channel) ? contract.requests[channel] : undefined;
  const handler = spec === undefined ? undefined : (handlers as Record<string, ((arg: unknown) => unknown) | undefined>)[channel];
  if (spec === undefined || handler === undefined) return { ok: false, error: { code: 'unavailable', message: `${channel}: no such request is answered here` } };
  const decoded = spec.args.decode(arg);
  if (decoded._tag === 'Left') return { ok: false, error: { code: 'bad_argument', message: scrub(`${channel}: ${describeDecodeErrors(decoded.left)}`) } };
  try {
    return { ok: true, value: await handler(decoded.right) };
  } catch (e) {
    return { ok: false, error: { code: e instanceof BridgeError ? e.code : 'failed', message: scrub(e instanceof Error ? e.message : String(e)) } };
  }
}
