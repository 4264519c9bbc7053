// Start-up: pick the transport, boot DuckDB, open the store the host has (or the URL names), render.
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createApiClient } from './api/client.ts';
import { bootEngine } from './db/engine.ts';
import { installBenchHook } from './state/bench-hook.ts';
import { Session } from './state/session.ts';
import { readStoreParam } from './state/url-state.ts';
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
  const wanted = new URLSearchParams(location.search).get('duckdb');
  const engine = await bootEngine(wanted === 'coi' || wanted === 'eh' || wanted === 'mvp' ? wanted : 'auto');
  performance.mark('losslens:engine-ready');
  const session = new Session(api, engine);
  await session.start(readStoreParam(location.search));
  performance.mark('losslens:store-registered');
  installBenchHook(session, engine);
  root.render(<App session={session} />);
}

start().catch((e: unknown) => {
  console.error(e);
  root.render(
    <Message error text={`Losslens could not start: ${e instanceof Error ? e.message : String(e)}`} />,
  );
});
