// The view state as React state, mirrored into the URL with replaceState (no history spam) and
// read back on load, so a reload or a shared link shows the same tab, filter, sorts and weights.
// Each setter replaces one part and keeps the others identical, so a sort change does not
// re-query counts that depend on the filter alone.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import type { ViewStateApi, ViewTab } from '../views/view-props.ts';
import { readViewState, type ViewState, writeViewState } from './url-state.ts';

export function useViewState(): ViewStateApi {
  const [state, setState] = useState<ViewState>(() => readViewState(location.search));
  useEffect(() => {
    const search = writeViewState(location.search, state);
    if (search !== location.search)
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }, [state]);
  const setTab = useCallback((tab: ViewTab) => setState((s) => ({ ...s, tab })), []);
  const setSort = useCallback((sort: LossSortState) => setState((s) => ({ ...s, sort })), []);
  const setPivotSort = useCallback((pivotSort: LossSortState) => setState((s) => ({ ...s, pivotSort })), []);
  const setFilter = useCallback((filter: LossFilter) => setState((s) => ({ ...s, filter })), []);
  const setCombined = useCallback((combined: CombinedLoss) => setState((s) => ({ ...s, combined })), []);
  return useMemo(
    () => ({ ...state, setTab, setSort, setPivotSort, setFilter, setCombined }),
    [state, setTab, setSort, setPivotSort, setFilter, setCombined],
  );
}
