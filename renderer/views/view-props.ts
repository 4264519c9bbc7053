// The contract between the tab shell (App, views/tabs.ts) and each analysis view: a view gets the
// session (queries run through it, never elsewhere), the open store, the one shared view state
// and the data version, states the query it needs for them and renders the result.
import type { OpenStore } from '../../shared/api.ts';
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
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

/** How per-target losses combine into one: modelops' mean, mean of ranks, or a weighted sum. */
export type CombinedMethod = 'mean' | 'mean-rank' | 'weighted';
export interface CombinedLoss {
  method: CombinedMethod;
  /** Per target id; a target absent here weighs 1. Used when method is 'weighted'. */
  weights: Readonly<Record<string, number>>;
}

export interface ViewStateApi {
  tab: ViewTab;
  filter: LossFilter;
  sort: LossSortState;
  combined: CombinedLoss;
  setTab(tab: ViewTab): void;
  setFilter(filter: LossFilter): void;
  setSort(sort: LossSortState): void;
  setCombined(combined: CombinedLoss): void;
}

export interface ViewProps {
  session: Session;
  store: OpenStore;
  /** Bumps whenever the rows behind `losses` change: re-query then. */
  dataVersion: number;
  view: ViewStateApi;
  /** Show a message in the status bar (a failed query, a copy confirmation). */
  onMessage(message: string): void;
}
