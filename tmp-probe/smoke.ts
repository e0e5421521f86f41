import { startSimulator } from '../app/simulator/server.ts';
const sim = await startSimulator({ jobPendingMs: 50 });
const put = (id: string, body: unknown, q = '') => fetch(`${sim.url}/v1/leads/${id}${q}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
let r = await put('lead-1', { status: 'ACTIVE' });
console.log(r.status, [...r.headers].filter(([k]) => k.startsWith('x-')), await r.json());
const job = sim.record[0].jobId!;
r = await fetch(`${sim.url}/v1/admin/write-status/${job}`); console.log(await r.json());
await new Promise((res) => setTimeout(res, 60));
r = await fetch(`${sim.url}/v1/admin/write-status/${job}`); console.log(await r.json());
r = await fetch(`${sim.url}/v1/admin/logs/writes/?limit=5`); console.log(JSON.stringify(await r.json()));
sim.queueFaults('drop-before-apply', 'drop-after-apply');
for (let i = 0; i < 3; i++) {
  try { r = await put('lead-2', { status: 'COLD' }); console.log('ok', r.status); } catch (e) { console.log('rejected', (e as Error).message, ((e as Error).cause as Error)?.message); }
}
console.log(sim.record.map((e) => [e.seq, e.method, e.path, e.status, e.applied, e.fault]));
await sim.close();
console.log('closed');
