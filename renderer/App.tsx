// The window: the app bar (open, theme), the job header, the one filter, the view tabs, the
// status bar. Every view reads the same view state (useViewState), kept in the URL.
import { useCallback, useState, useSyncExternalStore } from 'react';
import { DropToOpen } from './components/DropToOpen.tsx';
import { FilterBar } from './components/FilterBar.tsx';
import { JobHeader } from './components/JobHeader.tsx';
import { OpenStoreForm } from './components/OpenStoreForm.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ThemeToggle } from './components/ThemeToggle.tsx';
import type { Session } from './state/session.ts';
import { useViewState } from './state/useViewState.ts';
import { useRowCount } from './views/table/useRowCount.ts';
import { ViewTabs } from './views/tabs.tsx';

export function App({ session }: { session: Session }) {
  const snap = useSyncExternalStore(session.subscribe, () => session.snapshot);
  const view = useViewState();
  const [message, setMessage] = useState<string | null>(null);
  const store = snap.store;
  const { count, error: countError } = useRowCount(session.queries, view.filter, snap.dataVersion);
  const validate = useCallback((expr: string) => session.queries.validateWhere(expr), [session]);
  const openPath = useCallback((path: string) => session.openPath(path), [session]);
  // The native folder dialog exists only in the desktop app.
  const pick = window.losslens
    ? async () => {
        const { path } = await session.api.pickStore({});
        if (path) await session.openPath(path);
      }
    : undefined;

  return (
    <DropToOpen onOpen={openPath} onMessage={setMessage}>
      <header className="app-header">
        <h1>Losslens{store ? <span className="store-name"> — {store.name}</span> : null}</h1>
        <span className="spacer" />
        <OpenStoreForm onOpen={openPath} onPick={pick} />
        <ThemeToggle />
      </header>
      {store ? (
        <>
          <JobHeader
            engine={session.engine}
            store={store}
            filter={view.filter}
            dataVersion={snap.dataVersion}
            onMessage={setMessage}
          />
          <FilterBar
            targets={store.manifest.targets.map((t) => t.id)}
            filter={view.filter}
            onChange={view.setFilter}
            validate={validate}
          />
          <ViewTabs
            session={session}
            store={store}
            dataVersion={snap.dataVersion}
            view={view}
            onMessage={setMessage}
          />
          <StatusBar
            store={store}
            matching={count}
            engine={snap.engine}
            shards={snap.shards}
            message={countError ?? message ?? snap.error}
          />
        </>
      ) : (
        <main className="empty">
          <p>
            No store is open. Enter the path of a loss store above (a folder with a store.json)
            {window.losslens ? ', choose one with Browse…, or drop its folder here.' : '.'}
          </p>
          {message ? <p className="bad">{message}</p> : null}
        </main>
      )}
    </DropToOpen>
  );
}
