// Which row holds the column names: the file's first rows (as the core found them), the one in
// use marked, a radio per row. Choosing another opens the file again with that header row; row
// numbers are the file's own (a CSV line, a sheet row), as every message and report gives them.
import { useId, useState, type ReactNode } from 'react';
import type { HeaderCandidateView } from '../../app/shared/views.ts';
import { plural } from '../format.ts';

/** Cells shown per row: enough to recognise it. */
const CELLS_SHOWN = 8;

export function HeaderRowPicker({
  headerRow,
  candidates,
  disabled,
  onChoose,
}: {
  headerRow: number;
  candidates: readonly HeaderCandidateView[];
  disabled: boolean;
  onChoose: (rowNumber: number) => void;
}): ReactNode {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const skipped = candidates.filter((c) => c.rowNumber < headerRow).length;
  if (candidates.length < 2 && headerRow === 1) return null;
  return (
    <section className="header-row" aria-label="Header row" data-testid="header-row">
      <div className="header-row-summary">
        <span>
          Column names are on <strong>row {headerRow}</strong>
          {skipped > 0 ? <> · {plural(skipped, 'row')} above it (a title block) are not read as leads</> : null}.
        </span>
        <button
          type="button"
          className="button button--small"
          aria-expanded={open}
          aria-controls={panelId}
          disabled={disabled}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Close' : 'Choose another row…'}
        </button>
      </div>
      {open ? (
        <fieldset id={panelId} className="header-row-choices" disabled={disabled}>
          <legend className="header-row-legend">
            Which row holds the column names? The rows above it are skipped; row numbers are the file’s own.
          </legend>
          <div className="header-row-list">
            {candidates.map((c) => (
              <label key={c.rowNumber} className={`header-row-option${c.isHeader ? ' header-row-option--current' : ''}`}>
                <input
                  type="radio"
                  name={`${panelId}-row`}
                  value={c.rowNumber}
                  checked={c.isHeader}
                  onChange={() => {
                    if (!c.isHeader) onChoose(c.rowNumber);
                  }}
                  aria-label={`Row ${c.rowNumber}${c.isHeader ? ' (the header now)' : ''}: ${c.cells
                    .filter((cell) => cell !== '')
                    .slice(0, CELLS_SHOWN)
                    .join(', ')}`}
                />
                <span className="header-row-number">Row {c.rowNumber}</span>
                <span className="header-row-cells">
                  {c.cells.slice(0, CELLS_SHOWN).map((cell, i) => (
                    <span key={i} className={cell === '' ? 'header-row-cell header-row-cell--empty' : 'header-row-cell'} title={cell}>
                      {cell === '' ? '·' : cell}
                    </span>
                  ))}
                  {c.cells.length > CELLS_SHOWN ? <span className="muted">+{c.cells.length - CELLS_SHOWN} more</span> : null}
                </span>
                {c.isHeader ? <span className="badge badge--good">Header</span> : null}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
    </section>
  );
}
