// A lead file for bench:send: one row per lead (no same-lead chains, so the budget alone sets
// the pace), a few typical fields each.
import { writeFile } from 'node:fs/promises';

const STATUS = ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'];

export async function writeBenchLeads(path: string, rows: number): Promise<string> {
  const lines = ['Lead ID,First Name,Status,Beds,Max Rent'];
  for (let i = 0; i < rows; i++)
    lines.push(`bench-${i + 1},Lead${i + 1},${STATUS[i % STATUS.length]},${1 + (i % 4)},${1_000 + (i % 50) * 25}`);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}
