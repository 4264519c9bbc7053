// The tab shell: one tablist (automatic activation, arrow keys / Home / End move between tabs) and
// the active view in its tabpanel. Each tab maps to a component taking ViewProps. The views live
// in their own folders (`views/<id>/index.tsx`, default export). Only the Table is in the first
// bundle: the others (and recharts) are chunks loaded on first use, so opening a job parses a
// third of the JavaScript (the page and the host share two cores while the first rows load).
import { type ComponentType, type KeyboardEvent, lazy, Suspense, useRef } from 'react';
import TableView from './table/index.tsx';
import { VIEW_TABS, type ViewProps, type ViewTab } from './view-props.ts';

type View = ComponentType<ViewProps>;
const loaders = import.meta.glob<{ default: View }>([
  './*/index.tsx',
  '!./table/index.tsx',
  '!./compare/index.tsx',
]);
const lazyViews = new Map<string, View>();
/** Views whose chunk was fetched ahead (preloadViews): shown without a Suspense round. */
const loadedViews = new Map<string, View>();

/**
 * Fetch and compile every view's chunk while the app is idle (after the first rows): a tab's first
 * click then waits for its queries, not ~300 ms of chunk download and compile on two busy cores.
 */
export async function preloadViews(): Promise<void> {
  for (const path of Object.keys(loaders)) await preloadView(path.split('/')[1]!);
}

/** One view's chunk, e.g. when the pointer reaches its tab (~100 ms before the click lands). */
async function preloadView(tab: string): Promise<void> {
  if (loadedViews.has(tab)) return;
  const m = await loaders[`./${tab}/index.tsx`]?.().catch(() => null);
  if (m) loadedViews.set(tab, m.default);
}

export function viewFor(tab: ViewTab): View | null {
  if (tab === 'table') return TableView;
  // A tab already shown through lazy() keeps that component: switching would remount it.
  const ready = lazyViews.has(tab) ? null : loadedViews.get(tab);
  if (ready) return ready;
  const load = loaders[`./${tab}/index.tsx`];
  if (!load) return null;
  let view = lazyViews.get(tab);
  if (!view) {
    view = lazy(load);
    lazyViews.set(tab, view);
  }
  return view;
}

const tabId = (id: ViewTab) => `tab-${id}`;
const panelId = (id: ViewTab) => `panel-${id}`;

export function ViewTabs(props: ViewProps) {
  const { tab, setTab } = props.view;
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const i = VIEW_TABS.findIndex((t) => t.id === tab);
    const n = VIEW_TABS.length;
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % n
        : e.key === 'ArrowLeft'
          ? (i - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    const id = VIEW_TABS[next]?.id ?? 'table';
    setTab(id);
    list.current?.querySelector<HTMLElement>(`#${tabId(id)}`)?.focus();
  };
  const View = viewFor(tab);
  return (
    <>
      <div role="tablist" aria-label="Views" className="tabs" ref={list} onKeyDown={onKeyDown}>
        {VIEW_TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={t.id === tab}
            aria-controls={panelId(t.id)}
            tabIndex={t.id === tab ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
            onPointerEnter={() => void preloadView(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)} className="tab-panel">
        {View ? (
          <Suspense fallback={<p className="empty">Loading the view…</p>}>
            <View {...props} />
          </Suspense>
        ) : (
          <p className="empty">This view is not built yet.</p>
        )}
      </div>
    </>
  );
}
