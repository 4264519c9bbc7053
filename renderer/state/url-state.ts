// Filter and sort as one state mirrored in the URL query string, so a view can be reloaded and
// shared. Other parameters (notably the browser host's `token`) are left exactly as they were.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { ROW_STATUSES, type RowStatus } from '../../shared/schema.ts';

export interface ViewState {
  filter: LossFilter;
  sort: LossSortState;
}

const KEYS = { sort: 'sort', targets: 'targets', status: 'status', where: 'where' } as const;
/** The open store's path on the host: a reload or a shared link opens the same job. */
export const STORE_KEY = 'store';

export function readViewState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const sortText = p.get(KEYS.sort);
  let sort: LossSortState = null;
  if (sortText) {
    const desc = sortText.startsWith('-');
    const column = desc ? sortText.slice(1) : sortText;
    if (column) sort = { column, desc };
  }
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
  return { filter, sort };
}

export function writeViewState(search: string, state: ViewState): string {
  const p = new URLSearchParams(search);
  const set = (k: string, v: string | undefined) => (v ? p.set(k, v) : p.delete(k));
  set(KEYS.sort, state.sort ? `${state.sort.desc ? '-' : ''}${state.sort.column}` : undefined);
  set(KEYS.targets, state.filter.targets?.join(','));
  set(KEYS.status, state.filter.statuses?.join(','));
  set(KEYS.where, state.filter.where);
  const text = p.toString();
  return text ? `?${text}` : '';
}

export function readStoreParam(search: string): string | null {
  return new URLSearchParams(search).get(STORE_KEY) || null;
}

export function writeStoreParam(search: string, storePath: string): string {
  const p = new URLSearchParams(search);
  p.set(STORE_KEY, storePath);
  return `?${p.toString()}`;
}
