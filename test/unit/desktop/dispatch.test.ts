// The service bound to a bridge outside Electron, the way the e2e harness binds it: requests
// through dispatchRequest (decoded with the contract's codecs), events through subscribe.
import { describe, expect, it } from 'vitest';
import { createBridgeApi, type BridgeTransport } from '../../../app/contract-kit.ts';
import { contract } from '../../../app/contract.ts';
import { dispatchRequest } from '../../../app/desktop/dispatch.ts';
import { makeService, MIXED, tempDir, writeCsv } from './desktop-harness.ts';

describe('dispatchRequest', () => {
  it('gives the page the same results main would: decoded arguments, coded failures, events', async () => {
    const t = await makeService({}, { production: 'prd_live_0f1e2d3c4b5a69788796a5b4c3d2e1f0' });
    const transport: BridgeTransport = {
      invoke: (channel, arg) => dispatchRequest(contract, t.service.handlers, channel, arg),
      subscribe: (channel, listener) => t.service.subscribe((event, payload) => event === channel && listener(payload)),
      pathForFile: () => '',
    };
    const importer = createBridgeApi(contract, transport);
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);

    const progress: unknown[] = [];
    const off = importer.on('import:progress', (payload) => progress.push(payload));
    const opened = await importer.openImport({ path, options: {} });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(await importer.validateImport({ importId: opened.value.importId })).toMatchObject({ ok: true, value: { rows: 6, valid: 2 } });
    expect(progress.at(-1)).toEqual({ importId: opened.value.importId, rowsRead: 6 });
    off();

    // A bad argument never reaches the service.
    expect(await importer.openImport({ path, options: {}, extra: 1 } as unknown as { path: string; options: object })).toEqual({
      ok: false,
      error: { code: 'bad_argument', message: 'import:open: extra: is not an accepted key' },
    });
    // A refusal keeps its code (no one to confirm Production here); a sync throw is a result too.
    expect(await importer.startRun({ importId: opened.value.importId, environment: 'production', concurrency: 1, rate: 10 })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    expect(await importer.pauseRun({ runId: 'nope' })).toEqual({ ok: false, error: { code: 'failed', message: 'Run nope is not running in this window: nothing to pause.' } });
    // Requests the service does not answer (main's shell owns them).
    expect(await importer.appInfo()).toEqual({ ok: false, error: { code: 'unavailable', message: 'app:info: no such request is answered here' } });
    expect(await dispatchRequest(contract, t.service.handlers, 'toString', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
