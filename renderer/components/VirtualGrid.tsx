// A virtualized data grid: only the rows in view (plus a few) exist in the DOM, so 100,000
// rows scroll like 100; when every column has a width in pixels, only the columns in view do
// too (a 40-column file). ARIA grid semantics with aria-rowcount/aria-rowindex, so assistive
// technology knows where a row sits in the whole list; keyboard navigation with a roving
// active cell (aria-activedescendant), arrows, Page Up/Down, Home/End, Enter to act.
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';

export interface GridColumn {
  readonly key: string;
  readonly header: ReactNode;
  /** A CSS grid track: '72px', 'minmax(160px, 1fr)'. */
  readonly width: string;
  readonly align?: 'start' | 'end';
  /** Header tooltip. */
  readonly title?: string;
  /** Header class (a "not sent" column looks muted). */
  readonly className?: string;
  /** Stays in view when the grid scrolls sideways (leading columns only; `width` in px). */
  readonly sticky?: boolean;
}

export interface GridCell {
  readonly content: ReactNode;
  readonly className?: string;
  /** Tooltip (an invalid cell's messages). */
  readonly title?: string;
  readonly invalid?: boolean;
}

export interface VirtualGridProps {
  readonly label: string;
  readonly columns: readonly GridColumn[];
  /** Rows in the whole list (those not loaded yet are drawn as placeholders). */
  readonly rowCount: number;
  readonly rowHeight: number;
  /** The cells of row `index`, or null while it is loading. */
  readonly cellsOf: (index: number) => readonly GridCell[] | null;
  /** A key that changes when row `index` must re-render (its data changed). */
  readonly rowKeyOf: (index: number) => unknown;
  readonly rowClassOf?: (index: number) => string | undefined;
  /** Called with the first and last index rendered (overscan included), to fetch what is missing. */
  readonly onRange?: (start: number, end: number) => void;
  readonly activeRow?: number | null;
  readonly activeColumn?: number | null;
  /** Keyboard or pointer moved the active cell. */
  readonly onActiveChange?: (row: number, column: number) => void;
  /** Enter or double-click on the active cell. */
  readonly onActivate?: (row: number, column: number) => void;
  /** Shown instead of rows when the list is empty. */
  readonly empty?: ReactNode;
  readonly busy?: boolean;
  readonly className?: string;
  /** Fixed total width in pixels when the columns are fixed (wide files scroll sideways). */
  readonly minWidth?: number;
  readonly testId?: string;
  /** The focusable grid element (to give the focus back after an edit). */
  readonly gridRef?: RefObject<HTMLDivElement | null>;
}

const HEADER_HEIGHT = 36;

interface RowProps {
  readonly index: number;
  readonly start: number;
  readonly height: number;
  readonly cellsOf: (index: number) => readonly GridCell[] | null;
  readonly columns: readonly GridColumn[];
  readonly className: string | undefined;
  readonly gridId: string;
  readonly activeColumn: number | null;
  /** Left offsets of the sticky columns, by column index. */
  readonly stickyLeft: readonly (number | undefined)[];
  /** The columns to build: all of them, or the sticky ones and those in view. */
  readonly shown: readonly number[];
  readonly onCellPointer: (row: number, column: number, double: boolean) => void;
  /** Only for memo: changes when the row's data changes. */
  readonly dataKey: unknown;
}

// Re-renders only when its position, its data (dataKey) or its active cell change: scrolling
// and batches that touch other rows leave it alone.
const sameRow = (a: RowProps, b: RowProps): boolean =>
  a.index === b.index &&
  a.start === b.start &&
  a.height === b.height &&
  a.dataKey === b.dataKey &&
  a.className === b.className &&
  a.activeColumn === b.activeColumn &&
  a.columns === b.columns &&
  a.stickyLeft === b.stickyLeft &&
  a.shown === b.shown &&
  a.gridId === b.gridId;

function cellClass(column: GridColumn, left: number | undefined, ...more: (string | undefined | false)[]): string {
  return ['grid-cell', column.align === 'end' ? 'grid-cell--end' : '', left !== undefined ? 'grid-cell--sticky' : '', ...more]
    .filter(Boolean)
    .join(' ');
}

/** Each cell names its grid column: with columns left out, the others keep their place. */
const cellStyle = (c: number, left: number | undefined): CSSProperties =>
  left === undefined ? { gridColumnStart: c + 1 } : { gridColumnStart: c + 1, left };

const Row = memo(function Row({
  index,
  start,
  height,
  cellsOf,
  columns,
  className,
  gridId,
  activeColumn,
  stickyLeft,
  shown,
  onCellPointer,
}: RowProps) {
  const cells = cellsOf(index);
  const style: CSSProperties = { transform: `translateY(${start}px)`, height };
  if (cells === null) {
    // One cell across the row while it loads: a jump through a wide table builds a few
    // elements per row, not one per column, before the real cells arrive.
    return (
      <div role="row" aria-rowindex={index + 2} aria-busy="true" className="grid-row grid-row--loading" style={style}>
        <div role="gridcell" aria-colindex={1} aria-colspan={columns.length} className="grid-cell grid-cell--loading">
          <span className="skeleton" />
        </div>
      </div>
    );
  }
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={['grid-row', index % 2 === 1 ? 'grid-row--odd' : '', className].filter(Boolean).join(' ')}
      style={style}
      id={`${gridId}-r${index}`}
    >
      {shown.map((c) => {
        const column = columns[c];
        const cell = cells[c];
        const classes = cellClass(column, stickyLeft[c], cell?.className, activeColumn === c && 'grid-cell--active');
        return (
          <div
            role="gridcell"
            aria-colindex={c + 1}
            aria-invalid={cell?.invalid === true ? true : undefined}
            id={`${gridId}-r${index}-c${c}`}
            key={column.key}
            className={classes}
            style={cellStyle(c, stickyLeft[c])}
            title={cell?.title}
            onMouseDown={() => onCellPointer(index, c, false)}
            onDoubleClick={() => onCellPointer(index, c, true)}
          >
            {cell?.content}
          </div>
        );
      })}
    </div>
  );
}, sameRow);

export function VirtualGrid(props: VirtualGridProps): ReactNode {
  const {
    columns,
    rowCount,
    rowHeight,
    cellsOf,
    rowKeyOf,
    rowClassOf,
    onRange,
    activeRow = null,
    activeColumn = null,
    onActiveChange,
    onActivate,
  } = props;
  const ownRef = useRef<HTMLDivElement>(null);
  const scrollRef = props.gridRef ?? ownRef;
  const gridId = useId().replace(/:/g, '');
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // A few rows past each edge: enough for wheel scrolling, few enough that a jump (a
    // scrollbar drag) rebuilds little.
    overscan: 6,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  // Columns: virtualized too when their widths are fixed in pixels.
  const widths = useMemo(
    () => (columns.every((c) => /^\d+(\.\d+)?px$/.test(c.width)) ? columns.map((c) => Number.parseFloat(c.width)) : null),
    [columns],
  );
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: widths === null ? 0 : columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => widths?.[i] ?? 100,
    overscan: 2,
    initialRect: { width: 1280, height: 800 },
  });
  const columnItems = columnVirtualizer.getVirtualItems();
  const firstColumn = columnItems.length > 0 ? columnItems[0].index : 0;
  const lastColumn = columnItems.length > 0 ? columnItems[columnItems.length - 1].index : columns.length - 1;
  const template = columns.map((c) => c.width).join(' ');
  const stickyLeft = useMemo(() => {
    const lefts: (number | undefined)[] = [];
    let left = 0;
    for (const column of columns) {
      if (column.sticky !== true) break;
      lefts.push(left);
      left += Number.parseFloat(column.width);
    }
    return lefts;
  }, [columns]);
  const shown = useMemo(() => {
    const all = columns.map((_, c) => c);
    if (widths === null) return all;
    return all.filter((c) => stickyLeft[c] !== undefined || (c >= firstColumn && c <= lastColumn));
  }, [columns, widths, stickyLeft, firstColumn, lastColumn]);
  const first = items.length > 0 ? items[0].index : 0;
  const last = items.length > 0 ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (last >= first && rowCount > 0) onRange?.(first, last);
  }, [first, last, rowCount, onRange]);

  const columnCount = columns.length;
  const move = useCallback(
    (row: number, column: number) => {
      if (rowCount === 0) return;
      const r = Math.max(0, Math.min(rowCount - 1, row));
      const c = Math.max(0, Math.min(columnCount - 1, column));
      onActiveChange?.(r, c);
      virtualizer.scrollToIndex(r, { align: 'auto' });
      if (widths !== null && stickyLeft[c] === undefined) columnVirtualizer.scrollToIndex(c, { align: 'auto' });
    },
    [rowCount, columnCount, onActiveChange, virtualizer, columnVirtualizer, widths, stickyLeft],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) return;
    const row = activeRow ?? -1;
    const column = activeColumn ?? 0;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(row + 1, column),
      ArrowUp: () => move(row - 1, column),
      ArrowRight: () => move(Math.max(row, 0), column + 1),
      ArrowLeft: () => move(Math.max(row, 0), column - 1),
      PageDown: () => move(row + page, column),
      PageUp: () => move(row - page, column),
      Home: () => (event.ctrlKey || event.metaKey ? move(0, column) : move(Math.max(row, 0), 0)),
      End: () => (event.ctrlKey || event.metaKey ? move(rowCount - 1, column) : move(Math.max(row, 0), columnCount - 1)),
      Enter: () => {
        if (activeRow !== null) onActivate?.(activeRow, column);
      },
    };
    const action = keys[event.key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  };

  const onCellPointer = useCallback(
    (row: number, column: number, double: boolean) => {
      onActiveChange?.(row, column);
      if (double) onActivate?.(row, column);
    },
    [onActiveChange, onActivate],
  );

  const gridStyle = {
    '--grid-columns': template,
    ...(props.minWidth !== undefined ? { '--grid-min-width': `${props.minWidth}px` } : {}),
  } as CSSProperties;
  const activeId =
    activeRow !== null && activeRow < rowCount && activeRow >= first && activeRow <= last
      ? activeColumn !== null
        ? `${gridId}-r${activeRow}-c${activeColumn}`
        : `${gridId}-r${activeRow}`
      : undefined;

  return (
    <div className={['grid', props.className].filter(Boolean).join(' ')} style={gridStyle} data-testid={props.testId}>
      <div
        ref={scrollRef}
        className="grid-scroll"
        role="grid"
        aria-label={props.label}
        aria-rowcount={rowCount + 1}
        aria-colcount={columnCount}
        aria-busy={props.busy === true ? true : undefined}
        aria-activedescendant={activeId}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div className="grid-body" style={{ height: Math.max(virtualizer.getTotalSize(), HEADER_HEIGHT) }}>
          <div role="row" aria-rowindex={1} className="grid-row grid-row--header">
            {shown.map((c) => (
              <div
                role="columnheader"
                aria-colindex={c + 1}
                key={columns[c].key}
                title={columns[c].title}
                className={cellClass(columns[c], stickyLeft[c], 'grid-cell--header', columns[c].className)}
                style={cellStyle(c, stickyLeft[c])}
              >
                {columns[c].header}
              </div>
            ))}
          </div>
          {items.map((item) => (
            <Row
              key={item.key}
              index={item.index}
              start={item.start}
              height={rowHeight}
              cellsOf={cellsOf}
              columns={columns}
              className={
                [rowClassOf?.(item.index), item.index === activeRow ? 'grid-row--active' : undefined].filter(Boolean).join(' ') || undefined
              }
              gridId={gridId}
              activeColumn={item.index === activeRow ? activeColumn : null}
              stickyLeft={stickyLeft}
              shown={shown}
              onCellPointer={onCellPointer}
              dataKey={rowKeyOf(item.index)}
            />
          ))}
        </div>
        {rowCount === 0 && props.empty !== undefined ? <div className="grid-empty">{props.empty}</div> : null}
      </div>
    </div>
  );
}
