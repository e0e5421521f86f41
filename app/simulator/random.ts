// Seeded randomness, so a run with the same seed and the same requests behaves the same.
// Job outcomes draw from streams keyed by what they are about (seed + lead + attempt) rather
// than one shared stream, so concurrency that reorders arrivals does not change them.

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast, and good enough for simulated faults. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts, to turn a key like (seed, "outcome", leadId, 2) into a 32-bit seed. */
export function hashSeed(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${String(part)}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

/** A generator of its own, derived from the seed and a key. */
export const streamFor = (seed: number, ...key: readonly (string | number)[]): Random => mulberry32(hashSeed(seed, ...key));

/** An integer in [min, max], both included. */
export const intBetween = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))];
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A short random suffix for ids; uniqueness comes from the counter it is joined to. */
export function randomToken(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
  return out;
}
