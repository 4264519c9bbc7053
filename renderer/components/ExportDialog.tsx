// Export from any view: the filtered, sorted rows with the chosen columns (CSV, Parquet, JSON),
// the best N parameter sets (by the combined loss or one target) for a next round, or the
// per-parameter-set loss summary. The host writes the file with native DuckDB (same filter SQL as
// the window); the browser host then downloads it, Electron asks where to save it first.
import { useRef, useState } from 'react';
import type { OpenStore } from '../../shared/api.ts';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportJob,
  type ExportKind,
} from '../../shared/export-types.ts';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import { storeColumns } from '../../shared/schema.ts';
import { exportFromView } from '../state/export-run.ts';
import type { Session } from '../state/session.ts';
import { ExportStatus } from './ExportStatus.tsx';
import './export.css';

interface Props {
  session: Session;
  store: OpenStore;
  filter: LossFilter;
  sort: LossSortState;
  /** The columns shown (checked by default); every store column can be chosen. */
  columns: readonly string[];
  combined: CombinedLoss;
  /** Rows matching the filter (null while counting). */
  rows: number | null;
}

const KINDS: { id: ExportKind; label: string; format: ExportFormat }[] = [
  { id: 'rows', label: 'Rows (filtered, sorted)', format: 'csv' },
  { id: 'best', label: 'Best N parameter sets', format: 'json' },
  { id: 'summary', label: 'Loss summary per parameter set', format: 'parquet' },
];

/** The columns shown first, then every other store column in store order. */
function choosable(store: OpenStore, shown: readonly string[]): string[] {
  return [...new Set([...shown, ...storeColumns(store.manifest.params).map((c) => c.name)])];
}

export function ExportDialog(props: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const show = () => {
    setOpen(true);
    requestAnimationFrame(() => ref.current?.showModal());
  };
  return (
    <>
      <button type="button" className="export-button" onClick={show}>
        Export…
      </button>
      {open ? (
        <dialog ref={ref} className="export-dialog" aria-label="Export" onClose={() => setOpen(false)}>
          <ExportForm {...props} onClose={() => ref.current?.close()} />
        </dialog>
      ) : null}
    </>
  );
}

function ExportForm({
  session,
  store,
  filter,
  sort,
  columns,
  combined,
  rows,
  onClose,
}: Props & { onClose(): void }) {
  const [kind, setKind] = useState<ExportKind>('rows');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(columns));
  const [n, setN] = useState(20); // the Best view's default
  const [target, setTarget] = useState('');
  const [job, setJob] = useState<ExportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const all = choosable(store, columns);
  // A sort of another view (a pivot column) is not a row order: rows then keep the table's order.
  const rowSort = sort && all.includes(sort.column) ? sort : null;
  const running = job?.state === 'running';
  const start = () => {
    setError(null);
    const ask = {
      storeId: store.id,
      kind,
      format,
      filter,
      sort: kind === 'rows' ? rowSort : null,
      columns: kind === 'rows' ? all.filter((c) => chosen.has(c)) : undefined,
      best: kind === 'best' ? { n, target: target || undefined } : undefined,
      combined,
    };
    exportFromView(session.api, ask, store.name, setJob).catch((e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  };
  const toggle = (c: string) => {
    const next = new Set(chosen);
    if (!next.delete(c)) next.add(c);
    setChosen(next);
  };
  return (
    <form method="dialog" className="export-form" onSubmit={(e) => e.preventDefault()}>
      <h2>Export</h2>
      <fieldset>
        <legend>What</legend>
        {KINDS.map((k) => (
          <label key={k.id}>
            <input
              type="radio"
              name="export-kind"
              checked={kind === k.id}
              onChange={() => {
                setKind(k.id);
                setFormat(k.format);
              }}
            />
            {k.label}
          </label>
        ))}
      </fieldset>
      <label>
        Format{' '}
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {f === 'csv' ? 'CSV' : f === 'json' ? 'JSON' : 'Parquet'}
            </option>
          ))}
        </select>
      </label>
      {kind === 'rows' ? (
        <fieldset className="export-columns">
          <legend>Columns ({chosen.size})</legend>
          {all.map((c) => (
            <label key={c}>
              <input type="checkbox" checked={chosen.has(c)} onChange={() => toggle(c)} />
              {c}
            </label>
          ))}
        </fieldset>
      ) : null}
      {kind === 'best' ? (
        <div className="export-best">
          <label>
            N{' '}
            <input
              type="number"
              min={1}
              value={n}
              onChange={(e) => setN(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
            />
          </label>
          <label>
            Ranked by{' '}
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">combined loss ({combined.method})</option>
              {store.manifest.targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      <p className="muted">
        {kind === 'rows' && rows !== null ? `${rows.toLocaleString('en-US')} rows under` : 'Under'} the
        current filter
        {kind === 'rows'
          ? rowSort
            ? `, sorted by ${rowSort.column}${rowSort.desc ? ' (descending)' : ''}`
            : ", in the table's order"
          : ''}
        . Provenance goes{' '}
        {format === 'parquet' ? 'into the file’s metadata' : 'into a .provenance.json file beside it'}.
      </p>
      <ExportStatus job={job} />
      {error ? (
        <p role="alert" className="bad">
          {error}
        </p>
      ) : null}
      <div className="export-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button
          type="submit"
          className="primary"
          disabled={running || (kind === 'rows' && chosen.size === 0)}
          onClick={start}
        >
          {running ? 'Exporting…' : 'Export'}
        </button>
      </div>
    </form>
  );
}
