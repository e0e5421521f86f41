// Writes a realistic lead CSV for benchmarks: ~20 columns, quoted notes with commas and line
// breaks, about 1% of rows with a mistake a person would make. Deterministic for a seed.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const BENCH_HEADER = [
  'Lead ID',
  'First Name',
  'Last Name',
  'Email',
  'Phone',
  'Phone Type',
  'Status',
  'Move-in Date',
  'Beds',
  'Baths',
  'Max Rent',
  'Monthly Income',
  'Has Cats',
  'Has Dogs',
  'Occupants',
  'Credit Score',
  'City',
  'State',
  'Zip',
  'Desired Units',
  'Notes',
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Zoë', 'José', 'Ana', 'Liam', 'Olivia', 'Noah', 'Emma', 'Mateo', 'Ava', 'Lucas'];
const LAST = ['García', 'Smith', 'Nguyen', 'Johnson', 'Müller', 'Brown', "O'Neil", 'Silva'];
const CITIES = ['Austin', 'São Paulo', 'Denver', 'Portland', 'Chicago', 'Miami'];
const STATUS = ['ACTIVE', 'active', 'Cold', 'INACTIVE', 'Waitlisted'];
const TYPES = ['MOBILE', 'home', 'Work', 'FAX'];
const NOTES = [
  'Called twice, prefers email',
  'Wants a corner unit, "quiet" floor',
  'Line one\nLine two, with a comma',
  '',
  'Budget flexible; asked about parking, storage',
];

export async function writeLeadCsv(path: string, rows: number, seed = 42): Promise<void> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const out = createWriteStream(path);
  let buffer = `${BENCH_HEADER.join(',')}\n`;
  for (let i = 1; i <= rows; i++) {
    const mistake = random() < 0.01;
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const cells = [
      `ld_${(i * 7919).toString(36).padStart(8, '0')}`,
      pick(FIRST),
      pick(LAST),
      `lead${i}@example.com`,
      `(555) ${String(100 + (i % 900))}-${String(1000 + (i % 9000))}`,
      pick(TYPES),
      mistake ? 'Actve' : pick(STATUS),
      random() < 0.5 ? `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : `${month}/${day}/2026`,
      String(1 + Math.floor(random() * 4)),
      random() < 0.5 ? '1.5' : '2',
      `$${(1000 + Math.floor(random() * 3000)).toLocaleString('en-US')}.${String(Math.floor(random() * 100)).padStart(2, '0')}`,
      String(3000 + Math.floor(random() * 9000)),
      random() < 0.3 ? 'yes' : 'no',
      random() < 0.3 ? 'Y' : 'N',
      String(1 + Math.floor(random() * 5)),
      String(550 + Math.floor(random() * 300)),
      pick(CITIES),
      'TX',
      String(10000 + Math.floor(random() * 89999)),
      random() < 0.2 ? `unit_${i % 500};unit_${(i + 1) % 500}` : '',
      pick(NOTES),
    ];
    buffer += `${cells.map(quote).join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
