// The tab shell: one tablist (automatic activation, arrow keys / Home / End move between tabs) and
// the active view in its tabpanel. Each tab maps to a component taking ViewProps. The chart views
// live in their own folders (`views/<id>/index.tsx`, default export); they are found with Vite's
// glob import, so a folder not there yet shows a note instead of breaking the build.
import { type ComponentType, type KeyboardEvent, useRef } from 'react';
import BestView from './best/index.tsx';
import PivotView from './pivot/index.tsx';
import TableView from './table/index.tsx';
import { VIEW_TABS, type ViewProps, type ViewTab } from './view-props.ts';

type View = ComponentType<ViewProps>;
const found = import.meta.glob<{ default: View }>('./*/index.tsx', { eager: true });
const byFolder = (id: string): View | undefined => found[`./${id}/index.tsx`]?.default;

const BUILT: Partial<Record<ViewTab, View>> = { table: TableView, pivot: PivotView, best: BestView };

export function viewFor(tab: ViewTab): View | null {
  return BUILT[tab] ?? byFolder(tab) ?? null;
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
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)} className="tab-panel">
        {View ? <View {...props} /> : <p className="empty">This view is not built yet.</p>}
      </div>
    </>
  );
}
