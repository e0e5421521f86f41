// "Did you mean …?" for values that are almost right. Runs only when a cell has already
// failed, so clarity matters more than speed here.

/** Edit distance counting a swap of two neighbouring letters as one edit ("Actvie" → "Active"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[rows - 1][cols - 1];
}

/** Upper case, with runs of spaces, hyphens, underscores and dots turned into one `_`. */
export function normalizeWord(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s\-_.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The one candidate the input most likely means, or undefined when none is close or two are
 * equally close: a candidate the input starts (at least 2 letters), then the closest by edit
 * distance within about a third of its length, then a candidate the input contains as a word
 * ("mobile phone" → MOBILE). Candidates are compared after `normalizeWord`.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const word = normalizeWord(input);
  if (word.length === 0) return undefined;
  const normalized = candidates.map(normalizeWord);

  const unique = (indexes: readonly number[]): string | undefined => (indexes.length === 1 ? candidates[indexes[0]] : undefined);
  const all = normalized.map((_, i) => i);

  if (word.length >= 2) {
    const prefixed = all.filter((i) => normalized[i].startsWith(word));
    if (prefixed.length > 0) return unique(prefixed);
  }

  let best = Infinity;
  let bestIndexes: number[] = [];
  for (const i of all) {
    const distance = editDistance(word, normalized[i]);
    const allowed = Math.max(1, Math.floor(normalized[i].length / 3));
    if (distance > allowed) continue;
    if (distance < best) {
      best = distance;
      bestIndexes = [i];
    } else if (distance === best) bestIndexes.push(i);
  }
  if (bestIndexes.length > 0) return unique(bestIndexes);

  const parts = word.split('_');
  const contained = all.filter((i) => {
    const candidateParts = normalized[i].split('_');
    return parts.some((_, start) => candidateParts.every((p, k) => parts[start + k] === p));
  });
  return unique(contained);
}

/** " — did you mean X?" or nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` — did you mean ${match}?`;
}
