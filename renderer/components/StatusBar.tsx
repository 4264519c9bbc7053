// The bottom line: how many rows match, of how many, per-target counts, and the store's state.
import type { OpenStore } from '../../shared/api.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { formatCount } from '../views/table/format.ts';

interface Props {
  store: OpenStore;
  /** The manifest `matching` and `shards` were counted against (it can lag `store`'s by a moment). */
  counted: Manifest;
  /** Rows in listed shards that cannot be read: the count is then marked partial. */
  unreadableRows?: number;
  matching: number | null;
  engine: string;
  shards: number;
  message: string | null;
  /** 'info' for confirmations (a copy), shown plain; errors in red. */
  messageTone?: 'info' | 'error';
}

export function StatusBar({
  store,
  counted,
  matching,
  engine,
  shards,
  message,
  messageTone = 'error',
  unreadableRows = 0,
}: Props) {
  const m = counted;
  const total = m.counts.rows;
  return (
    <footer className="status-bar" role="status">
      <span>
        <strong>{matching === null ? '…' : formatCount(matching)}</strong>
        {matching !== null && matching !== total ? ` of ${formatCount(total)}` : ''} rows
        {unreadableRows > 0 ? (
          <span className="bad" title="Some listed shards cannot be read; see the message above the table">
            {' '}
            (partial: {formatCount(unreadableRows)} rows unreadable)
          </span>
        ) : null}
      </span>
      <span>
        {m.targets.length} target{m.targets.length === 1 ? '' : 's'}: {m.targets.map((t) => t.id).join(', ')}
      </span>
      <span>
        {formatCount(m.counts.ok)} ok · <span className="bad">{formatCount(m.counts.failed)} failed</span>
        {m.counts.missing ? ` · ${formatCount(m.counts.missing)} missing` : ''}
      </span>
      <span>
        {store.manifest.status} · {shards}/{m.shards.length} shards ·{' '}
        <span
          title={
            engine === 'native'
              ? 'Queries run in the host’s native DuckDB'
              : `Queries run in DuckDB-WASM in this window (${engine} build)`
          }
        >
          {engine === 'native' ? 'DuckDB native' : 'DuckDB-WASM'}
        </span>
      </span>
      {message ? (
        <span className={`status-message ${messageTone === 'error' ? 'bad' : ''}`}>{message}</span>
      ) : null}
    </footer>
  );
}
