// Start-up: pick the transport, boot DuckDB, open the store the host has (or the URL names), render.
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createApiClient } from './api/client.ts';
import type { SqlEngine } from './db/engine-types.ts';
import { lazyEngine } from './db/lazy-engine.ts';
import { installBenchHook } from './state/bench-hook.ts';
import { Session } from './state/session.ts';
import { readStoreParam } from './state/url-state.ts';
import { preloadViews } from './views/tabs.tsx';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

function Message({ text, error = false }: { text: string; error?: boolean }) {
  return (
    <main className="boot" role={error ? 'alert' : 'status'}>
      <p>{text}</p>
    </main>
  );
}

async function start(): Promise<void> {
  root.render(<Message text="Starting DuckDB…" />);
  const api = createApiClient();
  const params = new URLSearchParams(location.search);
  const wanted = params.get('duckdb');
  // A host that runs queries natively shows the store while DuckDB-WASM boots; an older host
  // (no `nativeQuery`) needs WASM first, as before.
  const info = await api.hostInfo({}).catch(() => null);
  const hostQuery = info?.nativeQuery === true && params.get('engine') !== 'wasm';
  // DuckDB-WASM's JavaScript is its own chunk: parsing it would delay the first rows, which the
  // host answers anyway.
  const bootNow = () =>
    import('./db/engine.ts').then((m) =>
      m.bootEngine(wanted === 'coi' || wanted === 'eh' || wanted === 'mvp' ? wanted : 'auto'),
    );
  // With the host answering, DuckDB-WASM (a 30 MB download and compile, then the copy into its
  // memory) boots once the first rows are on screen and the views have been quiet for a moment
  // (or after 6 s), so it does not compete for the CPU with them, nor with what the user asks
  // right after (1M rows, Pivot clicked at first rows: the host's sets build took ~1.5 s instead
  // of ~0.6 s beside the boot and the copy).
  // Only when something asks for it: a store the host answers alone never boots it.
  let begin = () => {};
  const begun = new Promise<void>((r) => (begin = r));
  const marked = (boot: Promise<SqlEngine>) => {
    void boot.then(
      () => performance.mark('losslens:engine-ready'),
      () => {},
    );
    return boot;
  };
  const wasm = hostQuery ? lazyEngine(() => marked(begun.then(bootNow))) : await marked(bootNow());
  // `?memrows=N`: the memory-copy limit (tests and the bench put a store above it).
  const memrows = Number(params.get('memrows') ?? Number.NaN);
  const session = new Session(api, wasm, {
    hostQuery,
    memoryRows: Number.isInteger(memrows) && memrows >= 0 ? memrows : undefined,
  });
  void Promise.race([session.backgroundReady, new Promise((r) => setTimeout(r, 6000))]).then(() => begin());
  addEventListener('pagehide', () => session.leave());
  await session.start(readStoreParam(location.search));
  performance.mark('losslens:store-registered');
  installBenchHook(session, session.engine);
  // The other tabs' chunks, fetched once the first rows are shown and the views are quiet.
  void session.backgroundReady.then(preloadViews);
  root.render(<App session={session} />);
}

start().catch((e: unknown) => {
  console.error(e);
  root.render(
    <Message error text={`Losslens could not start: ${e instanceof Error ? e.message : String(e)}`} />,
  );
});
