// A store beyond the in-memory copy, with no host engine to ask (an older host), is read by
// DuckDB-WASM from its shards over HTTP: a chart over every row then takes a minute, not a moment.
// The view says so at once and computes only when asked. With a host, its native DuckDB answers.
import { type ReactNode, useState } from 'react';
import type { OpenStore } from '../../../shared/api.ts';
import { DIRECT_LINK_MAX_ROWS } from '../../db/histograms.ts';
import type { Session } from '../../state/session.ts';
import { fmtCount } from './format.ts';

export function isLargeStore(store: OpenStore): boolean {
  return store.manifest.counts.rows > DIRECT_LINK_MAX_ROWS;
}

/** Large and read by DuckDB-WASM over HTTP: no host engine answers for it. */
export function readsShardsOverHttp(session: Session, store: OpenStore): boolean {
  return isLargeStore(store) && !session.engine.hostAvailable;
}

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
  if (go || !readsShardsOverHttp(session, store)) return <>{children}</>;
  return (
    <div className="chart-message large-store" role="note">
      <p>
        This store has {fmtCount(store.manifest.counts.rows)} rows, more than the{' '}
        {fmtCount(DIRECT_LINK_MAX_ROWS)} Losslens copies into memory, so {what} would be computed by reading
        every shard over HTTP, which takes a minute or more here.
      </p>
      <button type="button" onClick={() => setGo(true)}>
        Compute from the shards anyway
      </button>
    </div>
  );
}
