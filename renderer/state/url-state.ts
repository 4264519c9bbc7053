// The view state (tab, filter, sorts, combined loss, each view's settings) mirrored in the URL query string, so a view
// can be reloaded and shared. Other parameters (the browser host's `token`, the lead's `store`)
// are left exactly as they were. Brushed ranges and weights get one parameter each, keyed by the
// target or column (`loss.<target>=lo..hi`, `range.<param>=lo..`, `w.<target>=2`): readable,
// and URLSearchParams escapes any character a name holds.
import {
  COMBINED_METHODS,
  type CombinedLoss,
  type CombinedMethod,
  type LossFilter,
  type LossSortState,
  type Range,
} from '../../shared/query-types.ts';
import { ROW_STATUSES, type RowStatus } from '../../shared/schema.ts';
import { VIEW_TABS, type ViewTab } from '../views/view-props.ts';

export interface ViewState {
  tab: ViewTab;
  filter: LossFilter;
  sort: LossSortState;
  pivotSort: LossSortState;
  combined: CombinedLoss;
  /** Each view's own settings (Best N, hidden columns, a chart's target…), `v.<key>` in the URL. */
  settings: Readonly<Record<string, string>>;
}

export const DEFAULT_COMBINED: CombinedLoss = { method: 'mean', weights: {} };

const KEYS = {
  tab: 'tab',
  sort: 'sort',
  pivotSort: 'psort',
  targets: 'targets',
  status: 'status',
  where: 'where',
  combine: 'combine',
} as const;
const LOSS = 'loss.';
const PARAM = 'range.';
const WEIGHT = 'w.';
const SETTING = 'v.';

const sortText = (s: LossSortState) => (s ? `${s.desc ? '-' : ''}${s.column}` : undefined);
function readSort(text: string | null): LossSortState {
  if (!text) return null;
  const desc = text.startsWith('-');
  const column = desc ? text.slice(1) : text;
  return column ? { column, desc } : null;
}

/** Shortest decimal that reads back as the same double; '' for an open end. */
const end = (v: number | null) => (v === null ? '' : String(v));
const rangeText = ([lo, hi]: Range) => `${end(lo)}..${end(hi)}`;
function readRange(text: string): Range | null {
  // String(number) never holds "..", so the first ".." is the separator.
  const i = text.indexOf('..');
  if (i < 0) return null;
  const v = (s: string) => (s ? Number(s) : null);
  const lo = v(text.slice(0, i));
  const hi = v(text.slice(i + 2));
  if (Number.isNaN(lo) || Number.isNaN(hi) || (lo === null && hi === null)) return null;
  return [lo, hi];
}

function prefixed<T>(p: URLSearchParams, prefix: string, read: (v: string) => T | null) {
  const out: Record<string, T> = {};
  for (const [k, v] of p) {
    if (!k.startsWith(prefix) || k.length === prefix.length) continue;
    const value = read(v);
    if (value !== null) out[k.slice(prefix.length)] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

export function readViewState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const list = (k: string) => (p.get(k) ?? '').split(',').filter(Boolean);
  const filter: LossFilter = {};
  const targets = list(KEYS.targets);
  if (targets.length) filter.targets = targets;
  const statuses = list(KEYS.status).filter((s): s is RowStatus =>
    (ROW_STATUSES as readonly string[]).includes(s),
  );
  if (statuses.length) filter.statuses = statuses;
  const where = p.get(KEYS.where);
  if (where) filter.where = where;
  const lossRanges = prefixed(p, LOSS, readRange);
  if (lossRanges) filter.lossRanges = lossRanges;
  const paramRanges = prefixed(p, PARAM, readRange);
  if (paramRanges) filter.paramRanges = paramRanges;

  const tabText = p.get(KEYS.tab);
  const tab = VIEW_TABS.find((t) => t.id === tabText)?.id ?? 'table';
  const methodText = p.get(KEYS.combine);
  const method: CombinedMethod = COMBINED_METHODS.find((m) => m === methodText) ?? DEFAULT_COMBINED.method;
  const weights = prefixed(p, WEIGHT, (v) => (v !== '' && Number.isFinite(Number(v)) ? Number(v) : null));
  return {
    tab,
    filter,
    sort: readSort(p.get(KEYS.sort)),
    pivotSort: readSort(p.get(KEYS.pivotSort)),
    combined: { method, weights: weights ?? {} },
    settings: prefixed(p, SETTING, (v) => v) ?? {},
  };
}

export function writeViewState(search: string, state: ViewState): string {
  const p = new URLSearchParams(search);
  const set = (k: string, v: string | undefined) => (v ? p.set(k, v) : p.delete(k));
  for (const k of [...p.keys()])
    if ([LOSS, PARAM, WEIGHT, SETTING].some((prefix) => k.startsWith(prefix))) p.delete(k);
  const f = state.filter;
  set(KEYS.tab, state.tab === 'table' ? undefined : state.tab);
  set(KEYS.sort, sortText(state.sort));
  set(KEYS.pivotSort, sortText(state.pivotSort));
  set(KEYS.targets, f.targets?.join(','));
  set(KEYS.status, f.statuses?.join(','));
  set(KEYS.where, f.where);
  for (const [t, r] of Object.entries(f.lossRanges ?? {})) p.set(LOSS + t, rangeText(r));
  for (const [c, r] of Object.entries(f.paramRanges ?? {})) p.set(PARAM + c, rangeText(r));
  const { method, weights } = state.combined;
  set(KEYS.combine, method === DEFAULT_COMBINED.method ? undefined : method);
  for (const [t, w] of Object.entries(weights)) if (w !== 1) p.set(WEIGHT + t, String(w));
  for (const [k, v] of Object.entries(state.settings)) p.set(SETTING + k, v);
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** The open store's path on the host: a reload or a shared link opens the same job. */
export const STORE_KEY = 'store';

export function readStoreParam(search: string): string | null {
  return new URLSearchParams(search).get(STORE_KEY) || null;
}

export function writeStoreParam(search: string, storePath: string): string {
  const p = new URLSearchParams(search);
  p.set(STORE_KEY, storePath);
  return `?${p.toString()}`;
}
