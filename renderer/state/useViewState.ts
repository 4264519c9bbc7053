// Filter + sort as React state, mirrored into the URL with replaceState (no history spam) and read
// back on load, so a reload or a shared link shows the same view. Changing the sort keeps the
// filter object identical, so the row count is not re-queried for a sort.
import { useCallback, useEffect, useState } from 'react';
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { readViewState, type ViewState, writeViewState } from './url-state.ts';

export function useViewState() {
  const [state, setState] = useState<ViewState>(() => readViewState(location.search));
  useEffect(() => {
    const search = writeViewState(location.search, state);
    if (search !== location.search)
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }, [state]);
  const setSort = useCallback((sort: LossSortState) => setState((s) => ({ ...s, sort })), []);
  const setFilter = useCallback((filter: LossFilter) => setState((s) => ({ ...s, filter })), []);
  return { ...state, setSort, setFilter };
}
