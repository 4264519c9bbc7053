// One target's loss distribution in both jobs, on common bins, drawn over each other on a numeric
// loss axis (recharts' category bars cannot overlay two series on the same bins).
import { CartesianGrid, ComposedChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { fmtCount, tickFormatter } from '../../components/charts/format.ts';
import { BoxLayer } from '../../components/charts/layers.tsx';
import type { ChartTheme } from '../../components/charts/theme.ts';
import { linearTicks, niceMax } from '../../components/charts/ticks.ts';
import type { OverlaidBins } from '../../db/compare.ts';

/** One colour per job, readable on light and dark backgrounds (the range bars use the same). */
export const JOB_COLORS = { a: '#3b82f6', b: '#f97316' } as const;

export function OverlaidHistogram({
  target,
  bins,
  a,
  b,
  theme,
}: {
  target: string;
  bins: OverlaidBins;
  a: string;
  b: string;
  theme: ChartTheme;
}) {
  const width = (bins.hi - bins.lo) / bins.a.length || 1;
  const boxes = (counts: readonly number[]) =>
    counts.flatMap((n, i) =>
      n > 0 ? [{ x0: bins.lo + i * width, x1: bins.lo + (i + 1) * width, y0: 0, y1: n }] : [],
    );
  const hi = bins.hi > bins.lo ? bins.hi : bins.lo + width;
  const ticks = linearTicks(bins.lo, hi);
  const top = niceMax(Math.max(1, ...bins.a, ...bins.b));
  return (
    <figure className="compare-hist">
      <figcaption>{target}</figcaption>
      <div className="compare-legend" aria-hidden="true">
        <span style={{ color: JOB_COLORS.a }}>■ {a}</span> <span style={{ color: JOB_COLORS.b }}>■ {b}</span>
      </div>
      <ResponsiveContainer width="100%" height={180}>
        <ComposedChart
          data={[
            { x: bins.lo, y: 0 },
            { x: hi, y: top },
          ]}
          margin={{ top: 4, right: 12, bottom: 16, left: 4 }}
        >
          <CartesianGrid stroke={theme.grid} vertical={false} />
          <XAxis
            type="number"
            dataKey="x"
            domain={[bins.lo, hi]}
            ticks={ticks}
            tickFormatter={tickFormatter(ticks)}
            allowDataOverflow
            stroke={theme.muted}
            tick={{ fill: theme.muted }}
            label={{ value: `${target} loss`, position: 'insideBottom', offset: -8, fill: theme.muted }}
          />
          <YAxis
            type="number"
            dataKey="y"
            domain={[0, top]}
            tickFormatter={(v: number) => fmtCount(v)}
            allowDataOverflow
            width={48}
            stroke={theme.muted}
            tick={{ fill: theme.muted }}
          />
          <g className="job-a">
            <BoxLayer boxes={boxes(bins.a)} fill={JOB_COLORS.a} opacity={0.55} gap={0} />
          </g>
          <g className="job-b">
            <BoxLayer boxes={boxes(bins.b)} fill={JOB_COLORS.b} opacity={0.55} gap={0} />
          </g>
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
