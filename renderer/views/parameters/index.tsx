// Parameters: per parameter, the loss profile of a chosen target (minimum per bin over the density
// of all sets, best N as points), the Δloss cut-off and its profile-likelihood interval, and the
// failed-or-missing share per bin. Brushing a profile sets that parameter's range for every view.
import '../charts.css';
import { useEffect, useMemo } from 'react';
import type { Range } from '../../../shared/query-types.ts';
import { ChartNote } from '../../components/charts/ChartNote.tsx';
import { fmt, fmtCount } from '../../components/charts/format.ts';
import { LargeStoreGate } from '../../components/charts/LargeStoreGate.tsx';
import { keyOf, paramInfos } from '../../components/charts/layout.ts';
import { useChartTheme } from '../../components/charts/theme.ts';
import { useAsync } from '../../components/charts/useAsync.ts';
import { useStaged } from '../../components/charts/useStaged.ts';
import { DEFAULT_BEST_N, LOSS_BINS, PARAM_BINS, profileQueriesFor } from '../../db/profile.ts';
import { boolSetting, intSetting, numberSetting, textSetting, useSetting } from '../../state/useSetting.ts';
import type { ViewProps } from '../view-props.ts';
import { DEFAULT_DELTA, looksLikeLikelihood } from './likelihood.ts';
import { ProfileCard } from './ProfileCard.tsx';

export default function ParametersView(props: ViewProps) {
  return (
    <LargeStoreGate session={props.session} store={props.store} what="the parameter profiles">
      <Parameters {...props} />
    </LargeStoreGate>
  );
}

function Parameters({ session, store, dataVersion, view }: ViewProps) {
  const theme = useChartTheme();
  const targets = store.manifest.targets.map((t) => t.id);
  const { filter, setFilter } = view;
  const shown = filter.targets?.length ? targets.filter((t) => filter.targets!.includes(t)) : targets;
  const [chosen, setChosen] = useSetting(view, 'prof.target', '', textSetting);
  const target = chosen && shown.includes(chosen) ? chosen : (shown[0] ?? '');
  // Per target: a likelihood-style name has the cut-off on unless switched off.
  const [on, setOn] = useSetting(view, `prof.cut.${target}`, looksLikeLikelihood(target), boolSetting);
  const [deltaText, setDeltaText] = useSetting(view, 'prof.delta', String(DEFAULT_DELTA), textSetting);
  const delta = Number(deltaText);
  const deltaOk = Number.isFinite(delta) && delta >= 0;
  const [bestN, setBestN] = useSetting(view, 'prof.best', DEFAULT_BEST_N, intSetting(1, 500));
  const pq = useMemo(() => profileQueriesFor(session.engine, () => session.snapshot.dataVersion), [session]);
  const params = useMemo(() => paramInfos(store), [store]);
  const fk = keyOf(filter);
  const [zoomK, setZoomK] = useSetting(view, 'prof.zoom', 0, numberSetting);
  const span = on && deltaOk && zoomK > 0 ? zoomK * delta : null;
  const profiles = useAsync(
    () => (target ? pq.profiles(target, params, filter, span) : null),
    [pq, dataVersion, target, fk, params, span],
  );
  const best = useAsync(
    () => (target ? pq.best(target, params, filter, bestN) : null),
    [pq, dataVersion, target, fk, params, bestN],
  );
  const intervals = useAsync(
    () => (target && on && deltaOk ? pq.intervals(target, params, filter, delta) : null),
    [pq, dataVersion, target, fk, params, on, deltaOk, delta],
  );
  const iv = on && deltaOk && intervals.data?.target === target ? intervals.data : null;
  const setRange = (column: string, range: Range | null) => {
    const { [column]: _, ...rest } = filter.paramRanges ?? {};
    setFilter({ ...filter, paramRanges: range ? { ...rest, [column]: range } : rest });
  };
  // Ask for the new target's answers before React re-renders the cards (~60 ms of a switch): the
  // views' own requests then find them under way. Unzoomed only: a zoom's span depends on the
  // new target's cut-off setting, read during that render.
  const choose = (next: string) => {
    if (zoomK === 0) {
      void pq.profiles(next, params, filter, null).catch(() => {});
      void pq.best(next, params, filter, bestN).catch(() => {});
    }
    setChosen(next);
  };
  const set = profiles.data?.target === target ? profiles.data : null;
  // Once this target is drawn, every target's stats for this filter, so a switch reads one query.
  useEffect(() => {
    if (set && shown.length > 1) void pq.prefetchStats(params, filter).catch(() => {});
  }, [set, pq, params, filter, shown.length]);
  // The first row of cards at once when profiles first arrive, the rest a frame later.
  const staged = useStaged(set ? 'ready' : 'waiting', 3);
  return (
    <div className="chart-view" aria-busy={profiles.loading || best.loading || intervals.loading}>
      <div className="chart-toolbar">
        <label>
          Target
          <select value={target} onChange={(e) => choose(e.target.value)} aria-label="Profile target">
            {shown.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label title="For a negative log-likelihood, 1.92 is the 95 % χ²₁ profile-likelihood cut-off">
          <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />
          Δloss cut-off
          <input
            type="number"
            step="0.01"
            min="0"
            value={deltaText}
            disabled={!on}
            aria-label="Δloss"
            aria-invalid={!deltaOk}
            onChange={(e) => setDeltaText(e.target.value)}
          />
        </label>
        <label>
          Loss axis
          <select
            value={zoomK}
            onChange={(e) => setZoomK(Number(e.target.value))}
            aria-label="Loss axis range"
            disabled={!on}
          >
            <option value={0}>to the 90th percentile</option>
            {[2, 5, 10, 50].map((k) => (
              <option key={k} value={k}>
                min + {k} × Δ
              </option>
            ))}
          </select>
        </label>
        <label>
          Best
          <input
            type="number"
            min="1"
            max="500"
            value={bestN}
            aria-label="Best N as points"
            onChange={(e) => setBestN(Math.max(1, Math.min(500, Math.trunc(Number(e.target.value)) || 1)))}
          />
          as points
        </label>
        {iv && iv.threshold !== null ? (
          <span className="interval" data-threshold={String(iv.threshold)}>
            min {fmt(iv.minLoss)} · threshold {fmt(iv.threshold)}
          </span>
        ) : null}
      </div>
      <ChartNote>
        Binned in DuckDB: {PARAM_BINS} bins per parameter × {LOSS_BINS} loss bins
        {set ? (
          <>
            {' '}
            over {fmtCount(set.nOk)} ok sets of {set.target}
          </>
        ) : null}
        ;{' '}
        {set?.y.zoomed
          ? `the loss axis shows min + ${zoomK} × Δ.`
          : 'the loss axis stops at the 90th percentile or the highest profile point.'}{' '}
        Line: minimum loss per bin; dots: the best {bestN}.
      </ChartNote>
      {profiles.error || best.error || intervals.error ? (
        <p className="chart-error">{profiles.error ?? best.error ?? intervals.error}</p>
      ) : null}
      {set && set.nOk === 0 ? (
        <p className="chart-message">No ok losses for {target} under this filter.</p>
      ) : null}
      <div className="chart-grid">
        {set && set.nOk > 0
          ? set.profiles
              .slice(0, staged)
              .map((p) => (
                <ProfileCard
                  key={p.param.column}
                  set={set}
                  profile={p}
                  best={best.data ?? []}
                  threshold={iv?.threshold ?? null}
                  interval={iv?.byParam.get(p.param.column) ?? null}
                  range={filter.paramRanges?.[p.param.column] ?? null}
                  onRange={(r) => setRange(p.param.column, r)}
                  theme={theme}
                />
              ))
          : null}
      </div>
    </div>
  );
}
