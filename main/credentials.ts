// The Propexo API key of each environment, kept by the main process only. On disk it exists
// only as safeStorage ciphertext (OS keychain / DPAPI / libsecret) in <userData>/credentials.json;
// where the OS offers no real key store it is kept in memory for this session and never
// written. The renderer can set, clear and ask whether a key is stored, never read it back:
// `getKeyForRun` is for main-process code.
//
// Electron 45 deprecates the synchronous safeStorage calls; the async ones read and write the
// same ciphertext (Electron's docs), so files written by either can be read.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as t from 'io-ts';
import { CREDENTIAL_ENVIRONMENTS, type CredentialEnvironment, type CredentialsStatus } from '../app/shared/contract.ts';
import { writePrivateFileAtomically } from '../app/run/atomic-write.ts';

export const CREDENTIALS_FILE = 'credentials.json';

/** The parts of electron's safeStorage used here. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only: 'basic_text' means a hard-coded password, i.e. no protection. */
  getSelectedStorageBackend(): string;
}

export type Encryption = 'os' | 'unavailable';

const StoredFile = t.type({
  version: t.literal(1),
  /** base64 of the safeStorage ciphertext */
  keys: t.partial({ sandbox: t.string, production: t.string }),
});
type StoredKeys = t.TypeOf<typeof StoredFile>['keys'];

export interface CredentialStore {
  status(): Promise<CredentialsStatus>;
  set(environment: CredentialEnvironment, apiKey: string): Promise<CredentialsStatus>;
  clear(environment: CredentialEnvironment): Promise<CredentialsStatus>;
  /** The key for a run, or null when none is stored. Main-process code only: never return it over IPC. */
  getKeyForRun(environment: CredentialEnvironment): Promise<string | null>;
  /** Keys this process holds in plain text (for scrubbing messages). */
  secretsInMemory(): readonly string[];
}

export interface CredentialStoreOptions {
  readonly safeStorage: SafeStorageLike;
  /** app.getPath('userData') */
  readonly directory: string;
  readonly platform: NodeJS.Platform;
}

export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  const { safeStorage, platform } = options;
  const file = join(options.directory, CREDENTIALS_FILE);
  /** Keys kept only for this session (no OS encryption). */
  const sessionOnly = new Map<CredentialEnvironment, string>();
  /** Keys decrypted from the file, so a run does not ask the keychain again. */
  const decrypted = new Map<CredentialEnvironment, string>();

  // Read-modify-write of one file: one operation at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation, operation);
    queue = next.catch(() => undefined);
    return next;
  };

  async function encryption(): Promise<Encryption> {
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'unavailable';
    return (await safeStorage.isAsyncEncryptionAvailable()) ? 'os' : 'unavailable';
  }

  async function readKeys(): Promise<StoredKeys> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`Could not read the stored API keys (${(e as NodeJS.ErrnoException).code ?? 'error'}): ${file}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return {}; // A damaged file holds no usable key; the next save replaces it.
    }
    const decoded = StoredFile.decode(parsed);
    return decoded._tag === 'Right' ? decoded.right.keys : {};
  }

  async function writeKeys(keys: StoredKeys): Promise<void> {
    if (Object.keys(keys).length === 0) {
      await rm(file, { force: true });
      return;
    }
    await writePrivateFileAtomically(file, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`);
  }

  async function statusNow(): Promise<CredentialsStatus> {
    const [mode, keys] = await Promise.all([encryption(), readKeys()]);
    const state = (environment: CredentialEnvironment) => ({
      stored: keys[environment] !== undefined || sessionOnly.has(environment),
      encryption: mode,
    });
    return { sandbox: state('sandbox'), production: state('production') };
  }

  return {
    status: () => exclusive(statusNow),

    set: (environment, apiKey) =>
      exclusive(async () => {
        const keys = await readKeys();
        if ((await encryption()) === 'os') {
          let ciphertext: Buffer;
          try {
            ciphertext = await safeStorage.encryptStringAsync(apiKey);
          } catch (e) {
            throw new Error(`The system key store refused to encrypt the API key: ${e instanceof Error ? e.message : String(e)}`);
          }
          await writeKeys({ ...keys, [environment]: ciphertext.toString('base64') });
          sessionOnly.delete(environment);
          decrypted.set(environment, apiKey);
        } else {
          // Refuse to persist without OS encryption; an older encrypted key must not come back
          // next session in place of the one just entered.
          sessionOnly.set(environment, apiKey);
          decrypted.delete(environment);
          if (keys[environment] !== undefined) await writeKeys(withoutKey(keys, environment));
        }
        return statusNow();
      }),

    clear: (environment) =>
      exclusive(async () => {
        sessionOnly.delete(environment);
        decrypted.delete(environment);
        const keys = await readKeys();
        if (keys[environment] !== undefined) await writeKeys(withoutKey(keys, environment));
        return statusNow();
      }),

    getKeyForRun: (environment) =>
      exclusive(async () => {
        const known = sessionOnly.get(environment) ?? decrypted.get(environment);
        if (known !== undefined) return known;
        const stored = (await readKeys())[environment];
        if (stored === undefined) return null;
        let plain: { shouldReEncrypt: boolean; result: string };
        try {
          plain = await safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'));
        } catch {
          throw new Error(`The stored ${environment} API key could not be decrypted by the system key store; enter it again.`);
        }
        decrypted.set(environment, plain.result);
        if (plain.shouldReEncrypt) {
          // The OS rotated its key: store the key under the new one (best effort, the run goes on).
          const renewed = await safeStorage.encryptStringAsync(plain.result).catch(() => null);
          if (renewed !== null)
            await writeKeys({ ...(await readKeys()), [environment]: renewed.toString('base64') }).catch(() => undefined);
        }
        return plain.result;
      }),

    secretsInMemory: () => [...sessionOnly.values(), ...decrypted.values()],
  };
}

function withoutKey(keys: StoredKeys, environment: CredentialEnvironment): StoredKeys {
  const out: StoredKeys = {};
  for (const env of CREDENTIAL_ENVIRONMENTS) if (env !== environment && keys[env] !== undefined) out[env] = keys[env];
  return out;
}
