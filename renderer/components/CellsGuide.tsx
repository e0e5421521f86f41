// README.md's "How cells are read", bundled into the page (Vite `?raw`), so the guide people
// are pointed to is the one the repository keeps, not a second copy that drifts from it.
import { Fragment, type ReactNode } from 'react';
import readme from '../../README.md?raw';

export const CELLS_GUIDE_TITLE = 'How cells are read';

/** The section's bullet points, each as one line of text (continuation lines joined). */
export function guideItems(markdown: string, title = CELLS_GUIDE_TITLE): string[] {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) return [];
  const rest = markdown.slice(start + title.length + 5);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split(/\n- /)
    .map((item) =>
      item
        .replace(/^- /, '')
        .replace(/\s*\n\s*/g, ' ')
        .trim(),
    )
    .filter((item) => item !== '');
}

/** `code` spans as <code>, the rest as text. */
function inline(text: string): ReactNode {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>));
}

export function CellsGuide(): ReactNode {
  const items = guideItems(readme);
  if (items.length === 0) return null;
  return (
    <details className="guide" data-testid="cells-guide">
      <summary className="guide-summary">{CELLS_GUIDE_TITLE} (from the README)</summary>
      <ul className="guide-list">
        {items.map((item, i) => (
          <li key={i}>{inline(item)}</li>
        ))}
      </ul>
    </details>
  );
}
