// Two targets' losses: every set's pair as a DuckDB-binned density, the Pareto front as a step
// line with its points on top.
import { CartesianGrid, ComposedChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { fmt, tickFormatter } from '../../components/charts/format.ts';
import { DensityLayer, PointsLayer, PolylineLayer, type Pt } from '../../components/charts/layers.tsx';
import type { ChartTheme } from '../../components/charts/theme.ts';
import { linearTicks } from '../../components/charts/ticks.ts';
import type { PairResult } from '../../db/pareto.ts';

export function PairChart({ pair, theme }: { pair: PairResult; theme: ChartTheme }) {
  const x = pair.axes!;
  const [wa, wb] = [(x.aHi - x.aLo) / x.aBins, (x.bHi - x.bLo) / x.bBins];
  const cells = pair.cells.map((c) => ({
    x0: x.aLo + c.ia * wa,
    x1: x.aLo + (c.ia + 1) * wa,
    y0: x.bLo + c.ib * wb,
    y1: x.bLo + (c.ib + 1) * wb,
    n: c.n,
  }));
  // The front as a staircase: from each point right along its b, then down to the next point's b.
  const steps: Pt[] = [];
  pair.front.forEach((p, i) => {
    const prev = pair.front[i - 1];
    if (prev) steps.push({ x: p.a, y: prev.b });
    steps.push({ x: p.a, y: p.b });
  });
  // A little room around the bins, so a front point on the minimum is not cut in half.
  const pa = (x.aHi - x.aLo) * 0.02;
  const pb = (x.bHi - x.bLo) * 0.02;
  const [ax0, ax1, by0, by1] = [x.aLo - pa, x.aHi + pa, x.bLo - pb, x.bHi + pb];
  const xt = linearTicks(ax0, ax1, 6);
  const yt = linearTicks(by0, by1, 5);
  return (
    <ResponsiveContainer width="100%" height={470}>
      <ComposedChart
        data={[
          { x: ax0, y: by0 },
          { x: ax1, y: by1 },
        ]}
        margin={{ top: 24, right: 16, bottom: 22, left: 8 }}
      >
        <CartesianGrid stroke={theme.grid} />
        <XAxis
          type="number"
          dataKey="x"
          domain={[ax0, ax1]}
          ticks={xt}
          tickFormatter={tickFormatter(xt)}
          allowDataOverflow
          stroke={theme.muted}
          tick={{ fill: theme.muted }}
          label={{ value: `${x.a} loss`, position: 'insideBottom', offset: -14, fill: theme.fg }}
        />
        <YAxis
          type="number"
          dataKey="y"
          domain={[by0, by1]}
          ticks={yt}
          tickFormatter={tickFormatter(yt)}
          allowDataOverflow
          width={64}
          stroke={theme.muted}
          tick={{ fill: theme.muted }}
          label={{
            value: `${x.b} loss`,
            position: 'top',
            offset: 10,
            fill: theme.fg,
            style: { textAnchor: 'start' },
          }}
        />
        <DensityLayer cells={cells} fill={theme.density} />
        <PolylineLayer points={steps} stroke={theme.line} />
        <PointsLayer
          points={pair.front.map((p) => ({
            x: p.a,
            y: p.b,
            title: `${p.param_id.slice(0, 8)}: ${x.a} ${fmt(p.a)}, ${x.b} ${fmt(p.b)}`,
          }))}
          fill={theme.line}
          stroke={theme.point}
          r={4}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
