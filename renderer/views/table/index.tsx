// The Table tab: the loss table over the filtered rows, with its own row count.
import { useMemo } from 'react';
import { NoRows } from '../../components/NoRows.tsx';
import type { ViewProps } from '../view-props.ts';
import { tableColumns } from './columns.ts';
import { LossTable } from './LossTable.tsx';
import { useRowCount } from './useRowCount.ts';

export default function TableView({ session, store, dataVersion, view, onMessage }: ViewProps) {
  const { count } = useRowCount(session.queries, view.filter, dataVersion, store.path);
  // Columns change only when the parameter set does, not on every manifest update.
  const paramsKey = JSON.stringify(store.manifest.params);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the parameter list on purpose
  const columns = useMemo(() => tableColumns(store.manifest), [paramsKey]);
  return (
    <div className="table-area">
      <LossTable
        queries={session.queries}
        columns={columns}
        filter={view.filter}
        sort={view.sort}
        onSort={view.setSort}
        rowCount={count ?? 0}
        dataVersion={dataVersion}
        onError={onMessage}
      />
      {count === 0 ? <NoRows filter={view.filter} onClear={() => view.setFilter({})} /> : null}
    </div>
  );
}
