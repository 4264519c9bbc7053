// Histograms: one per target, linked. Brushing a range sets that target's loss filter for every
// view; each histogram draws the sets inside the other brushes over all sets (crossfilter).
import '../charts.css';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { Range } from '../../../shared/query-types.ts';
import { ChartNote } from '../../components/charts/ChartNote.tsx';
import { fmtCount } from '../../components/charts/format.ts';
import { LargeStoreGate } from '../../components/charts/LargeStoreGate.tsx';
import { keyOf, pivotLayout } from '../../components/charts/layout.ts';
import { useChartTheme } from '../../components/charts/theme.ts';
import { useAsync } from '../../components/charts/useAsync.ts';
import { useShared } from '../../components/charts/useShared.ts';
import { baseFilter, hasBrushes } from '../../db/brush-sql.ts';
import { DEFAULT_HIST_BINS, DIRECT_LINK_MAX_ROWS, HistogramQueries } from '../../db/histograms.ts';
import { intSetting, listSetting, useSetting } from '../../state/useSetting.ts';
import type { ViewProps } from '../view-props.ts';
import { HistogramCard } from './HistogramCard.tsx';

const BIN_CHOICES = [10, 20, 40, 80, 160];
/** Brush cubes for every chart are built once the view has shown its answer this long. */
const PREPARE_AFTER_MS = 400;

export default function HistogramsView(props: ViewProps) {
  return (
    <LargeStoreGate session={props.session} store={props.store} what="the histograms">
      <Histograms {...props} />
    </LargeStoreGate>
  );
}

const NONE: readonly string[] = [];

function Histograms({ session, store, dataVersion, view }: ViewProps) {
  const theme = useChartTheme();
  const [bins, setBins] = useSetting(view, 'hist.bins', DEFAULT_HIST_BINS, intSetting(2, 400));
  const [logList, setLogList] = useSetting(view, 'hist.log', NONE, listSetting);
  const logTargets = useMemo(() => new Set(logList), [logList]);
  const q = useMemo(
    () =>
      new HistogramQueries(
        session.engine,
        session.analysis,
        () => pivotLayout(store),
        () => store.manifest,
        session.cube,
      ),
    [session, store],
  );
  const { filter, setFilter } = view;
  const baseKey = keyOf(baseFilter(filter));
  const logKey = [...logTargets].sort().join('\n');
  const overview = useAsync(async () => {
    const ov = await q.overview(filter);
    return logTargets.size ? q.withPositive(filter, ov) : ov;
  }, [q, dataVersion, baseKey, logKey]);
  const hists = useAsync(
    () => (overview.data ? q.histograms(filter, overview.data, bins, logTargets) : null),
    [overview.data, keyOf(filter), bins, logKey],
  );
  // Stable callbacks read the latest filter and log set, so the cards can be memoised.
  const latest = useRef({ filter, logTargets, setLogList });
  latest.current = { filter, logTargets, setLogList };
  const setRange = useCallback(
    (target: string, range: Range | null) => {
      const f = latest.current.filter;
      const { [target]: _, ...rest } = f.lossRanges ?? {};
      setFilter({ ...f, lossRanges: range ? { ...rest, [target]: range } : rest });
    },
    [setFilter],
  );
  const setLog = useCallback((target: string, on: boolean) => {
    const next = new Set(latest.current.logTargets);
    if (on) next.add(target);
    else next.delete(target);
    latest.current.setLogList([...next]);
  }, []);
  const shown = useShared(hists.data?.histograms);
  // Brushing a chart is answered by sums once its cube is built: start when the pointer comes.
  const ready = useRef({ overview: overview.data, shown, bins });
  ready.current = { overview: overview.data, shown, bins };
  const activateNow = useCallback(
    async (target: string) => {
      const { overview: ov, shown: hs, bins: n } = ready.current;
      const h = hs.find((x) => x.target === target);
      if (ov && h)
        await q.prepareBrush(latest.current.filter, ov, n, latest.current.logTargets, h).catch(() => {});
    },
    [q],
  );
  const activate = useCallback((target: string) => void activateNow(target), [activateNow]);
  // And for every chart once the view has been quiet a moment: the first brush is answered by
  // sums too, without the pointer having rested on the chart first.
  useEffect(() => {
    if (!shown.length) return;
    let live = true;
    const timer = setTimeout(async () => {
      for (const h of ready.current.shown) {
        if (!live) return;
        await activateNow(h.target);
      }
    }, PREPARE_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [shown, activateNow]);
  const linked = hists.data?.linked;
  const brushed = hasBrushes(filter);
  return (
    <div className="chart-view" aria-busy={overview.loading || hists.loading}>
      <div className="chart-toolbar">
        <label>
          Bins
          <select
            value={bins}
            onChange={(e) => setBins(Number(e.target.value))}
            aria-label="Bins per histogram"
          >
            {BIN_CHOICES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <ChartNote>
          Binned in DuckDB: {bins} bins per target.
          {brushed && linked === 'too-large'
            ? ` Linked distributions need the store in memory (up to ${fmtCount(DIRECT_LINK_MAX_ROWS)} rows); the brushes still filter every view.`
            : brushed
              ? ' Dark bars: sets inside the other histograms’ and profiles’ brushes; light: all sets.'
              : ''}
        </ChartNote>
      </div>
      {overview.error || hists.error ? <p className="chart-error">{overview.error ?? hists.error}</p> : null}
      <div className="chart-grid">
        {(overview.data ?? []).map((o) => (
          <HistogramCard
            key={o.target}
            overview={o}
            hist={shown.find((h) => h.target === o.target) ?? null}
            linked={brushed && (linked === 'pivot' || linked === 'direct')}
            log={logTargets.has(o.target)}
            onLog={setLog}
            range={filter.lossRanges?.[o.target] ?? null}
            onRange={setRange}
            onActivate={activate}
            theme={theme}
          />
        ))}
      </div>
    </div>
  );
}
