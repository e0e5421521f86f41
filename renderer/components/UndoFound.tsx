// On an undo's run screen once it has ended: the fields someone changed while the undo ran,
// which it left as they are (each lead is read again right before its write-back). Named as
// the undo confirmation names them: the lead's id and row, the field's label. Or, when the undo
// run's undo.json cannot be read, why (the file and the reason).
import type { ReactNode } from 'react';
import type { UndoFoundView } from '../../app/shared/views.ts';
import { undoFoundItem, undoFoundLine, undoFoundMore } from '../screens/run-summary.ts';
import { useFieldLabel } from './FieldName.tsx';

export function UndoFound({ found }: { readonly found: UndoFoundView }): ReactNode {
  const label = useFieldLabel();
  // Its undo.json could not be read: say so, naming the file and why, rather than nothing.
  if (found.problem !== undefined)
    return (
      <section className="callout callout--warn undo-found" aria-label="What the undo found" data-testid="undo-found">
        <p className="undo-found-line">{found.problem}</p>
      </section>
    );
  const line = undoFoundLine(found);
  if (line === null) return null;
  const more = undoFoundMore(found);
  return (
    <section className="callout callout--warn undo-found" aria-label="Fields changed while the undo ran" data-testid="undo-found">
      <p className="undo-found-line">{line}</p>
      {/* Scrolls when long: focusable, so the keyboard can scroll it too. */}
      <div className="undo-found-list" tabIndex={0} role="region" aria-label="Fields left as they are">
        <ul>
          {found.fields.map((f) => (
            <li key={`${f.row}:${f.field}`} title={f.reason ?? undefined}>
              {undoFoundItem(f, label)}
            </li>
          ))}
        </ul>
      </div>
      {more === null ? null : <p className="undo-found-more">{more}</p>}
    </section>
  );
}
