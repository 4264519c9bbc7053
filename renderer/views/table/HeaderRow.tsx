// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid positions rows absolutely, which table layout cannot; ARIA grid roles carry the semantics
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid element itself is the focus and keyboard target (Ctrl+Home/End, scrolling)
// The header row: one button per column; the button's accessible name is the column name, the
// sort arrow is decoration. Clicking cycles ascending → descending → default order.
import type { ReactTable } from '@tanstack/react-table';
import type { TableColumn } from './columns.ts';
import type { IndexedRow, TableFeaturesT } from './LossTable.tsx';

interface Props {
  table: ReactTable<TableFeaturesT, IndexedRow>;
  columns: readonly TableColumn[];
  height: number;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function HeaderRow({ table, columns, height }: Props) {
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  return (
    <div role="rowgroup" className="grid-head" style={{ height }}>
      <div role="row" aria-rowindex={1} className="grid-row head-row" style={{ height }}>
        {headers.map((h, i) => {
          const sorted = h.column.getIsSorted();
          const col = columns[i];
          return (
            <div
              key={h.id}
              role="columnheader"
              aria-sort={sorted ? ARIA_SORT[sorted] : undefined}
              className={`cell head ${col?.numeric ? 'num' : ''}`}
              style={{ width: col?.width }}
            >
              <button type="button" onClick={h.column.getToggleSortingHandler()} title={`Sort by ${h.id}`}>
                <span className="head-label">{h.id}</span>
                <span aria-hidden="true" className="sort-mark">
                  {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
