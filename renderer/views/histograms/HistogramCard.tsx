// One target's histogram: every parameter set's loss in the background, the sets inside the other
// charts' brushes in front, a brush that sets this target's loss range, and counts beside.
import { memo, useState } from 'react';
import { CartesianGrid, ComposedChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { Range } from '../../../shared/query-types.ts';
import { BrushLayer } from '../../components/charts/BrushLayer.tsx';
import { fmt, fmtCount, fmtTick, tickFormatter } from '../../components/charts/format.ts';
import { BoxLayer } from '../../components/charts/layers.tsx';
import type { ChartTheme } from '../../components/charts/theme.ts';
import { linearTicks, logTicks } from '../../components/charts/ticks.ts';
import type { HistBin, TargetHistogram, TargetOverview } from '../../db/histograms.ts';

interface Props {
  hist: TargetHistogram | null;
  overview: TargetOverview;
  linked: boolean;
  log: boolean;
  /** Stable across renders (with `onRange`): a card whose own props did not change is not redrawn. */
  onLog(target: string, log: boolean): void;
  range: Range | null;
  onRange(target: string, range: Range | null): void;
  /** The pointer or focus came to this chart's brush (stable too). */
  onActivate(target: string): void;
  theme: ChartTheme;
}

// Memoised: a brush on one chart redraws that chart at once and the others only when their
// counts arrive (1M rows: recharts re-rendering every card took ~100 ms of each brush).
export const HistogramCard = memo(function HistogramCard({
  hist,
  overview: o,
  linked,
  log,
  onLog,
  range,
  onRange,
  onActivate,
  theme,
}: Props) {
  const [hover, setHover] = useState<number | null>(null);
  const bins = hist?.bins ?? [];
  const lo = bins[0]?.x0 ?? 0;
  const hi = bins.at(-1)?.x1 ?? 1;
  const yTicks = linearTicks(0, Math.max(1, ...bins.map((b) => b.all)), 4);
  const maxCount = Math.max(yTicks.at(-1) ?? 1, ...bins.map((b) => b.all));
  const sel = bins.reduce((s, b) => s + b.sel, 0);
  const all = bins.reduce((s, b) => s + b.all, 0);
  const snap = (a: number, b: number): [number, number] => {
    const i0 = Math.max(
      0,
      bins.findIndex((x) => x.x1 > a),
    );
    const found = bins.findIndex((x) => x.x1 >= b);
    const i1 = found < 0 ? bins.length - 1 : found;
    return [bins[i0]!.x0, bins[Math.max(i0, i1)]!.x1];
  };
  const hovered = hover === null ? null : bins.find((b) => hover >= b.x0 && hover <= b.x1);
  const inBrush = range
    ? bins.filter((b) => b.x0 >= (range[0] ?? -Infinity) && b.x1 <= (range[1] ?? Infinity))
    : [];
  const ticks = log ? logTicks(lo, hi) : linearTicks(lo, hi);
  const canLog = (o.nPos ?? 1) > 0;
  return (
    <section className="chart-card" aria-label={`Histogram of ${o.target}`} data-target={o.target}>
      <div className="chart-card-head">
        <h3 title={o.target}>{o.target}</h3>
        <span className="spacer" />
        <button
          type="button"
          className="toggle"
          aria-pressed={log}
          disabled={!canLog && !log}
          title={canLog ? 'Log-scaled loss axis' : 'No positive losses: a log axis has nothing to show'}
          onClick={() => onLog(o.target, !log)}
        >
          log x
        </button>
      </div>
      <div className="chart-counts">
        ok {fmtCount(o.n)} · <span className={o.failed ? 'bad' : ''}>failed {fmtCount(o.failed)}</span> ·{' '}
        <span className={o.missing ? 'bad' : ''}>missing {fmtCount(o.missing)}</span>
        {hist && hist.leftOut > 0 ? <> · {fmtCount(hist.leftOut)} losses ≤ 0 left out (log)</> : null}
      </div>
      {hist && bins.length ? (
        <ResponsiveContainer width="100%" height={250}>
          <ComposedChart
            data={[
              { x: lo, y: 0 },
              { x: hi, y: maxCount },
            ]}
            margin={{ top: 8, right: 12, bottom: 18, left: 4 }}
          >
            <CartesianGrid stroke={theme.grid} vertical={false} />
            <XAxis
              type="number"
              dataKey="x"
              domain={[lo, hi]}
              scale={log ? 'log' : 'linear'}
              ticks={ticks}
              tickFormatter={log ? fmtTick : tickFormatter(ticks)}
              allowDataOverflow
              stroke={theme.muted}
              tick={{ fill: theme.muted }}
              label={{
                value: `${o.target} loss${log ? ' (log)' : ''}`,
                position: 'insideBottom',
                offset: -12,
                fill: theme.fg,
              }}
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={[0, maxCount]}
              ticks={yTicks}
              tickFormatter={(v: number) => fmtCount(v)}
              label={{ value: 'sets', angle: -90, position: 'insideLeft', offset: 10, fill: theme.muted }}
              allowDataOverflow
              width={52}
              stroke={theme.muted}
              tick={{ fill: theme.muted }}
            />
            {linked ? (
              <BoxLayer
                boxes={bins.map((b) => ({ x0: b.x0, x1: b.x1, y0: 0, y1: b.all }))}
                fill={theme.barBg}
              />
            ) : null}
            <BoxLayer boxes={bins.map((b) => ({ x0: b.x0, x1: b.x1, y0: 0, y1: b.sel }))} fill={theme.bar} />
            <BrushLayer
              range={range}
              onChange={(r) => onRange(o.target, r)}
              onStart={() => onActivate(o.target)}
              snap={snap}
              bins={bins}
              onHover={setHover}
              fill={theme.brush}
              label={`Brush a loss range of ${o.target}`}
            />
          </ComposedChart>
        </ResponsiveContainer>
      ) : (
        <p className="chart-message">{o.n ? 'Loading…' : 'No ok losses under this filter.'}</p>
      )}
      <div className="chart-readout">
        {hovered ? (
          <>
            {fmt(hovered.x0)} – {fmt(hovered.x1)}: {fmtCount(hovered.all)} sets
            {linked ? <>, {fmtCount(hovered.sel)} in the other brushes</> : null}
          </>
        ) : linked && sel !== all ? (
          <>
            {fmtCount(sel)} of {fmtCount(all)} sets in the other brushes
          </>
        ) : range ? null : (
          <span className="chart-note">Drag across the chart to filter every view to a loss range.</span>
        )}
      </div>
      {range ? (
        <div className="chart-readout brush-readout" data-lo={String(range[0])} data-hi={String(range[1])}>
          Brushed {fmt(range[0])} – {fmt(range[1])}: {fmtCount(inBrush.reduce((s, b) => s + b.sel, 0))} sets
          <button
            type="button"
            onClick={() => onRange(o.target, null)}
            aria-label={`Clear the ${o.target} brush`}
          >
            clear
          </button>
        </div>
      ) : null}
      {bins.length ? <BinTable bins={bins} linked={linked} /> : null}
    </section>
  );
});

/** The counts behind the bars, for reading and copying exact numbers. */
function BinTable({ bins, linked }: { bins: readonly HistBin[]; linked: boolean }) {
  return (
    <details className="values">
      <summary>Bin counts</summary>
      <table className="values-table">
        <thead>
          <tr>
            <th>from</th>
            <th>to</th>
            <th>sets</th>
            {linked ? <th>in other brushes</th> : null}
          </tr>
        </thead>
        <tbody>
          {bins.map((b) => (
            <tr key={b.x0}>
              <td data-value={String(b.x0)}>{fmt(b.x0, 6)}</td>
              <td data-value={String(b.x1)}>{fmt(b.x1, 6)}</td>
              <td>{fmtCount(b.all)}</td>
              {linked ? <td>{fmtCount(b.sel)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
