// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid positions rows absolutely, which table layout cannot; ARIA grid roles carry the semantics
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid element itself is the focus and keyboard target (Ctrl+Home/End, scrolling)
// The loss table: an ARIA grid over DuckDB. TanStack Table owns the column model and sort state
// (manual: DuckDB sorts), TanStack Virtual decides which rows are on screen, RowWindows fetches
// just those rows. JavaScript never holds more than a few pages of rows.
import {
  createColumnHelper,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react';
import type { LossFilter, LossSortState } from '../../../shared/query-types.ts';
import type { LossQueries } from '../../db/queries.ts';
import { CellValue } from './cells.tsx';
import type { TableColumn } from './columns.ts';
import { HeaderRow } from './HeaderRow.tsx';
import type { Row } from './row-windows.ts';
import { realTop, type ScrollScale, scaledScrollOptions, scrollScale } from './scaled-scroll.ts';
import { useRowWindows } from './useRowWindows.ts';

export const ROW_H = 28;
export const HEADER_H = 32;

const features = tableFeatures({ rowSortingFeature });
export type TableFeaturesT = typeof features;
export type IndexedRow = Row & { __i: number };
const helper = createColumnHelper<typeof features, IndexedRow>();

interface Props {
  queries: LossQueries;
  columns: readonly TableColumn[];
  filter: LossFilter;
  sort: LossSortState;
  onSort: (sort: LossSortState) => void;
  rowCount: number;
  dataVersion: number;
  onError: (message: string) => void;
}

export function LossTable({ queries, columns, filter, sort, onSort, rowCount, dataVersion, onError }: Props) {
  const names = useMemo(() => columns.map((c) => c.name), [columns]);
  const { windows, tick } = useRowWindows(queries, names, filter, sort, dataVersion, rowCount, onError);
  const scrollRef = useRef<HTMLDivElement>(null);
  const scale = useRef<ScrollScale>({ factor: 1, realTotal: 0 });
  const scrollOpts = useMemo(() => scaledScrollOptions(scale), []);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    paddingStart: HEADER_H,
    scrollPaddingStart: HEADER_H,
    overscan: 8,
    ...scrollOpts,
  });
  const viewport = scrollRef.current?.clientHeight ?? 600;
  scale.current = scrollScale(virtualizer.getTotalSize(), viewport);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` also marks a reset, after which the range must be requested again
  useEffect(() => {
    if (last >= 0) windows.request(first, last, rowCount);
  }, [windows, first, last, rowCount, tick]);

  // Only the rows on screen go to the table model; they carry their absolute index.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` marks new pages in `windows`
  const data = useMemo(() => {
    const out: IndexedRow[] = [];
    for (let i = first; i <= last; i++) {
      const r = windows.rowAt(i);
      if (r) out.push({ ...r, __i: i });
    }
    return out;
  }, [windows, first, last, tick]);

  const tableColumns = useMemo(
    () =>
      helper.columns(
        columns.map((c) =>
          helper.accessor((r: IndexedRow) => r[c.name], {
            id: c.name,
            header: c.name,
            cell: (ctx) => <CellValue column={c} row={ctx.row.original} />,
          }),
        ),
      ),
    [columns],
  );
  const sorting: SortingState = useMemo(() => (sort ? [{ id: sort.column, desc: sort.desc }] : []), [sort]);
  const table = useTable({
    features,
    columns: tableColumns,
    data,
    getRowId: (r) => String(r.__i),
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: false,
    state: { sorting },
    onSortingChange: (u: Updater<SortingState>) => {
      const next = typeof u === 'function' ? u(sorting) : u;
      onSort(next[0] ? { column: next[0].id, desc: next[0].desc } : null);
    },
  });
  const byIndex = new Map(table.getRowModel().rows.map((r) => [r.original.__i, r]));
  const width = columns.reduce((s, c) => s + c.width, 0);
  const { factor, realTotal } = scale.current;
  const offset = virtualizer.scrollOffset ?? 0;

  const onKeyDown = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || rowCount === 0) return;
    // Set the real scrollTop: the virtualizer's own scrollTo* clamp to the element's (scaled)
    // height, which is wrong past MAX_REAL_PX.
    const el = scrollRef.current;
    if (!el) return;
    if (e.key === 'End') el.scrollTop = el.scrollHeight;
    else if (e.key === 'Home') el.scrollTop = 0;
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      aria-label="Loss table"
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="grid-content" style={{ height: Math.max(realTotal, HEADER_H), width }}>
        <HeaderRow table={table} columns={columns} height={HEADER_H} />
        <div role="rowgroup">
          {items.map((item) => {
            const row = byIndex.get(item.index);
            const top = factor === 1 ? item.start : realTop(item.start, offset, offset / factor);
            const status = row?.original.status;
            return (
              <div
                key={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                className={`grid-row ${status && status !== 'ok' ? 'row-bad' : ''} ${item.index % 2 ? 'odd' : ''}`}
                style={{ transform: `translateY(${top}px)`, height: ROW_H, width }}
              >
                {row
                  ? row.getAllCells().map((cell, ci) => (
                      <div
                        key={cell.id}
                        role="gridcell"
                        className={`cell ${columns[ci]?.numeric ? 'num' : ''}`}
                        style={{ width: columns[ci]?.width }}
                      >
                        <table.FlexRender cell={cell} />
                      </div>
                    ))
                  : columns.map((c) => (
                      <div key={c.name} role="gridcell" className="cell" style={{ width: c.width }}>
                        <span className="placeholder" />
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
