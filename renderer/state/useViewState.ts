// Filter + sort as React state, mirrored into the URL with replaceState (no history spam) and read
// back on load, so a reload or a shared link shows the same view. Changing the sort keeps the
// filter object identical, so the row count is not re-queried for a sort.
//
// The state belongs to one store (keyed by its path, which the URL also carries as `store`): on a
// switch the old store's state is put aside and the new one's (or the defaults) is used in the
// same render, so no query ever runs the previous store's filter against the new store's columns.
import { useCallback, useEffect, useState } from 'react';
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { readViewState, type ViewState, writeStoreParam, writeViewState } from './url-state.ts';

const EMPTY: ViewState = { filter: {}, sort: null };
/** Per store path: the view state it had when the user switched away (this page's lifetime). */
const putAside = new Map<string, ViewState>();

interface Keyed {
  key: string | null;
  state: ViewState;
}

export function useViewState(storeKey: string | null) {
  const [keyed, setKeyed] = useState<Keyed>(() => ({ key: null, state: readViewState(location.search) }));
  let current = keyed;
  if (storeKey !== null && keyed.key !== storeKey) {
    // The URL's state is the first store's; every later store starts from its own.
    if (keyed.key === null) current = { key: storeKey, state: keyed.state };
    else {
      putAside.set(keyed.key, keyed.state);
      current = { key: storeKey, state: putAside.get(storeKey) ?? EMPTY };
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
  const setSort = useCallback((sort: LossSortState) => update({ sort }), [update]);
  const setFilter = useCallback((filter: LossFilter) => update({ filter }), [update]);
  return { ...state, setSort, setFilter };
}
