// The typed bridge between the UI and the main process (see app/contract-kit.ts and
// main/README.md for how to add a request or an event). Argument codecs are the single source
// of truth for what the renderer may send; result and payload types are what main promises.
import * as t from 'io-ts';
import { defineContract, exactObject, noArgs, payload, request, returns, type BridgeApi } from './contract-kit.ts';

// ---------------------------------------------------------------------------------------------
// Argument codecs

/** The environments that need an API key (practice runs against the local simulator). */
export const CredentialEnvironment = t.keyof({ sandbox: null, production: null });
export type CredentialEnvironment = t.TypeOf<typeof CredentialEnvironment>;
export const CREDENTIAL_ENVIRONMENTS: readonly CredentialEnvironment[] = Object.keys(CredentialEnvironment.keys) as CredentialEnvironment[];

export const API_KEY_MIN_LENGTH = 8;
export const API_KEY_MAX_LENGTH = 4096;

/**
 * A pasted API key: surrounding whitespace (a trailing newline from the clipboard) is dropped;
 * inner whitespace or control characters mean something else was pasted. Messages never echo
 * the value.
 */
export const ApiKeyText = new t.Type<string, string, unknown>(
  'API key',
  (u): u is string => typeof u === 'string' && isApiKey(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'expected the API key as text');
    const key = u.trim();
    if (key.length === 0) return t.failure(u, c, 'the API key is empty');
    if (key.length < API_KEY_MIN_LENGTH) return t.failure(u, c, `an API key has at least ${API_KEY_MIN_LENGTH} characters`);
    if (key.length > API_KEY_MAX_LENGTH) return t.failure(u, c, `an API key has at most ${API_KEY_MAX_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    if (/[\s\u0000-\u001f\u007f]/.test(key)) return t.failure(u, c, 'an API key has no spaces, line breaks or control characters');
    return t.success(key);
  },
  t.identity,
);

function isApiKey(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- see ApiKeyText
  return s.length >= API_KEY_MIN_LENGTH && s.length <= API_KEY_MAX_LENGTH && !/[\s\u0000-\u001f\u007f]/.test(s);
}

/** A file name for a save dialog's suggestion: a name, not a path. */
export const SuggestedFileName = new t.Type<string, string, unknown>(
  'file name',
  (u): u is string => typeof u === 'string' && isFileName(u),
  (u, c) => (typeof u === 'string' && isFileName(u) ? t.success(u) : t.failure(u, c, 'expected a file name without folders (at most 200 characters)')),
  t.identity,
);

function isFileName(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are not valid in file names
  return s.length > 0 && s.length <= 200 && s.trim() === s && s !== '.' && s !== '..' && !/[/\\:\u0000-\u001f]/.test(s);
}

export const ExportKind = t.keyof({ csv: null, json: null });
export type ExportKind = t.TypeOf<typeof ExportKind>;

export const ExternalUrlText = new t.Type<string, string, unknown>(
  'URL',
  (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= 2048,
  (u, c) => (typeof u === 'string' && u.length > 0 && u.length <= 2048 ? t.success(u) : t.failure(u, c, 'expected a URL of at most 2048 characters')),
  t.identity,
);

export const MenuCommand = t.keyof({ open: null, exportErrors: null, exportResults: null });
export type MenuCommand = t.TypeOf<typeof MenuCommand>;

// ---------------------------------------------------------------------------------------------
// Result and payload types

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** Node's `process.platform`: 'darwin', 'win32', 'linux'. */
  readonly platform: string;
}

export interface CredentialState {
  /** A key is held for this environment (on disk if `encryption` is 'os', else for this session). */
  readonly stored: boolean;
  /** 'unavailable': the OS offers no key store, so keys are kept in memory until the app quits. */
  readonly encryption: 'os' | 'unavailable';
}

export type CredentialsStatus = { readonly [E in CredentialEnvironment]: CredentialState };

// ---------------------------------------------------------------------------------------------
// The contract

export const contract = defineContract({
  requests: {
    'app:info': request({ method: 'appInfo', args: noArgs, result: returns<AppInfo>() }),
    /**
     * Files opened before the UI listened (file association, command line, second instance).
     * The UI subscribes to 'file:opened' first, then calls this once: from then on every file
     * arrives as an event, so none is lost to the start-up race.
     */
    'app:pendingFiles': request({ method: 'takePendingFiles', args: noArgs, result: returns<readonly string[]>() }),
    'dialog:openFile': request({ method: 'openFileDialog', args: noArgs, result: returns<string | null>() }),
    'dialog:saveFile': request({
      method: 'saveFileDialog',
      args: exactObject({ defaultName: SuggestedFileName, kind: ExportKind }, 'save dialog options'),
      result: returns<string | null>(),
    }),
    'credentials:status': request({ method: 'credentialsStatus', args: noArgs, result: returns<CredentialsStatus>() }),
    'credentials:set': request({
      method: 'setCredentials',
      args: exactObject({ environment: CredentialEnvironment, apiKey: ApiKeyText }, 'credentials'),
      result: returns<CredentialsStatus>(),
    }),
    'credentials:clear': request({
      method: 'clearCredentials',
      args: exactObject({ environment: CredentialEnvironment }, 'environment'),
      result: returns<CredentialsStatus>(),
    }),
    'shell:openExternal': request({
      method: 'openExternal',
      args: exactObject({ url: ExternalUrlText }, 'link'),
      result: returns<void>(),
    }),
  },
  events: {
    'menu:command': payload<{ readonly command: MenuCommand }>(),
    /** A file to open: dropped on the dock icon, given to a second instance, or on the command line. */
    'file:opened': payload<{ readonly path: string }>(),
  },
});

export type ImporterContract = typeof contract;
/** The type of `window.importer` (renderer: `declare global { interface Window { importer: ImporterApi } }`). */
export type ImporterApi = BridgeApi<ImporterContract>;
