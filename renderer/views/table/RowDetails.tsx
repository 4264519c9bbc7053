// A row's details: the full param_id, every parameter, the diagnostics pretty-printed, the error
// type and the whole message. Read by query with every store column (the table reads fewer).
import { useEffect, useRef, useState } from 'react';
import type { Manifest } from '../../../shared/manifest.ts';
import { paramColumn } from '../../../shared/schema.ts';
import type { Plain } from '../../db/arrow-rows.ts';
import { rowDetails } from '../../db/row-details.ts';
import type { Session } from '../../state/session.ts';
import { formatCell } from './format.ts';
import { tsvValue } from './tsv.ts';

function pretty(text: unknown): string {
  if (text === null || text === undefined || text === '') return '(none)';
  try {
    return JSON.stringify(JSON.parse(String(text)), null, 2);
  } catch {
    return String(text);
  }
}

interface Props {
  session: Session;
  manifest: Manifest;
  paramId: string;
  target: string;
  onClose: () => void;
}

export function RowDetails({ session, manifest, paramId, target, onClose }: Props) {
  const [row, setRow] = useState<Plain | null | 'loading'>('loading');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
    rowDetails(session.engine, paramId, target).then(setRow, (e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  }, [session, paramId, target]);
  const r = row === 'loading' ? null : row;
  return (
    <dialog ref={ref} className="row-details" aria-label={`Row ${paramId} · ${target}`} onClose={onClose}>
      <header>
        <h2>Row details</h2>
        <button type="button" onClick={() => ref.current?.close()}>
          Close
        </button>
      </header>
      {error ? <p className="bad">{error}</p> : null}
      {row === 'loading' && !error ? <p className="muted">Loading…</p> : null}
      {row === null ? <p className="bad">This row is no longer in the store.</p> : null}
      {r ? (
        <>
          <dl className="detail-list">
            <dt>param_id</dt>
            <dd className="id selectable">{String(r.param_id)}</dd>
            <dt>target</dt>
            <dd>{String(r.target)}</dd>
            <dt>status</dt>
            <dd className={`status-${String(r.status)}`}>{String(r.status)}</dd>
            <dt>loss</dt>
            <dd className="num" title="full precision">
              {r.loss === null ? '—' : tsvValue(r.loss)}
            </dd>
            <dt>n_replicates</dt>
            <dd>{formatCell(r.n_replicates, 'INTEGER') || '—'}</dd>
            <dt>seeds</dt>
            <dd className="id">{tsvValue(r.seeds) || '—'}</dd>
          </dl>
          <h3>Parameters</h3>
          <dl className="detail-list">
            {manifest.params.map((p) => (
              <div key={p.name} className="detail-pair">
                <dt>{p.name}</dt>
                <dd className="num">{tsvValue(r[paramColumn(p.name)]) || '—'}</dd>
              </div>
            ))}
          </dl>
          {r.error_type || r.error_message ? (
            <>
              <h3>Error</h3>
              <p>
                <strong>{String(r.error_type ?? '(no type)')}</strong>
              </p>
              <pre className="detail-pre">{String(r.error_message ?? '')}</pre>
            </>
          ) : null}
          <h3>Diagnostics{r.diagnostics_truncated ? ' (truncated at 64 KiB by the collector)' : ''}</h3>
          <pre className="detail-pre">{pretty(r.diagnostics)}</pre>
        </>
      ) : null}
    </dialog>
  );
}
