// Marks drawn inside a recharts chart with its own scales (recharts 3 hooks): histogram bars,
// density cells, a polyline and points. Each takes at most a few thousand pre-binned items from
// DuckDB; nothing here sees a row.
import { type ReactNode, useId, useMemo } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function useScales() {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  return xs && ys ? { x: (v: number) => xs(v) ?? 0, y: (v: number) => ys(v) ?? 0 } : null;
}

/** Children clipped to the plot area (a zoomed axis must not let a line run over the labels). */
export function Clipped({ children }: { children: ReactNode }) {
  const id = `clip${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const area = usePlotArea();
  if (!area) return null;
  return (
    <g clipPath={`url(#${id})`}>
      <clipPath id={id}>
        <rect x={area.x} y={area.y} width={area.width} height={area.height} />
      </clipPath>
      {children}
    </g>
  );
}

function rectOf(s: NonNullable<ReturnType<typeof useScales>>, b: Box, gap = 0) {
  const [xa, xb] = [s.x(b.x0), s.x(b.x1)];
  const [ya, yb] = [s.y(b.y0), s.y(b.y1)];
  const x = Math.min(xa, xb) + gap / 2;
  return { x, y: Math.min(ya, yb), width: Math.max(0.5, Math.abs(xb - xa) - gap), height: Math.abs(yb - ya) };
}

/** Filled boxes (histogram bars); zero-height ones are skipped. */
export function BoxLayer({
  boxes,
  fill,
  opacity = 1,
  gap = 1,
}: {
  boxes: readonly Box[];
  fill: string;
  opacity?: number;
  gap?: number;
}) {
  const s = useScales();
  if (!s) return null;
  return (
    <g fill={fill} fillOpacity={opacity}>
      {boxes.map((b) => (b.y1 === b.y0 ? null : <rect key={`${b.x0}:${b.y0}`} {...rectOf(s, b, gap)} />))}
    </g>
  );
}

export interface DensityBox extends Box {
  n: number;
}

/**
 * 2-D counts as shaded cells: opacity by the square root of the count, so sparse cells still show.
 * Painted on a canvas and placed as one image: a profile's 1,200 cells as SVG rects made the
 * Parameters tab's first render ~2× slower (7 charts, 5,700 elements).
 */
export function DensityLayer({ cells, fill }: { cells: readonly DensityBox[]; fill: string }) {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  const area = usePlotArea();
  const [ax, ay, aw, ah] = area ? [area.x, area.y, area.width, area.height] : [0, 0, 0, 0];
  const href = useMemo(() => {
    if (!xs || !ys || !cells.length || aw <= 0 || ah <= 0) return null;
    const s = { x: (v: number) => xs(v) ?? 0, y: (v: number) => ys(v) ?? 0 };
    const dpr = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(aw * dpr);
    canvas.height = Math.ceil(ah * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.scale(dpr, dpr);
    ctx.translate(-ax, -ay);
    ctx.fillStyle = fill;
    let max = 1;
    for (const c of cells) if (c.n > max) max = c.n;
    for (const c of cells) {
      const r = rectOf(s, c);
      ctx.globalAlpha = 0.1 + 0.62 * Math.sqrt(c.n / max);
      ctx.fillRect(r.x, r.y, r.width, r.height);
    }
    return canvas.toDataURL();
  }, [xs, ys, cells, fill, ax, ay, aw, ah]);
  if (!href) return null;
  return (
    <image className="density" href={href} x={ax} y={ay} width={aw} height={ah} preserveAspectRatio="none" />
  );
}

export interface Pt {
  x: number;
  y: number;
}

/** A line through points in order; a null breaks it (an empty bin). */
export function PolylineLayer({
  points,
  stroke,
  width = 2,
}: {
  points: readonly (Pt | null)[];
  stroke: string;
  width?: number;
}) {
  const s = useScales();
  if (!s) return null;
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${s.x(p.x).toFixed(1)},${s.y(p.y).toFixed(1)}`;
    pen = true;
  }
  return (
    <Clipped>
      <path d={d} fill="none" stroke={stroke} strokeWidth={width} strokeLinejoin="round" />
    </Clipped>
  );
}

/** Dots, drawn above the rest; `title` gives each a hover text. */
export function PointsLayer({
  points,
  fill,
  stroke,
  r = 3.5,
}: {
  points: readonly (Pt & { title?: string })[];
  fill: string;
  stroke?: string;
  r?: number;
}) {
  const s = useScales();
  if (!s) return null;
  return (
    <Clipped>
      <g fill={fill} stroke={stroke} strokeWidth={stroke ? 1 : 0}>
        {points.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: points may repeat coordinates
          <circle key={i} cx={s.x(p.x)} cy={s.y(p.y)} r={r}>
            {p.title ? <title>{p.title}</title> : null}
          </circle>
        ))}
      </g>
    </Clipped>
  );
}
