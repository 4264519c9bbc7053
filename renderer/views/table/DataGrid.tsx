// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid positions rows absolutely, which table layout cannot; ARIA grid roles carry the semantics
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid element itself is the focus and keyboard target (arrows, Ctrl+A/C, Ctrl+Home/End)
// biome-ignore-all lint/a11y/useKeyWithClickEvents: row clicks select; the keyboard does the same through the grid's own key handler
// An ARIA grid over DuckDB pages, shared by the Table and the Pivot: the scroll position decides
// which rows are on screen (fixed-rows.ts: fixed-height rows, arithmetic only), RowWindows
// fetches just those; JavaScript never holds more than a few pages. Rows are selectable (click, Shift+click, Ctrl+click, Ctrl+A, Shift+arrows); Ctrl+C
// hands the selected index ranges to `onCopy`, which fetches them by query (not from the cache).
// Frozen columns stay at the left while scrolling right.
import {
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { flushSync } from 'react-dom';
import type { LossSortState } from '../../../shared/query-types.ts';
import type { TableColumn } from './columns.ts';
import { type FixedRows, scrollTopFor, totalHeight, visibleRows } from './fixed-rows.ts';
import { GridHeader } from './GridHeader.tsx';
import type { Row } from './row-windows.ts';
import { scrollScale } from './scaled-scroll.ts';
import {
  clampSelection,
  clickRow,
  EMPTY_SELECTION,
  type IndexRange,
  isSelected,
  type Selection,
  selectAll,
} from './selection.ts';
import { type GridFetcher, useGridWindows } from './useGridWindows.ts';

export const ROW_H = 28;
export const HEADER_H = 32;
const GEOMETRY: FixedRows = { rowHeight: ROW_H, headerHeight: HEADER_H, overscan: 8 };

/** The scroller's scrollTop and height, re-rendering at once on each scroll (no blank frame). */
function useScrollBox(ref: { current: HTMLDivElement | null }): { scrollTop: number; viewport: number } {
  const [box, setBox] = useState({ scrollTop: 0, viewport: 600 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () =>
      setBox((b) => {
        const now = { scrollTop: el.scrollTop, viewport: el.clientHeight || 600 };
        return now.scrollTop === b.scrollTop && now.viewport === b.viewport ? b : now;
      });
    update();
    const onScroll = () => flushSync(update);
    const resize = new ResizeObserver(update);
    el.addEventListener('scroll', onScroll, { passive: true });
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [ref]);
  return box;
}

export interface DataGridProps {
  label: string;
  columns: readonly TableColumn[];
  rowCount: number;
  fetchPage: GridFetcher;
  /** Changes whenever what `fetchPage` returns changes (filter, sort, columns…). */
  fetchKey: string;
  dataVersion: number;
  sort: LossSortState;
  onSort: (sort: LossSortState) => void;
  renderCell: (column: TableColumn, row: Row) => ReactNode;
  rowClass?: (row: Row) => string;
  onError: (message: string) => void;
  onCopy?: (ranges: readonly IndexRange[]) => void;
  onOpenRow?: (row: Row, index: number) => void;
}

export function DataGrid(props: DataGridProps) {
  const { columns, rowCount, sort, onSort } = props;
  const { windows, tick } = useGridWindows(
    props.fetchPage,
    props.fetchKey,
    props.dataVersion,
    rowCount,
    props.onError,
  );
  const [sel, setSel] = useState<Selection>(EMPTY_SELECTION);
  // A new filter or sort makes the old indices mean other rows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a new fetch key only
  useEffect(() => setSel(EMPTY_SELECTION), [props.fetchKey]);
  if (sel.ranges.some(([, hi]) => hi >= rowCount)) setSel(clampSelection(sel, rowCount));

  const scrollRef = useRef<HTMLDivElement>(null);
  const { scrollTop, viewport } = useScrollBox(scrollRef);
  const scale = scrollScale(totalHeight(rowCount, GEOMETRY), viewport);
  const items = visibleRows(scrollTop, viewport, rowCount, scale, GEOMETRY);
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` also marks a reset, after which the range must be requested again
  useEffect(() => {
    if (last >= 0) windows.request(first, last, rowCount);
  }, [windows, first, last, rowCount, tick]);

  // Frozen columns: sticky at the sum of the widths before them.
  const cellStyles = useMemo(() => {
    let left = 0;
    return columns.map((c): CSSProperties => {
      if (!c.frozen) return { width: c.width };
      const style: CSSProperties = { width: c.width, position: 'sticky', left, zIndex: 1 };
      left += c.width;
      return style;
    });
  }, [columns]);
  const cellStyle = (i: number) => cellStyles[i] ?? {};
  const width = columns.reduce((s, c) => s + c.width, 0);
  const { realTotal } = scale;

  const moveActive = (to: number, shift: boolean) => {
    const i = Math.max(0, Math.min(rowCount - 1, to));
    setSel((s) => clickRow(s, i, { shift, toggle: false }));
    const el = scrollRef.current;
    const top = el ? scrollTopFor(i, el.scrollTop, el.clientHeight, scale, GEOMETRY) : null;
    if (el && top !== null) el.scrollTop = top;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (rowCount === 0) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const el = scrollRef.current;
    if (ctrl && (e.key === 'End' || e.key === 'Home') && el) {
      el.scrollTop = e.key === 'End' ? el.scrollHeight : 0;
    } else if (ctrl && e.key.toLowerCase() === 'a') setSel(selectAll(rowCount));
    else if (ctrl && e.key.toLowerCase() === 'c' && sel.ranges.length) props.onCopy?.(sel.ranges);
    else if (e.key === 'ArrowDown' && !ctrl) moveActive((sel.active ?? -1) + 1, e.shiftKey);
    else if (e.key === 'ArrowUp' && !ctrl) moveActive((sel.active ?? 1) - 1, e.shiftKey);
    else if (e.key === 'Enter' && sel.active !== null) {
      const row = windows.rowAt(sel.active);
      if (row) props.onOpenRow?.(row, sel.active);
    } else if (e.key === 'Escape') setSel(EMPTY_SELECTION);
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      aria-multiselectable={props.onCopy ? true : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="grid-content" style={{ height: Math.max(realTotal, HEADER_H), width }}>
        <GridHeader columns={columns} sort={sort} onSort={onSort} height={HEADER_H} cellStyle={cellStyle} />
        <div role="rowgroup">
          {items.map((item) => {
            const row = windows.rowAt(item.index);
            const top = item.top;
            const selected = isSelected(sel, item.index);
            const cls = [
              'grid-row',
              item.index % 2 ? 'odd' : '',
              row && props.rowClass ? props.rowClass(row) : '',
              selected ? 'selected' : '',
              sel.active === item.index ? 'active' : '',
            ].join(' ');
            return (
              <div
                key={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={props.onCopy ? selected : undefined}
                className={cls}
                style={{ transform: `translateY(${top}px)`, height: ROW_H, width }}
                onClick={(e) =>
                  setSel((s) =>
                    clickRow(s, item.index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }),
                  )
                }
                onDoubleClick={() => row && props.onOpenRow?.(row, item.index)}
              >
                {columns.map((c, ci) => (
                  <div
                    key={c.name}
                    role="gridcell"
                    className={`cell ${c.numeric ? 'num' : ''} ${c.frozen ? 'frozen' : ''}`}
                    style={cellStyle(ci)}
                  >
                    {row ? props.renderCell(c, row) : <span className="placeholder" />}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
