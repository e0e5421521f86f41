// 3. Review: every row decoded as it would be sent, before anything is. Counts, filters, a
// virtualized table read by range (never the whole file), invalid cells highlighted with their
// messages, a cell fixed in place and the row re-checked, the error report exported now. Beside
// the rows: the check against Propexo and the changes the rows would make (PropexoCheck.tsx).
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CellIssueView, ImportOverview, OnlineCheckView, ReviewCounts, ReviewFilter, ReviewRowView } from '../../app/shared/views.ts';
import { bridge } from '../bridge.ts';
import { Badge, EmptyState, ErrorText, ProgressBar, Spinner, Stat } from '../components/Bits.tsx';
import { FieldName, useFieldLabel } from '../components/FieldName.tsx';
import { ChangesPanel, PropexoCheckPanel, type CheckTarget } from '../components/PropexoCheck.tsx';
import { VirtualGrid, type GridCell, type GridColumn } from '../components/VirtualGrid.tsx';
import { usePagedList } from '../data/usePagedList.ts';
import { count, environmentLabel, plural } from '../format.ts';

export interface ReviewScreenProps {
  readonly overview: ImportOverview;
  readonly counts: ReviewCounts | null;
  readonly onValidated: (counts: ReviewCounts) => void;
  readonly onExportErrors: () => void;
  readonly onBack: () => void;
  readonly onNext: () => void;
}

const FILTERS: readonly { readonly value: ReviewFilter; readonly label: string; readonly countOf: (c: ReviewCounts) => number }[] = [
  { value: 'all', label: 'All rows', countOf: (c) => c.rows },
  { value: 'errors', label: 'Errors', countOf: (c) => c.invalid },
  { value: 'warnings', label: 'Warnings', countOf: (c) => c.warnings },
  { value: 'duplicates', label: 'Duplicates', countOf: (c) => c.duplicates },
];

/** What Review shows: the file's rows, the check against Propexo, or the changes. */
type ReviewView = 'rows' | 'check' | 'changes';
const VIEWS: readonly { readonly value: ReviewView; readonly label: string }[] = [
  { value: 'rows', label: 'Rows' },
  { value: 'check', label: 'Check against Propexo' },
  { value: 'changes', label: 'Changes' },
];

const PAGE = 100;
const ROW_HEIGHT = 34;
/** Columns before the file's own: row number and status. */
const LEAD_COLUMNS = 2;

interface Editing {
  readonly index: number;
  readonly rowNumber: number;
  readonly columnIndex: number;
}

export function ReviewScreen({ overview, counts, onValidated, onExportErrors, onBack, onNext }: ReviewScreenProps): ReactNode {
  const [filter, setFilter] = useState<ReviewFilter>('all');
  const [validating, setValidating] = useState<number | null>(null);
  const [validateError, setValidateError] = useState<string | null>(null);
  const [active, setActive] = useState<{ row: number; column: number } | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(false);
  const [editError, setEditError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const gridRef = useRef<HTMLDivElement>(null);
  const { importId } = overview;
  const [view, setView] = useState<ReviewView>('rows');
  const [target, setTarget] = useState<CheckTarget>({ environment: 'practice', ...overview.scope });
  const [online, setOnline] = useState<OnlineCheckView | null>(null);
  // New counts (a new mapping, a cell fixed) make the check against Propexo stale: it runs again when shown.
  useEffect(() => {
    setOnline(null);
  }, [counts]);
  // Rows naming their leads by anything but Propexo's id are looked up before they can be sent:
  // the first "Continue to send" shows the check first (the second goes on).
  const lookedUp = overview.columns.some((c) => c.field === 'lead_id' && c.options.match !== undefined && c.options.match !== 'lead_id');
  const [checkOffered, setCheckOffered] = useState(false);
  const next = (): void => {
    if (lookedUp && online === null && !checkOffered) {
      setCheckOffered(true);
      setView('check');
      setAnnouncement('Check the rows against Propexo before sending: they name their leads by an id Propexo must look up.');
      return;
    }
    onNext();
  };

  const validate = useCallback(async () => {
    setValidateError(null);
    setValidating(0);
    const off = bridge().on('import:progress', (p) => {
      if (p.importId === importId) setValidating(p.rowsRead);
    });
    const result = await bridge().validateImport({ importId });
    off();
    setValidating(null);
    if (result.ok) onValidated(result.value);
    else setValidateError(`The rows could not be checked: ${result.error.message}`);
  }, [importId, onValidated]);

  useEffect(() => {
    if (counts === null) void validate();
    // Only when this import has no counts yet (a new mapping clears them).
  }, [counts === null, validate]);

  const fetchPage = useCallback(
    (offset: number, limit: number) => bridge().reviewRows({ importId, filter, offset, limit }),
    [importId, filter],
  );
  // Read once the rows are checked (counts known); a new check starts the list over.
  const list = usePagedList<ReviewRowView, ReviewRowView>({ pageSize: PAGE, fetchPage, select: (r) => r, enabled: counts !== null });
  const rowCount = counts === null ? 0 : (list.total ?? 0);

  useEffect(() => {
    setActive(null);
    setEditing(null);
  }, [filter]);

  const labelOf = useFieldLabel();
  const columns = useMemo<GridColumn[]>(
    () => [
      { key: 'row', header: 'Row', width: '64px', align: 'end', title: 'Row number in the file (the header is row 1)', sticky: true },
      { key: 'status', header: 'Status', width: '176px', sticky: true },
      ...overview.columns.map((c) => ({
        key: `c${c.index}`,
        width: '170px',
        title: c.field === null ? `${c.column}: not sent` : `${c.column} → ${labelOf(c.field)} (${c.field})`,
        className: c.field === null ? 'grid-cell--unsent' : undefined,
        header: (
          <span className="col-head">
            <span className="col-head-name">{c.column === '' ? `(column ${c.index + 1})` : c.column}</span>
            <span className="col-head-field">{c.field === null ? 'not sent' : <FieldName name={c.field} />}</span>
          </span>
        ),
      })),
    ],
    [overview.columns, labelOf],
  );

  const commit = useCallback(
    async (edit: Editing, value: string) => {
      setSaving(true);
      setEditError(null);
      const result = await bridge().editCell({ importId, rowNumber: edit.rowNumber, columnIndex: edit.columnIndex, value });
      setSaving(false);
      if (!result.ok) {
        setEditError(`Row ${edit.rowNumber} was not changed: ${result.error.message}`);
        return;
      }
      const { row, counts: next } = result.value;
      list.replace(edit.index, row);
      if (!stillMatches(row, filter)) list.markShifted();
      setEditing(null);
      onValidated(next);
      setAnnouncement(
        row.status === 'valid'
          ? `Row ${row.rowNumber} is valid now.`
          : `Row ${row.rowNumber} still has ${plural(errorsOf(row).length, 'error')}.`,
      );
      gridRef.current?.focus();
    },
    [importId, list, filter, onValidated],
  );

  const startEdit = useCallback(
    (index: number, column: number) => {
      const row = list.cache.get(index);
      const columnIndex = column - LEAD_COLUMNS;
      if (row === undefined || columnIndex < 0 || columnIndex >= overview.columns.length) return;
      setEditError(null);
      setActive({ row: index, column });
      setEditing({ index, rowNumber: row.rowNumber, columnIndex });
    },
    [list.cache, overview.columns.length],
  );

  const cellsOf = useCallback(
    (index: number): GridCell[] | null => {
      const row = list.cache.get(index);
      if (row === undefined) return null;
      const byColumn = issuesByColumn(row.issues);
      const rowLevel = row.issues.filter((i) => i.columnIndex === null);
      const cells: GridCell[] = [
        { content: count(row.rowNumber), className: 'cell-rownum' },
        {
          content: <RowStatus row={row} />,
          title: rowLevel.map((i) => i.message).join('\n') || undefined,
          invalid: rowLevel.some((i) => i.severity === 'error'),
        },
      ];
      for (let c = 0; c < overview.columns.length; c++) {
        const issues = byColumn.get(c) ?? [];
        const hasError = issues.some((i) => i.severity === 'error');
        const hasWarning = !hasError && issues.length > 0;
        const edited = row.edited.includes(c);
        const isEditing = editing !== null && editing.index === index && editing.columnIndex === c;
        cells.push({
          content: isEditing ? (
            <CellEditor
              key={`${row.rowNumber}-${c}`}
              initial={row.cells[c] ?? ''}
              saving={saving}
              column={overview.columns[c].column}
              rowNumber={row.rowNumber}
              onCommit={(v) => void commit(editing, v)}
              onCancel={() => {
                setEditing(null);
                gridRef.current?.focus();
              }}
            />
          ) : (
            <span className="cell-text">{row.cells[c] === '' ? <span className="cell-empty">empty</span> : row.cells[c]}</span>
          ),
          className: [
            hasError ? 'cell--error' : '',
            hasWarning ? 'cell--warn' : '',
            edited ? 'cell--edited' : '',
            isEditing ? 'cell--editing' : '',
          ]
            .filter(Boolean)
            .join(' '),
          title:
            issues.length > 0
              ? issues.map((i) => `${i.severity === 'error' ? 'Error' : 'Warning'}: ${i.message}`).join('\n')
              : edited
                ? 'Fixed in the app'
                : undefined,
          invalid: hasError,
        });
      }
      return cells;
    },
    // list.version: rows arrived; editing/saving: the editor cell.
    [list.cache, list.version, overview.columns, editing, saving, commit],
  );

  const rowKeyOf = useCallback(
    (index: number) => {
      const row = list.cache.get(index);
      if (editing !== null && editing.index === index) return `${editing.columnIndex}:${saving}:${row?.rowNumber}:${row?.edited.length}`;
      return row;
    },
    [list.cache, list.version, editing, saving],
  );

  const rowClassOf = useCallback(
    (index: number) => {
      const row = list.cache.get(index);
      if (row === undefined) return undefined;
      return row.status === 'invalid'
        ? 'row--invalid'
        : row.status === 'skipped'
          ? 'row--skipped'
          : row.duplicate
            ? 'row--duplicate'
            : undefined;
    },
    [list.cache, list.version],
  );

  const activeRow = active === null ? undefined : list.cache.get(active.row);

  return (
    <div className="screen screen--review">
      <header className="screen-head">
        <div>
          <h1 className="screen-title">Review rows</h1>
          <p className="screen-subtitle">
            <span className="file-name">{overview.fileName}</span> · nothing has been sent. Fix a cell by double-clicking it (or Enter);
            your file is not changed.
          </p>
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={onExportErrors} disabled={counts === null} data-testid="export-import-errors">
            Export error report…
          </button>
        </div>
      </header>

      <div className="stats" aria-label="Row counts">
        <Stat label="rows" value={counts?.rows ?? null} onClick={() => setFilter('all')} pressed={filter === 'all'} testId="count-rows" />
        <Stat label="valid" value={counts?.valid ?? null} tone="good" testId="count-valid" />
        <Stat
          label="invalid"
          value={counts?.invalid ?? null}
          tone={counts !== null && counts.invalid > 0 ? 'bad' : 'neutral'}
          onClick={() => setFilter('errors')}
          pressed={filter === 'errors'}
          testId="count-invalid"
        />
        <Stat
          label="with warnings"
          value={counts?.warnings ?? null}
          tone={counts !== null && counts.warnings > 0 ? 'warn' : 'neutral'}
          onClick={() => setFilter('warnings')}
          pressed={filter === 'warnings'}
          testId="count-warnings"
        />
        <Stat
          label="duplicates"
          value={counts?.duplicates ?? null}
          onClick={() => setFilter('duplicates')}
          pressed={filter === 'duplicates'}
          title="Rows updating a lead an earlier row also updates"
          testId="count-duplicates"
        />
        <Stat label="skipped" value={counts?.skipped ?? null} title="Empty rows: nothing to send" testId="count-skipped" />
        <Stat label="fixed here" value={counts?.edits ?? null} testId="count-edits" />
      </div>
      {counts !== null && counts.notices.length > 0 ? (
        <div className="callout callout--warn" role="status" data-testid="read-notices">
          <ul className="plain-list">
            {counts.notices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="segmented review-views" role="group" aria-label="View">
        {VIEWS.map((v) => (
          <button
            key={v.value}
            type="button"
            className="segmented-button"
            aria-pressed={view === v.value}
            disabled={counts === null && v.value !== 'rows'}
            onClick={() => setView(v.value)}
            data-testid={`view-${v.value}`}
          >
            {v.label}
          </button>
        ))}
      </div>

      <span className="sr-only" aria-live="polite">
        {announcement}
      </span>

      {view === 'check' && counts !== null ? (
        <PropexoCheckPanel
          overview={overview}
          target={target}
          onTarget={setTarget}
          check={online}
          onChecked={setOnline}
          onFixed={(next) => {
            onValidated(next);
            list.refresh();
          }}
        />
      ) : null}
      {view === 'changes' && counts !== null ? <ChangesPanel importId={importId} check={online} /> : null}

      <div className="filter-bar" hidden={view !== 'rows'}>
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              className="segmented-button"
              aria-pressed={filter === f.value}
              onClick={() => setFilter(f.value)}
              data-testid={`filter-${f.value}`}
            >
              {f.label}
              {counts !== null ? <span className="segmented-count">{count(f.countOf(counts))}</span> : null}
            </button>
          ))}
        </div>
      </div>

      <ErrorText message={validateError} onRetry={() => void validate()} />
      <ErrorText message={list.error === null ? null : `Could not read the rows: ${list.error}`} onRetry={list.refresh} />
      <ErrorText message={editError} />

      <div className="review-body" hidden={view !== 'rows'}>
        {counts === null ? (
          <div className="grid-placeholder" aria-busy="true">
            {validateError === null ? (
              <div className="validating">
                <p>
                  <Spinner /> Checking every row… {validating !== null && validating > 0 ? `${count(validating)} rows read` : ''}
                </p>
                <ProgressBar value={0} max={1} label="Checking rows" indeterminate />
              </div>
            ) : null}
          </div>
        ) : (
          <VirtualGrid
            label={`Rows of ${overview.fileName}`}
            columns={columns}
            rowCount={rowCount}
            rowHeight={ROW_HEIGHT}
            cellsOf={cellsOf}
            rowKeyOf={rowKeyOf}
            rowClassOf={rowClassOf}
            onRange={list.show}
            activeRow={active?.row ?? null}
            activeColumn={active?.column ?? null}
            onActiveChange={(row, column) => setActive({ row, column })}
            onActivate={startEdit}
            busy={list.total === null}
            minWidth={64 + 176 + overview.columns.length * 170}
            gridRef={gridRef}
            testId="review-grid"
            empty={
              list.total === 0 ? (
                <EmptyState
                  title={filter === 'all' ? 'The file has no rows' : `No ${FILTERS.find((f) => f.value === filter)?.label.toLowerCase()}`}
                >
                  {filter === 'errors' ? 'Every row can be sent as it is.' : filter === 'all' ? 'Only a header row was found.' : null}
                </EmptyState>
              ) : (
                <p className="loading-line">
                  <Spinner /> Reading rows…
                </p>
              )
            }
          />
        )}
        <RowDetails
          row={activeRow}
          overview={overview}
          onEdit={(columnIndex) => active !== null && startEdit(active.row, columnIndex + LEAD_COLUMNS)}
        />
      </div>

      <footer className="screen-foot">
        <button type="button" className="button" onClick={onBack}>
          Back to mapping
        </button>
        <span className="foot-text">
          {counts === null
            ? ''
            : counts.valid === 0
              ? 'No row can be sent yet: fix the errors, or change the mapping.'
              : online !== null && online.unmatchedTotal > 0
                ? // The rows the check could not match are valid rows too: say how many of them go.
                  `${Math.max(0, counts.valid - online.unmatchedTotal).toLocaleString('en-US')} of ${plural(counts.valid, 'valid row')} will be sent${counts.invalid > 0 ? `; ${plural(counts.invalid, 'invalid row')} will not` : ''}. ` +
                  `${plural(online.unmatchedTotal, 'row')} matched no single lead in ${environmentLabel(online.environment)}: not sent unless fixed.`
                : `${plural(counts.valid, 'valid row')} will be sent${counts.invalid > 0 ? `; ${plural(counts.invalid, 'invalid row')} will not` : ''}.`}
        </span>
        <button
          type="button"
          className="button button--primary"
          disabled={counts === null || counts.valid === 0}
          onClick={next}
          data-testid="to-send"
        >
          Continue to send
        </button>
      </footer>
    </div>
  );
}

function errorsOf(row: ReviewRowView): CellIssueView[] {
  return row.issues.filter((i) => i.severity === 'error');
}

function stillMatches(row: ReviewRowView, filter: ReviewFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'errors':
      return row.status === 'invalid';
    case 'warnings':
      return row.issues.some((i) => i.severity === 'warning');
    case 'duplicates':
      return row.duplicate;
  }
}

function issuesByColumn(issues: readonly CellIssueView[]): Map<number, CellIssueView[]> {
  const map = new Map<number, CellIssueView[]>();
  for (const issue of issues) {
    if (issue.columnIndex === null) continue;
    const list = map.get(issue.columnIndex);
    if (list === undefined) map.set(issue.columnIndex, [issue]);
    else list.push(issue);
  }
  return map;
}

function RowStatus({ row }: { row: ReviewRowView }): ReactNode {
  const errors = errorsOf(row).length;
  const warnings = row.issues.length - errors;
  return (
    <span className="row-status">
      {row.status === 'valid' ? (
        <Badge tone="good">Valid</Badge>
      ) : row.status === 'skipped' ? (
        <Badge tone="neutral">Skipped</Badge>
      ) : (
        <Badge tone="bad">{plural(errors, 'error')}</Badge>
      )}
      {warnings > 0 ? <Badge tone="warn">{warnings} ⚠</Badge> : null}
      {row.duplicate ? (
        <Badge tone="neutral" title="An earlier row updates the same lead">
          Dup
        </Badge>
      ) : null}
    </span>
  );
}

function CellEditor(props: {
  initial: string;
  saving: boolean;
  column: string;
  rowNumber: number;
  onCommit: (value: string) => void;
  onCancel: () => void;
}): ReactNode {
  const [value, setValue] = useState(props.initial);
  return (
    <input
      className="cell-input"
      autoFocus
      aria-label={`New value for ${props.column}, row ${props.rowNumber}`}
      value={value}
      disabled={props.saving}
      onChange={(e) => setValue(e.target.value)}
      onFocus={(e) => e.currentTarget.select()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          props.onCommit(value);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        }
        e.stopPropagation();
      }}
      onBlur={() => {
        if (!props.saving) props.onCancel();
      }}
    />
  );
}

function RowDetails({
  row,
  overview,
  onEdit,
}: {
  row: ReviewRowView | undefined;
  overview: ImportOverview;
  onEdit: (columnIndex: number) => void;
}): ReactNode {
  if (row === undefined) {
    return (
      <aside className="details" aria-label="Row details">
        <p className="details-empty">Select a row to see what is wrong with it. Hover a highlighted cell for its message.</p>
      </aside>
    );
  }
  const errors = errorsOf(row);
  return (
    <aside className="details" aria-label={`Details of row ${row.rowNumber}`} data-testid="row-details">
      <h2 className="details-title">
        Row {count(row.rowNumber)}
        {row.leadId !== null ? <span className="details-sub"> · lead {row.leadId}</span> : null}
      </h2>
      <p className={`details-status details-status--${row.status}`}>
        {row.status === 'valid'
          ? row.edited.length > 0
            ? 'Valid now: it will be sent with your fix.'
            : 'Valid: it will be sent.'
          : row.status === 'skipped'
            ? 'Skipped: the row is empty.'
            : `Invalid: ${plural(errors.length, 'problem')} to fix before it can be sent.`}
      </p>
      {row.issues.length > 0 ? (
        <ul className="issue-list">
          {row.issues.map((issue, i) => (
            <li key={i} className={`issue issue--${issue.severity}`}>
              <span className="issue-where">
                {issue.column ?? 'Row'}
                {issue.field !== null ? (
                  <span className="issue-field">
                    {' → '}
                    <FieldName name={issue.field} />
                  </span>
                ) : null}
              </span>
              <span className="issue-message">{issue.message}</span>
              {issue.columnIndex !== null && issue.columnIndex < overview.columns.length ? (
                <button type="button" className="button button--small" onClick={() => onEdit(issue.columnIndex ?? 0)}>
                  Fix
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {row.duplicate ? <p className="details-note">An earlier row updates the same lead: both are sent, in file order.</p> : null}
    </aside>
  );
}
