import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, createCredentialStore } from '../../../main/credentials.ts';
import { app, electronDouble, safeStorage } from '../../support/electron-double.ts';
import { everythingUnder, expectNoTraceOf } from './secret-traces.ts';

const SANDBOX_KEY = 'sbx_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const PRODUCTION_KEY = 'prd_00112233445566778899aabbccddeeff';

function store(platform: NodeJS.Platform = 'linux') {
  return createCredentialStore({ safeStorage, directory: app.getPath('userData'), platform });
}

const fileOf = (): string => join(app.getPath('userData'), CREDENTIALS_FILE);

describe('credential store, with OS encryption', () => {
  beforeEach(() => electronDouble.reset());
  afterEach(() => electronDouble.cleanup());

  it('starts with nothing stored', async () => {
    expect(await store().status()).toEqual({
      sandbox: { stored: false, encryption: 'os' },
      production: { stored: false, encryption: 'os' },
    });
  });

  it('stores each key encrypted, in a private file, and answers with the status only', async () => {
    const s = store();
    const status = await s.set('sandbox', SANDBOX_KEY);
    expect(status).toEqual({ sandbox: { stored: true, encryption: 'os' }, production: { stored: false, encryption: 'os' } });
    expectNoTraceOf(SANDBOX_KEY, JSON.stringify(status));
    const onDisk = JSON.parse(readFileSync(fileOf(), 'utf8')) as { version: number; keys: Record<string, string> };
    expect(onDisk.version).toBe(1);
    expect(Object.keys(onDisk.keys)).toEqual(['sandbox']);
    expect((await safeStorage.decryptStringAsync(Buffer.from(onDisk.keys.sandbox, 'base64'))).result).toBe(SANDBOX_KEY);
    expectNoTraceOf(SANDBOX_KEY, everythingUnder(app.getPath('userData')));
    if (process.platform !== 'win32') expect(statSync(fileOf()).mode & 0o777).toBe(0o600);
    // No temporary file is left behind.
    expect(readdirSync(app.getPath('userData'))).toEqual([CREDENTIALS_FILE]);
  });

  it('gives main the key for a run, also after a restart', async () => {
    await store().set('production', PRODUCTION_KEY);
    const restarted = store();
    expect(await restarted.status()).toMatchObject({ production: { stored: true }, sandbox: { stored: false } });
    expect(await restarted.getKeyForRun('production')).toBe(PRODUCTION_KEY);
    expect(await restarted.getKeyForRun('sandbox')).toBeNull();
    expect(restarted.secretsInMemory()).toEqual([PRODUCTION_KEY]);
  });

  it('keeps both environments when they are set at the same time', async () => {
    const s = store();
    await Promise.all([s.set('sandbox', SANDBOX_KEY), s.set('production', PRODUCTION_KEY)]);
    const restarted = store();
    expect(await restarted.getKeyForRun('sandbox')).toBe(SANDBOX_KEY);
    expect(await restarted.getKeyForRun('production')).toBe(PRODUCTION_KEY);
  });

  it('replaces a key', async () => {
    const s = store();
    await s.set('sandbox', SANDBOX_KEY);
    await s.set('sandbox', `${SANDBOX_KEY}-new`);
    expect(await store().getKeyForRun('sandbox')).toBe(`${SANDBOX_KEY}-new`);
  });

  it('clears one environment, then removes the file with the last key', async () => {
    const s = store();
    await s.set('sandbox', SANDBOX_KEY);
    await s.set('production', PRODUCTION_KEY);
    expect(await s.clear('sandbox')).toEqual({
      sandbox: { stored: false, encryption: 'os' },
      production: { stored: true, encryption: 'os' },
    });
    expect(await store().getKeyForRun('sandbox')).toBeNull();
    expect(await s.getKeyForRun('sandbox')).toBeNull();
    await s.clear('production');
    expect(readdirSync(app.getPath('userData'))).toEqual([]);
    expect(s.secretsInMemory()).toEqual([]);
  });

  it('treats a damaged file as holding no key, and replaces it on the next save', async () => {
    writeFileSync(fileOf(), '{"version":1,"keys":{"sandbox":');
    expect(await store().status()).toMatchObject({ sandbox: { stored: false } });
    await store().set('sandbox', SANDBOX_KEY);
    expect(await store().getKeyForRun('sandbox')).toBe(SANDBOX_KEY);
  });

  it('says so when the OS can no longer decrypt a stored key', async () => {
    writeFileSync(fileOf(), JSON.stringify({ version: 1, keys: { sandbox: Buffer.from('garbage').toString('base64') } }));
    await expect(store().getKeyForRun('sandbox')).rejects.toThrow(/could not be decrypted.*enter it again/);
  });

  it('re-encrypts a key when the OS rotated its own key', async () => {
    await store().set('sandbox', SANDBOX_KEY);
    const before = readFileSync(fileOf(), 'utf8');
    safeStorage.rotateKey = true;
    const encryptsBefore = safeStorage.encryptCalls;
    expect(await store().getKeyForRun('sandbox')).toBe(SANDBOX_KEY);
    expect(safeStorage.encryptCalls).toBe(encryptsBefore + 1);
    expect(JSON.parse(readFileSync(fileOf(), 'utf8'))).toEqual(JSON.parse(before));
    expectNoTraceOf(SANDBOX_KEY, everythingUnder(app.getPath('userData')));
  });

  it('does not consider the Linux basic_text backend on other systems', async () => {
    safeStorage.backend = 'basic_text';
    expect((await store('darwin').status()).sandbox.encryption).toBe('os');
    expect((await store('win32').status()).sandbox.encryption).toBe('os');
  });
});

describe.each([
  ['safeStorage says encryption is unavailable', () => void (safeStorage.available = false)],
  ["Linux's backend is basic_text (a hard-coded password)", () => void (safeStorage.backend = 'basic_text')],
])('credential store, when %s', (_name, makeUnavailable) => {
  beforeEach(() => {
    electronDouble.reset();
    makeUnavailable();
  });
  afterEach(() => electronDouble.cleanup());

  it('keeps the key in memory for this session only, and says so', async () => {
    const s = store('linux');
    expect(await s.set('sandbox', SANDBOX_KEY)).toEqual({
      sandbox: { stored: true, encryption: 'unavailable' },
      production: { stored: false, encryption: 'unavailable' },
    });
    expect(readdirSync(app.getPath('userData'))).toEqual([]);
    expect(safeStorage.encryptCalls).toBe(0);
    expect(await s.getKeyForRun('sandbox')).toBe(SANDBOX_KEY);
    // The next session does not have it.
    expect(await store('linux').status()).toMatchObject({ sandbox: { stored: false } });
    expect(await s.clear('sandbox')).toMatchObject({ sandbox: { stored: false } });
    expect(await s.getKeyForRun('sandbox')).toBeNull();
  });

  it('drops an older encrypted key instead of letting it come back next session', async () => {
    safeStorage.available = true;
    safeStorage.backend = 'gnome_libsecret';
    await store('linux').set('sandbox', 'sbx_old_key_0000000000');
    makeUnavailable();
    await store('linux').set('sandbox', SANDBOX_KEY);
    expect(readdirSync(app.getPath('userData'))).toEqual([]);
  });
});
