// The read client against Stoplight Prism serving Propexo's own document (the reads excerpt is
// part of what prism.ts serves): a server nobody here wrote answers every list endpoint and
// GET /v1/leads/{id} from the schemas, and must be readable by our codecs; every request we send
// must pass Prism's validation of the document's parameters (limit ≤ 250, the phone pattern…).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listEndpointNames } from '../../../app/propexo/read-codecs.ts';
import { createPropexoReadClient } from '../../../app/propexo/reads.ts';
import { startPrism, type Prism } from './prism.ts';

let prism: Prism;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'contract-reads-'));
  prism = await startPrism({ variant: 'document', dir: root });
}, 60_000);
afterAll(async () => {
  await prism?.close();
  await rm(root, { recursive: true, force: true });
});

describe('contract: the read client against Propexo’s document served by Prism', () => {
  it('reads a page of every list endpoint, filtered and paged, and one lead, with no request violation', async () => {
    const client = createPropexoReadClient({ baseUrl: prism.url, token: 'pxo_contract_key_abcdefghijklmnop' });
    const failures: string[] = [];
    for (const endpoint of listEndpointNames) {
      const page = await client.listPage(endpoint, endpoint === 'integrations' ? {} : { integration_id: 'int_1' }, 250, 250);
      if (!page.ok) failures.push(`${endpoint}: ${page.error.message}`);
    }
    const byPhone = await client.listPage('leads', { phone_1: '5552345678', integration_id: 'int_1' }, 0, 1, {
      orderBy: 'created_at:desc',
    });
    if (!byPhone.ok) failures.push(`leads by phone: ${byPhone.error.message}`);
    const units = await client.listPage('units', { property_id: 'prop_1', unit_number: '204' }, 0, 10);
    if (!units.ok) failures.push(`units: ${units.error.message}`);
    const lead = await client.getLead('lead_1');
    if (!lead.ok) failures.push(`lead: ${lead.error.message}`);
    expect(failures).toEqual([]);
    await prism.receivedAtLeast(listEndpointNames.length + 3);
    expect(prism.violations()).toEqual([]);
  }, 60_000);
});
