// The loss table: the shared DataGrid over LossQueries' row windows, in the Table's sort.
import { useCallback } from 'react';
import type { LossFilter, LossSortState } from '../../../shared/query-types.ts';
import type { LossQueries } from '../../db/queries.ts';
import { CellValue } from './cells.tsx';
import type { TableColumn } from './columns.ts';
import { DataGrid } from './DataGrid.tsx';
import type { Row } from './row-windows.ts';
import type { IndexRange } from './selection.ts';

interface Props {
  queries: LossQueries;
  columns: readonly TableColumn[];
  filter: LossFilter;
  sort: LossSortState;
  onSort: (sort: LossSortState) => void;
  rowCount: number;
  dataVersion: number;
  onError: (message: string) => void;
  onCopy?: (ranges: readonly IndexRange[]) => void;
  onOpenRow?: (row: Row) => void;
}

const rowClass = (r: Row) => (r.status && r.status !== 'ok' ? 'row-bad' : '');

export function LossTable({ queries, columns, filter, sort, ...rest }: Props) {
  const names = columns.map((c) => c.name);
  const key = JSON.stringify([names, filter, sort]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds names, filter and sort
  const fetchPage = useCallback(
    (offset: number, limit: number, total: number, signal?: AbortSignal) =>
      queries.rowWindow(names, filter, sort, offset, limit, total, signal),
    [queries, key],
  );
  return (
    <DataGrid
      label="Loss table"
      columns={columns}
      fetchPage={fetchPage}
      fetchKey={key}
      sort={sort}
      renderCell={(c, r) => <CellValue column={c} row={r} />}
      rowClass={rowClass}
      {...rest}
    />
  );
}
