// A store beyond the in-memory copy is read from its shards over HTTP: a chart over every row then
// takes a minute, not a moment. The view says so at once and computes only when asked.
import { type ReactNode, useState } from 'react';
import type { OpenStore } from '../../../shared/api.ts';
import { DIRECT_LINK_MAX_ROWS } from '../../db/histograms.ts';
import { fmtCount } from './format.ts';

export function isLargeStore(store: OpenStore): boolean {
  return store.manifest.counts.rows > DIRECT_LINK_MAX_ROWS;
}

export function LargeStoreGate({
  store,
  what,
  children,
}: {
  store: OpenStore;
  what: string;
  children: ReactNode;
}) {
  const [go, setGo] = useState(false);
  if (go || !isLargeStore(store)) return <>{children}</>;
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
