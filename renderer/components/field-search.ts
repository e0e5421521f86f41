// The field picker's search: plain logic, tested on its own. People type what they call a
// field ("move in", "budget"), its API name ("target_move"), or the header in their file
// ("Cell #"): labels, API names and the mapping synonyms all lead to the field.
import type { FieldView } from '../../app/shared/views.ts';

/** Case, underscores, hyphens and punctuation folded away: "Move-in" ≈ "move_in" ≈ "move in". */
const fold = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim();

const byLabel = (a: FieldView, b: FieldView): number => Number(a.deprecated) - Number(b.deprecated) || a.label.localeCompare(b.label);

function scoreOf(field: FieldView, q: string, words: readonly string[]): number {
  const label = fold(field.label);
  const name = fold(field.name);
  const synonyms = field.synonyms.map(fold);
  if (label.startsWith(q) || name.startsWith(q)) return 0;
  if (label.includes(q) || name.includes(q)) return 1;
  if (synonyms.some((s) => s.includes(q))) return 2;
  const text = [label, name, ...synonyms, fold(field.explanation), fold(field.description)].join(' ');
  return words.every((w) => text.includes(w)) ? 3 : -1;
}

/** Fields matching `query`: label or API name starting with it first, then containing it, then synonyms, then any words. */
export function searchFields(fields: readonly FieldView[], query: string): FieldView[] {
  const q = fold(query);
  if (q === '') return [...fields].sort(byLabel);
  const words = q.split(' ');
  const scored: { field: FieldView; score: number }[] = [];
  for (const field of fields) {
    const score = scoreOf(field, q, words);
    if (score >= 0) scored.push({ field, score: score + (field.deprecated ? 4 : 0) });
  }
  return scored.sort((a, b) => a.score - b.score || byLabel(a.field, b.field)).map((s) => s.field);
}
