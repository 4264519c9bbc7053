// A store beyond the in-memory copy, with no host engine to ask (an older host), is read by
// DuckDB-WASM from its shards over HTTP: a chart over every row then takes a minute, not a moment.
// The view says so at once and computes only when asked. With a host, its native DuckDB answers.
import { type ReactNode, useState } from 'react';
import type { OpenStore } from '../../../shared/api.ts';
import type { Session } from '../../state/session.ts';
import { fmtCount } from './format.ts';

export function LargeStoreGate({
  session,
  store,
  what,
  children,
}: {
  session: Session;
  store: OpenStore;
  what: string;
  children: ReactNode;
}) {
  const [go, setGo] = useState(false);
  if (go || !session.readsShardsOverHttp(store.manifest)) return <>{children}</>;
  return (
    <div className="chart-message large-store" role="note">
      <p>
        This store has {fmtCount(store.manifest.counts.rows)} rows, more than the{' '}
        {fmtCount(session.memoryLimit)} Losslens copies into memory, and no host engine answers for it here,
        so {what} would be computed by reading every shard over HTTP: a minute or more at millions of rows.
      </p>
      <button type="button" onClick={() => setGo(true)}>
        Compute from the shards anyway
      </button>
    </div>
  );
}
