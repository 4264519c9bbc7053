// The contract between the tab shell (App, views/tabs.ts) and each analysis view: a view gets the
// session (queries run through it, never elsewhere), the open store, the one shared view state
// and the data version, states the query it needs for them and renders the result.
import type { OpenStore } from '../../shared/api.ts';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import type { Session } from '../state/session.ts';

/** The tabs, in order; the id is what the URL's `tab` parameter holds. */
export const VIEW_TABS = [
  { id: 'table', label: 'Table' },
  { id: 'pivot', label: 'Pivot' },
  { id: 'histograms', label: 'Histograms' },
  { id: 'best', label: 'Best' },
  { id: 'parameters', label: 'Parameters' },
  { id: 'tradeoffs', label: 'Trade-offs' },
  { id: 'failures', label: 'Failures' },
] as const;
export type ViewTab = (typeof VIEW_TABS)[number]['id'];

// Combined loss lives in shared/ (the SQL builders and exports need it too); re-exported here.
export type { CombinedLoss, CombinedMethod } from '../../shared/query-types.ts';

export interface ViewStateApi {
  tab: ViewTab;
  filter: LossFilter;
  /** The Table's sort (store columns). */
  sort: LossSortState;
  /** The Pivot's sort: a pivot column (a target id, `n_ok`, `combined`, `rank`, a parameter); null = by rank. */
  pivotSort: LossSortState;
  combined: CombinedLoss;
  /** Each view's own settings, kept in the URL (see `useSetting`). */
  settings: Readonly<Record<string, string>>;
  setTab(tab: ViewTab): void;
  setFilter(filter: LossFilter): void;
  setSort(sort: LossSortState): void;
  setPivotSort(sort: LossSortState): void;
  setCombined(combined: CombinedLoss): void;
  /** Set (or with null, reset to the view's default) one setting. */
  setSetting(key: string, value: string | null): void;
}

export interface ViewProps {
  session: Session;
  store: OpenStore;
  /** Bumps whenever the rows behind `losses` change: re-query then. */
  dataVersion: number;
  view: ViewStateApi;
  /** Show a message in the status bar: a failed query (the default tone), or with 'info' a confirmation (a copy). */
  onMessage(message: string, tone?: 'info' | 'error'): void;
}
