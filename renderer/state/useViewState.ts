// The view state (tab, filter, sorts, combined loss) as React state, mirrored into the URL with
// replaceState (no history spam) and read back on load, so a reload or a shared link shows the
// same view. Each setter replaces one part and keeps the others identical, so a sort change does
// not re-query counts that depend on the filter alone.
//
// The state belongs to one store (keyed by its path, which the URL also carries as `store`): on a
// switch the old store's state is put aside and the new one's (or the defaults, on the same tab)
// is used in the same render, so no query ever runs the previous store's filter against the new
// store's columns.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import type { ViewStateApi, ViewTab } from '../views/view-props.ts';
import {
  DEFAULT_COMBINED,
  readViewState,
  type ViewState,
  writeStoreParam,
  writeViewState,
} from './url-state.ts';

const EMPTY: Omit<ViewState, 'tab'> = {
  filter: {},
  sort: null,
  pivotSort: null,
  combined: DEFAULT_COMBINED,
  settings: {},
};
/** Per store path: the view state it had when the user switched away (this page's lifetime). */
const putAside = new Map<string, ViewState>();

interface Keyed {
  key: string | null;
  state: ViewState;
}

export function useViewState(storeKey: string | null): ViewStateApi {
  const [keyed, setKeyed] = useState<Keyed>(() => ({ key: null, state: readViewState(location.search) }));
  let current = keyed;
  if (storeKey !== null && keyed.key !== storeKey) {
    // The URL's state is the first store's; every later store starts from its own.
    if (keyed.key === null) current = { key: storeKey, state: keyed.state };
    else {
      putAside.set(keyed.key, keyed.state);
      current = { key: storeKey, state: putAside.get(storeKey) ?? { ...EMPTY, tab: keyed.state.tab } };
    }
    setKeyed(current); // derived-state update during render: React re-renders before committing
  }
  const { state } = current;
  useEffect(() => {
    let search = writeViewState(location.search, state);
    if (storeKey !== null) search = writeStoreParam(search, storeKey);
    if (search !== location.search)
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }, [state, storeKey]);
  const update = useCallback(
    (patch: Partial<ViewState>) => setKeyed((k) => ({ key: k.key, state: { ...k.state, ...patch } })),
    [],
  );
  const setTab = useCallback((tab: ViewTab) => update({ tab }), [update]);
  const setSort = useCallback((sort: LossSortState) => update({ sort }), [update]);
  const setPivotSort = useCallback((pivotSort: LossSortState) => update({ pivotSort }), [update]);
  const setFilter = useCallback((filter: LossFilter) => update({ filter }), [update]);
  const setCombined = useCallback((combined: CombinedLoss) => update({ combined }), [update]);
  const setSetting = useCallback(
    (key: string, value: string | null) =>
      setKeyed((k) => {
        const settings = { ...k.state.settings };
        if (value === null) delete settings[key];
        else settings[key] = value;
        return { key: k.key, state: { ...k.state, settings } };
      }),
    [],
  );
  return useMemo(
    () => ({ ...state, setTab, setSort, setPivotSort, setFilter, setCombined, setSetting }),
    [state, setTab, setSort, setPivotSort, setFilter, setCombined, setSetting],
  );
}
