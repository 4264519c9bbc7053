// Compare two jobs (two calibration rounds, two history-matching waves): per target the best loss
// of each and the difference; both loss distributions overlaid; the sets both ran, matched by
// param_id; and where each job's best N sets lie per parameter.
import './compare.css';
import { useMemo, useState } from 'react';
import type { OpenStore } from '../../../shared/api.ts';
import { paramColumn } from '../../../shared/schema.ts';
import { useChartTheme } from '../../components/charts/theme.ts';
import { useAsync } from '../../components/charts/useAsync.ts';
import type { Session } from '../../state/session.ts';
import { BestTable } from './BestTable.tsx';
import { MatchedTable } from './MatchedTable.tsx';
import { OverlaidHistogram } from './OverlaidHistogram.tsx';
import { RangeBars } from './RangeBars.tsx';

const NUMERIC = new Set(['DOUBLE', 'BIGINT', 'INTEGER', 'FLOAT']);

export function CompareView({
  session,
  a,
  b,
  others,
  version,
  onChoose,
}: {
  session: Session;
  a: OpenStore;
  b: OpenStore;
  others: readonly OpenStore[];
  version: string;
  onChoose: (id: string | null) => void;
}) {
  const theme = useChartTheme();
  const q = session.compareQueries;
  const [n, setN] = useState(20);
  const best = useAsync(() => q.bestPerTarget(), [q, version]);
  const shared = useMemo(() => {
    const tb = new Set(b.manifest.targets.map((t) => t.id));
    return a.manifest.targets.map((t) => t.id).filter((t) => tb.has(t));
  }, [a, b]);
  const params = useMemo(() => {
    const pb = new Set(b.manifest.params.filter((p) => NUMERIC.has(p.type)).map((p) => p.name));
    return a.manifest.params
      .filter((p) => NUMERIC.has(p.type) && pb.has(p.name))
      .map((p) => paramColumn(p.name));
  }, [a, b]);
  const ranges = useAsync(() => q.bestRanges(params, shared, n), [q, version, params, shared, n]);
  const hists = useAsync(
    () => Promise.all(shared.map(async (t) => ({ target: t, bins: await q.histogram(t, 40) }))),
    [q, version, shared],
  );
  return (
    <main className="compare-view" aria-label="Compare jobs">
      <div className="compare-head">
        <h2>
          Compare <span className="job-a">{a.name}</span> with{' '}
          <select aria-label="Compare with" value={b.id} onChange={(e) => onChoose(e.target.value)}>
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </h2>
        <button type="button" onClick={() => onChoose(null)}>
          Close compare
        </button>
      </div>
      <p className="muted">
        Compare reads every row of both jobs: the filter above applies to the other views.
      </p>
      {best.error || ranges.error || hists.error ? (
        <p className="bad" role="alert">
          {best.error ?? ranges.error ?? hists.error}
        </p>
      ) : null}
      <section>
        <h3>Best loss per target</h3>
        {best.data ? <BestTable rows={best.data} a={a.name} b={b.name} /> : <p className="muted">…</p>}
      </section>
      <section>
        <h3>Loss distributions</h3>
        {shared.length === 0 ? <p className="muted">The two jobs share no target.</p> : null}
        <div className="compare-hists">
          {(hists.data ?? []).map((h) =>
            h.bins ? (
              <OverlaidHistogram
                key={h.target}
                target={h.target}
                bins={h.bins}
                a={a.name}
                b={b.name}
                theme={theme}
              />
            ) : null,
          )}
        </div>
      </section>
      <section>
        <h3>
          Where the best{' '}
          <input
            type="number"
            aria-label="Best N sets"
            min={1}
            max={1000}
            value={n}
            onChange={(e) => setN(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))}
          />{' '}
          sets lie (by mean loss over the shared targets)
        </h3>
        {ranges.data ? (
          <RangeBars ranges={ranges.data} a={a.name} b={b.name} n={n} />
        ) : (
          <p className="muted">…</p>
        )}
      </section>
      <section>
        <h3>Parameter sets in both jobs</h3>
        <MatchedTable q={q} a={a.name} b={b.name} version={version} />
      </section>
    </main>
  );
}
