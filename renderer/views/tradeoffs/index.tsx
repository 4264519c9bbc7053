// Trade-offs: pick two targets; every set's pair of losses as a density with the Pareto front drawn
// and listed; and the sets no other set beats on every target at once (the skyline), listable.
import '../charts.css';
import { useMemo, useState } from 'react';
import { ChartNote } from '../../components/charts/ChartNote.tsx';
import { fmtCount } from '../../components/charts/format.ts';
import { keyOf, pivotLayout } from '../../components/charts/layout.ts';
import { useChartTheme } from '../../components/charts/theme.ts';
import { useAsync } from '../../components/charts/useAsync.ts';
import { Elapsed } from '../../components/Elapsed.tsx';
import { FRONT_LIMIT, PAIR_BINS, SKYLINE_LIMIT, TradeoffQueries } from '../../db/pareto.ts';
import { numberSetting, textSetting, useSetting } from '../../state/useSetting.ts';
import type { ViewProps } from '../view-props.ts';
import { LossList } from './LossList.tsx';
import { PairChart } from './PairChart.tsx';

const ZOOMS = [
  { q: 1, label: 'all sets' },
  { q: 0.5, label: 'lowest 50 %' },
  { q: 0.25, label: 'lowest 25 %' },
  { q: 0.1, label: 'lowest 10 %' },
  { q: 0.01, label: 'lowest 1 %' },
];

export default function TradeoffsView({ session, store, dataVersion, view, onMessage }: ViewProps) {
  const theme = useChartTheme();
  const all = store.manifest.targets.map((t) => t.id);
  const { filter } = view;
  const targets = filter.targets?.length ? all.filter((t) => filter.targets!.includes(t)) : all;
  const [pickA, setPickA] = useSetting(view, 'trade.a', '', textSetting);
  const [pickB, setPickB] = useSetting(view, 'trade.b', '', textSetting);
  const pick = [pickA || null, pickB || null] as const;
  const a = pick[0] && targets.includes(pick[0]) ? pick[0] : (targets[0] ?? '');
  const bDefault = targets.find((t) => t !== a) ?? '';
  const b = pick[1] && targets.includes(pick[1]) && pick[1] !== a ? pick[1] : bDefault;
  const [zoom, setZoom] = useSetting(view, 'trade.zoom', 0.25, numberSetting);
  const [listSky, setListSky] = useState(false);
  const q = useMemo(
    () => new TradeoffQueries(session.engine, session.analysis, () => pivotLayout(store)),
    [session, store],
  );
  const fk = keyOf(filter);
  const pair = useAsync(() => (a && b ? q.pair(filter, a, b, zoom) : null), [q, dataVersion, fk, a, b, zoom]);
  // Asked once the pair is drawn: DuckDB runs one query at a time, and the chart comes first.
  const pairDone = pair.data !== null && !pair.loading;
  const sky = useAsync(
    () => (pairDone && targets.length > 1 ? q.skyline(filter, targets) : null),
    [q, dataVersion, fk, keyOf(targets), pairDone],
  );
  if (targets.length < 2)
    return <p className="chart-message">Trade-offs need two targets; this view shows {targets.length}.</p>;
  const p = pair.data && !('unavailable' in pair.data) ? pair.data : null;
  const s = sky.data && !('unavailable' in sky.data) ? sky.data : null;
  const unavailable = pair.data && 'unavailable' in pair.data ? pair.data.unavailable : null;
  const waiting = unavailable && store.manifest.counts.rows <= 3_000_000;
  const select = (which: 0 | 1, value: string) => (which === 0 ? setPickA(value) : setPickB(value));
  return (
    <div className="chart-view" aria-busy={pair.loading}>
      <div className="chart-toolbar">
        <label>
          x
          <select value={a} onChange={(e) => select(0, e.target.value)} aria-label="Target on x">
            {targets.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          y
          <select value={b} onChange={(e) => select(1, e.target.value)} aria-label="Target on y">
            {targets
              .filter((t) => t !== a)
              .map((t) => (
                <option key={t}>{t}</option>
              ))}
          </select>
        </label>
        <label>
          Axes show
          <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))} aria-label="Axes range">
            {ZOOMS.map((z) => (
              <option key={z.q} value={z.q}>
                {z.label}
              </option>
            ))}
          </select>
        </label>
        {sky.loading && !s ? (
          <span className="chart-note">Counting sets non-dominated over all targets…</span>
        ) : null}
        {s ? (
          <span className="skyline-count" data-count={String(s.count ?? '')} aria-busy={sky.loading}>
            {s.count === null ? (
              s.note
            ) : (
              <>
                Non-dominated over all {targets.length} targets: <strong>{fmtCount(s.count)}</strong> of{' '}
                {fmtCount(s.total)} sets
              </>
            )}
            {s.count ? (
              <button
                type="button"
                className="toggle"
                aria-pressed={listSky}
                onClick={() => setListSky(!listSky)}
              >
                {listSky ? 'hide list' : 'list them'}
              </button>
            ) : null}
          </span>
        ) : null}
      </div>
      {pair.error || sky.error ? <p className="chart-error">{pair.error ?? sky.error}</p> : null}
      {unavailable ? (
        <p className="chart-message">
          {waiting ? 'Waiting for the store to finish loading into memory…' : unavailable}
        </p>
      ) : null}
      {pair.loading && !p && !unavailable ? (
        <PairProgress
          filterKey={`${fk} ${a} ${b} ${dataVersion}`}
          rows={store.manifest.counts.rows}
          a={a}
          b={b}
        />
      ) : null}
      {p && !p.axes ? (
        <p className="chart-message">
          No parameter set has an ok loss for both {a} and {b}.
        </p>
      ) : null}
      {p?.axes ? (
        <div className="two-col">
          <section className="chart-card" aria-label={`Trade-off of ${a} and ${b}`}>
            <PairChart pair={p} theme={theme} />
            <ChartNote>
              Binned in DuckDB: {PAIR_BINS.a} × {PAIR_BINS.b} cells over {fmtCount(p.n)} sets with both losses
              {p.outside ? <>; {fmtCount(p.outside)} sets lie outside the axes shown</> : null}. Line and
              dots: the Pareto front (lower is better on both).
            </ChartNote>
          </section>
          <section aria-label="Pareto front">
            <h3 className="list-title">
              Pareto front: {fmtCount(p.front.length)} sets
              {p.front.length >= FRONT_LIMIT ? ` (first ${FRONT_LIMIT})` : ''}
            </h3>
            <LossList
              label="Pareto front sets"
              rows={p.front.map((f) => ({ param_id: f.param_id, a: f.a, b: f.b }))}
              targets={[
                { key: 'a', name: a },
                { key: 'b', name: b },
              ]}
              onMessage={onMessage}
            />
          </section>
        </div>
      ) : null}
      {listSky && s?.rows.length ? (
        <section aria-label="Non-dominated sets" className="skyline">
          <h3 className="list-title">
            Non-dominated over {targets.join(', ')}
            {s.count !== null && s.count > SKYLINE_LIMIT
              ? ` (first ${SKYLINE_LIMIT} of ${fmtCount(s.count)})`
              : ''}
          </h3>
          <LossList
            label="Non-dominated sets"
            rows={s.rows}
            targets={targets.map((t) => ({ key: t, name: t }))}
            onMessage={onMessage}
          />
        </section>
      ) : null}
    </div>
  );
}

/** While the pair is read: what is happening, and for how long (the chart is empty meanwhile). */
function PairProgress({ filterKey, rows, a, b }: { filterKey: string; rows: number; a: string; b: string }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart the clock when the question changes
  const since = useMemo(() => Date.now(), [filterKey]);
  return (
    <p className="chart-message chart-progress" role="status">
      Pairing {a} and {b} per parameter set: grouping {fmtCount(rows)} rows by set, once per filter…
      <Elapsed since={since} />
    </p>
  );
}
