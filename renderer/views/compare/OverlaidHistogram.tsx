// One target's loss distribution in both jobs, on common bins, drawn over each other.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fmt, fmtCount, fmtTick } from '../../components/charts/format.ts';
import type { ChartTheme } from '../../components/charts/theme.ts';
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
  const width = (bins.hi - bins.lo) / bins.a.length;
  const data = bins.a.map((n, i) => ({ x: bins.lo + (i + 0.5) * width, [a]: n, [b]: bins.b[i] ?? 0 }));
  return (
    <figure className="compare-hist">
      <figcaption>{target}</figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <BarChart
          data={data}
          barGap={-100}
          barCategoryGap={0}
          margin={{ top: 4, right: 8, bottom: 16, left: 8 }}
        >
          <CartesianGrid stroke={theme.grid} vertical={false} />
          <XAxis
            dataKey="x"
            tickFormatter={fmtTick}
            stroke={theme.muted}
            label={{ value: `loss (${target})`, position: 'insideBottom', offset: -8, fill: theme.muted }}
          />
          <YAxis tickFormatter={fmtCount} stroke={theme.muted} width={56} />
          <Tooltip
            formatter={(v) => fmtCount(Number(v))}
            labelFormatter={(x) => `loss ≈ ${fmt(Number(x))}`}
          />
          <Legend verticalAlign="top" height={20} />
          <Bar dataKey={a} fill={JOB_COLORS.a} fillOpacity={0.55} isAnimationActive={false} />
          <Bar dataKey={b} fill={JOB_COLORS.b} fillOpacity={0.55} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
