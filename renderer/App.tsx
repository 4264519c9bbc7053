// The window: the app bar (open, theme), the job header, the one filter, the view tabs, the
// status bar. Every view reads the same view state (useViewState), kept in the URL.
import { lazy, Suspense, useCallback, useState, useSyncExternalStore } from 'react';
import { CollectProgress } from './components/CollectProgress.tsx';
import './components/open.css';
import { DropToOpen } from './components/DropToOpen.tsx';
import { ExportDialog } from './components/ExportDialog.tsx';
import { FilterBar } from './components/FilterBar.tsx';
import { JobHeader } from './components/JobHeader.tsx';
import { LinkPrompt } from './components/LinkPrompt.tsx';
import { OpenStoreForm } from './components/OpenStoreForm.tsx';
import { ShardProblems } from './components/ShardProblems.tsx';
import { StartScreen } from './components/StartScreen.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { StoreSwitcher } from './components/StoreSwitcher.tsx';
import { ThemeToggle } from './components/ThemeToggle.tsx';
import type { Session } from './state/session.ts';
import { useUpload } from './state/useUpload.ts';
import { useViewState } from './state/useViewState.ts';
import { tableColumns } from './views/table/columns.ts';
import { useRowCount } from './views/table/useRowCount.ts';
import { ViewTabs } from './views/tabs.tsx';

// Compare draws charts (recharts): a chunk loaded when first used, not with the first rows.
const CompareView = lazy(() => import('./views/compare/index.tsx').then((m) => ({ default: m.CompareView })));

export function App({ session }: { session: Session }) {
  const snap = useSyncExternalStore(session.subscribe, () => session.snapshot);
  const view = useViewState(snap.store?.path ?? null);
  const store = snap.store;
  // A message belongs to the store it was about: a query of the previous store that fails after a
  // switch (its columns are gone) must not be shown over the new one.
  const [said, setSaid] = useState<{ key: string; text: string; tone: 'info' | 'error' } | null>(null);
  const storeKey = store?.path ?? '';
  const message = said?.key === storeKey ? said.text : null;
  const setMessage = useCallback(
    (text: string, tone: 'info' | 'error' = 'error') => setSaid({ key: storeKey, text, tone }),
    [storeKey],
  );
  // The status bar's totals are the ones the count was made against (session.ts `view`).
  const counted = { manifest: snap.view, shards: snap.shards };
  const {
    count,
    basis,
    error: countError,
  } = useRowCount(session.queries, view.filter, snap.dataVersion, storeKey, counted);
  const validate = useCallback((expr: string) => session.queries.validateWhere(expr), [session]);
  const openPath = useCallback((path: string) => session.openPath(path), [session]);
  const earlyShards = useCallback(() => session.earlyShards(), [session]);
  const { progress: uploading, upload } = useUpload(session, setMessage);
  const others = snap.stores.filter((s) => s.id !== store?.id);
  // Comparing a job with itself means nothing: a switch onto the compared job ends the compare.
  const compare = snap.compare && snap.compare.store.id !== store?.id ? snap.compare : null;
  // The native folder dialog exists only in the desktop app.
  const pick = window.losslens
    ? async () => {
        const { path } = await session.api.pickStore({});
        if (path) await session.openPath(path);
      }
    : undefined;

  return (
    <DropToOpen onOpen={openPath} onFiles={upload} onMessage={setMessage}>
      <header className="app-header">
        <h1>Losslens{store ? <span className="store-name"> — {store.name}</span> : null}</h1>
        {store ? (
          <StoreSwitcher stores={snap.stores} current={store} onSwitch={(id) => void session.switchTo(id)} />
        ) : null}
        {store && others.length > 0 && !compare ? (
          <button type="button" onClick={() => void session.compareWith(others[0]?.id ?? null)}>
            Compare…
          </button>
        ) : null}
        <span className="spacer" />
        {store ? (
          <ExportDialog
            session={session}
            store={store}
            filter={view.filter}
            sort={view.sort}
            columns={tableColumns(store.manifest).map((c) => c.name)}
            combined={view.combined}
            rows={count}
          />
        ) : null}
        {store ? <OpenStoreForm onOpen={openPath} onPick={pick} /> : null}
        <ThemeToggle />
      </header>
      {snap.linkedPath ? (
        <LinkPrompt path={snap.linkedPath} onAnswer={(open) => void session.answerLink(open)} />
      ) : null}
      <CollectProgress
        jobs={snap.collects}
        uploading={uploading}
        onCancel={(id) => void session.cancelCollect(id)}
      />
      {store ? (
        <>
          <JobHeader
            key={`job:${store.path}`}
            engine={session.engine}
            brushed={session.brushed}
            store={store}
            filter={view.filter}
            dataVersion={snap.dataVersion}
            onMessage={setMessage}
            after={session.firstRows}
            early={earlyShards}
          />
          <FilterBar
            targets={store.manifest.targets.map((t) => t.id)}
            filter={view.filter}
            onChange={view.setFilter}
            validate={validate}
          />
          <ShardProblems problems={snap.problems} shards={store.manifest.shards.length} />
          {compare ? (
            <Suspense fallback={<p className="empty">Loading Compare…</p>}>
              <CompareView
                session={session}
                a={store}
                b={compare.store}
                others={others}
                version={`${snap.dataVersion}:${compare.version}`}
                onChoose={(id) => void session.compareWith(id)}
              />
            </Suspense>
          ) : (
            <ViewTabs
              key={store.path}
              session={session}
              store={store}
              dataVersion={snap.dataVersion}
              view={view}
              onMessage={setMessage}
            />
          )}
          <StatusBar
            store={store}
            counted={basis?.manifest ?? snap.view ?? store.manifest}
            matching={count}
            engine={snap.engine}
            shards={basis?.shards ?? snap.shards}
            unreadableRows={snap.problems.reduce((n, p) => n + p.rows, 0)}
            message={countError ?? message ?? snap.error}
            messageTone={!countError && message && said?.tone === 'info' ? 'info' : 'error'}
          />
        </>
      ) : (
        <StartScreen
          api={session.api}
          onOpen={openPath}
          onPick={pick}
          onFiles={upload}
          message={message ?? snap.error}
        />
      )}
    </DropToOpen>
  );
}
