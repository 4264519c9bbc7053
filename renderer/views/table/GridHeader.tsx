// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid positions rows absolutely, which table layout cannot; ARIA grid roles carry the semantics
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid element itself is the focus and keyboard target
// The header row: one button per column; the button's accessible name is the column name, the
// sort arrow is decoration. Clicking cycles ascending → descending → default order.
import type { CSSProperties } from 'react';
import type { LossSortState } from '../../../shared/query-types.ts';
import type { TableColumn } from './columns.ts';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function nextSort(sort: LossSortState, column: string): LossSortState {
  if (sort?.column !== column) return { column, desc: false };
  return sort.desc ? null : { column, desc: true };
}

interface Props {
  columns: readonly TableColumn[];
  sort: LossSortState;
  onSort: (sort: LossSortState) => void;
  height: number;
  cellStyle: (i: number) => CSSProperties;
}

export function GridHeader({ columns, sort, onSort, height, cellStyle }: Props) {
  return (
    <div role="rowgroup" className="grid-head" style={{ height }}>
      <div role="row" aria-rowindex={1} className="grid-row head-row" style={{ height }}>
        {columns.map((c, i) => {
          const dir = sort?.column === c.name ? (sort.desc ? 'desc' : 'asc') : null;
          return (
            <div
              key={c.name}
              role="columnheader"
              aria-sort={dir ? ARIA_SORT[dir] : undefined}
              className={`cell head ${c.numeric ? 'num' : ''} ${c.frozen ? 'frozen' : ''}`}
              style={cellStyle(i)}
            >
              <button
                type="button"
                onClick={() => onSort(nextSort(sort, c.name))}
                title={c.title ?? `Sort by ${c.label ?? c.name}`}
              >
                <span className="head-label">{c.label ?? c.name}</span>
                <span aria-hidden="true" className="sort-mark">
                  {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
