// One parameter's profile for the chosen target: the density of all sets (binned in DuckDB), the
// minimum loss per bin as a line, the best sets as points, the Δloss threshold and the interval of
// values under it; below, the failed-or-missing share per bin on the same x axis.
import { useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts';
import type { Range } from '../../../shared/query-types.ts';
import { BrushLayer } from '../../components/charts/BrushLayer.tsx';
import { fmt, fmtCount, fmtPct, tickFormatter } from '../../components/charts/format.ts';
import { BoxLayer, DensityLayer, PointsLayer, PolylineLayer } from '../../components/charts/layers.tsx';
import type { ChartTheme } from '../../components/charts/theme.ts';
import { linearTicks, niceMax } from '../../components/charts/ticks.ts';
import type { Plain } from '../../db/arrow-rows.ts';
import type { Interval, Profile, ProfileSet } from '../../db/profile.ts';
import { fmtValue, type XAxisSpec, xAxisOf } from './axes.ts';
import { ProfileTable } from './ProfileTable.tsx';

interface Props {
  set: ProfileSet;
  profile: Profile;
  best: readonly Plain[];
  threshold: number | null;
  interval: Interval | null;
  range: Range | null;
  onRange(range: Range | null): void;
  theme: ChartTheme;
}

const MARGIN = { top: 22, right: 12, bottom: 4, left: 4 };

function xAxis(x: XAxisSpec, theme: ChartTheme, label?: string) {
  return (
    <XAxis
      type="number"
      dataKey="x"
      domain={[x.lo, x.hi]}
      scale={x.log ? 'log' : 'linear'}
      ticks={x.ticks}
      tickFormatter={x.format}
      interval={0}
      allowDataOverflow
      stroke={theme.muted}
      tick={{ fill: theme.muted }}
      height={label ? 34 : 22}
      label={label ? { value: label, position: 'insideBottom', offset: 0, fill: theme.fg } : undefined}
    />
  );
}

export function ProfileCard({ set, profile: p, best, threshold, interval, range, onRange, theme }: Props) {
  const [hover, setHover] = useState<number | null>(null);
  const x = xAxisOf(p);
  const name = p.param.name;
  if (!x)
    return (
      <section className="chart-card" aria-label={`Profile of ${name}`}>
        <h3>{name}</h3>
        <p className="chart-message">{p.note ?? 'No values under this filter.'}</p>
      </section>
    );
  const h = (set.y.top - set.y.lo) / set.y.bins;
  const mins = p.bins.map((b) => b.min).filter((m): m is number => m !== null);
  // Zoomed to min + k·Δ the axis clips; otherwise it reaches the highest profile point.
  const yHi = set.y.zoomed ? set.y.top : Math.max(set.y.top, ...mins, threshold ?? -Infinity);
  const yTicks = linearTicks(set.y.lo, yHi, 4);
  const slot = (i: number) =>
    (x.numeric ? [p.bins[i]!.x0, p.bins[i]!.x1] : [i + 0.1, i + 0.9]) as [number, number];
  const cells = p.cells.map((c) => {
    const [x0, x1] = slot(c.bin);
    return { x0, x1, y0: set.y.lo + c.iy * h, y1: set.y.lo + (c.iy + 1) * h, n: c.n };
  });
  const line = p.bins.map((b, i) => (b.min === null ? null : { x: x.centre(i), y: b.min }));
  const points = best.flatMap((r) => {
    const px = x.at(r[p.param.column]);
    const y = typeof r.loss === 'number' ? r.loss : null;
    return px === null || y === null
      ? []
      : [
          {
            x: px,
            y,
            title: `${String(r.param_id).slice(0, 8)}: ${name} = ${fmtValue(r[p.param.column])}, loss ${fmt(y)}`,
          },
        ];
  });
  const rates = p.bins.map((b, i) => {
    const [x0, x1] = slot(i);
    return { x0, x1, y0: 0, y1: b.rows ? (b.failed + b.missing) / b.rows : 0 };
  });
  const maxRate = niceMax(Math.max(0.05, ...rates.map((r) => r.y1)));
  const hovered =
    hover === null ? null : p.bins.findIndex((_, i) => hover >= slot(i)[0] && hover <= slot(i)[1]);
  const hb = hovered !== null && hovered >= 0 ? p.bins[hovered]! : null;
  const snap = (a: number, b: number): [number, number] => {
    const i0 = Math.max(
      0,
      p.bins.findIndex((bin) => bin.x1 > a),
    );
    const f = p.bins.findIndex((bin) => bin.x1 >= b);
    return [p.bins[i0]!.x0, p.bins[Math.max(i0, f < 0 ? p.bins.length - 1 : f)]!.x1];
  };
  const dummy = [
    { x: x.lo, y: set.y.lo },
    { x: x.hi, y: yHi },
  ];
  const shade = interval && x.numeric && interval.lo !== undefined && interval.hi !== undefined;
  return (
    <section className="chart-card" aria-label={`Profile of ${name}`} data-param={p.param.column}>
      <div className="chart-card-head">
        <h3 title={p.param.column}>{name}</h3>
        <span className="chart-counts">
          {x.numeric ? `${p.bins.length} bins${x.log ? ', log' : ''}` : `${p.bins.length} values`}
        </span>
        <span className="spacer" />
        {p.clipped ? <span className="chart-counts">{fmtCount(p.clipped)} sets above the axis</span> : null}
      </div>
      <ResponsiveContainer width="100%" height={200}>
        <ComposedChart data={dummy} margin={MARGIN}>
          <CartesianGrid stroke={theme.grid} />
          {xAxis(x, theme)}
          <YAxis
            type="number"
            dataKey="y"
            domain={[set.y.lo, yHi]}
            ticks={yTicks}
            tickFormatter={tickFormatter(yTicks)}
            allowDataOverflow
            width={58}
            stroke={theme.muted}
            tick={{ fill: theme.muted }}
            label={{
              value: `${set.target} loss`,
              position: 'top',
              offset: 8,
              fill: theme.fg,
              style: { textAnchor: 'start' },
            }}
          />
          <DensityLayer cells={cells} fill={theme.density} />
          {shade ? (
            <ReferenceArea
              x1={interval.lo}
              x2={interval.hi}
              fill={theme.threshold}
              fillOpacity={0.12}
              ifOverflow="hidden"
            />
          ) : null}
          {threshold !== null ? (
            <ReferenceLine y={threshold} stroke={theme.threshold} strokeDasharray="5 3" ifOverflow="hidden" />
          ) : null}
          {x.numeric ? (
            <PolylineLayer points={line} stroke={theme.line} />
          ) : (
            <PointsLayer points={line.filter((l) => l !== null)} fill={theme.line} r={5} />
          )}
          <PointsLayer points={points} fill={theme.point} stroke={theme.bar} r={3} />
          {x.numeric ? (
            <BrushLayer
              range={range}
              onChange={onRange}
              snap={snap}
              bins={p.bins}
              onHover={setHover}
              fill={theme.brush}
              label={`Brush a range of ${name}`}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
      <ResponsiveContainer width="100%" height={74}>
        <ComposedChart
          data={[
            { x: x.lo, y: 0 },
            { x: x.hi, y: maxRate },
          ]}
          margin={{ ...MARGIN, top: 4 }}
        >
          {xAxis(x, theme, `${name}${x.log ? ' (log)' : ''}`)}
          <YAxis
            type="number"
            dataKey="y"
            domain={[0, maxRate]}
            ticks={[0, maxRate]}
            tickFormatter={(v: number) => (v ? fmtPct(v) : '0')}
            width={58}
            stroke={theme.muted}
            tick={{ fill: theme.muted }}
          />
          <BoxLayer boxes={rates} fill={theme.bad} opacity={0.75} />
        </ComposedChart>
      </ResponsiveContainer>
      <div className="chart-readout">
        {hb ? (
          <>
            {x.numeric ? `${fmt(hb.x0)} – ${fmt(hb.x1)}` : (hb.label ?? 'null')}: min {fmt(hb.min)} ·{' '}
            {fmtCount(hb.ok)} ok · {fmtCount(hb.failed + hb.missing)} failed or missing
          </>
        ) : (
          <span className="chart-note">Red: share of runs failed or missing per bin.</span>
        )}
      </div>
      {interval && threshold !== null ? (
        <div className="interval" data-lo={String(interval.lo ?? '')} data-hi={String(interval.hi ?? '')}>
          {x.numeric
            ? interval.lo === undefined
              ? 'No set under the threshold.'
              : `Δloss interval: ${name} ∈ [${fmt(interval.lo)}, ${fmt(interval.hi)}]`
            : `Δloss values: ${(interval.categories ?? []).join(', ') || 'none'}`}
        </div>
      ) : null}
      {range ? (
        <div className="chart-readout brush-readout" data-lo={String(range[0])} data-hi={String(range[1])}>
          Brushed {fmt(range[0])} – {fmt(range[1])}
          <button type="button" onClick={() => onRange(null)} aria-label={`Clear the ${name} brush`}>
            clear
          </button>
        </div>
      ) : null}
      <ProfileTable profile={p} numeric={x.numeric} />
    </section>
  );
}
