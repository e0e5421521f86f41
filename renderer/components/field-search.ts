// The field picker's search: plain logic, tested on its own.
import type { FieldView } from '../../app/desktop/views.ts';

/** Fields matching `query`: names that start with it first, then names, then descriptions. */
export function searchFields(fields: readonly FieldView[], query: string): FieldView[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  if (q === '') return [...fields].sort((a, b) => Number(a.deprecated) - Number(b.deprecated) || a.name.localeCompare(b.name));
  const words = query.trim().toLowerCase().split(/\s+/);
  const scored: { field: FieldView; score: number }[] = [];
  for (const field of fields) {
    const name = field.name.toLowerCase();
    const description = field.description.toLowerCase();
    let score = -1;
    if (name.startsWith(q)) score = 0;
    else if (name.includes(q)) score = 1;
    else if (words.every((w) => name.includes(w) || description.includes(w))) score = 2;
    if (score >= 0) scored.push({ field, score: score + (field.deprecated ? 3 : 0) });
  }
  return scored.sort((a, b) => a.score - b.score || a.field.name.localeCompare(b.field.name)).map((s) => s.field);
}
