// Drag across a chart to select an x range (snapped by the caller, e.g. to bin edges); a click
// without a drag clears it. Hovering reports the value under the pointer, for a text readout
// instead of tooltips that would cover the marks. Given the chart's bins, the brush also takes
// focus and answers the keyboard (brush-keys.ts).
import { type KeyboardEvent, type PointerEvent, useId, useState } from 'react';
import { usePlotArea, useXAxisInverseScale, useXAxisScale } from 'recharts';
import type { Range } from '../../../shared/query-types.ts';
import { type Bin, BRUSH_KEYS_HELP, keyBrush } from './brush-keys.ts';
import { fmt } from './format.ts';

export interface BrushProps {
  range: Range | null;
  onChange(range: Range | null): void;
  /** Snap a dragged [a, b] (a ≤ b, in data units) to what the filter should hold. */
  snap?(lo: number, hi: number): [number, number];
  onHover?(x: number | null): void;
  fill: string;
  label: string;
  /** The chart's bins, in order: the steps of keyboard brushing. */
  bins?: readonly Bin[];
  /** The pointer or focus came to the brush: a brush may follow (the caller can get ready). */
  onStart?(): void;
}

export function BrushLayer({ range, onChange, snap, onHover, fill, label, bins, onStart }: BrushProps) {
  const helpId = useId();
  const area = usePlotArea();
  const inv = useXAxisInverseScale();
  const xs = useXAxisScale();
  const [drag, setDrag] = useState<[number, number] | null>(null);
  if (!area || !inv || !xs) return null;
  const px = (e: PointerEvent<SVGRectElement>) => {
    const svg = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    return Math.max(area.x, Math.min(area.x + area.width, e.clientX - svg.left));
  };
  const value = (p: number) => Number(inv(p));
  let shown: [number, number] | null = drag ? [Math.min(...drag), Math.max(...drag)] : null;
  if (!shown && range) {
    const [lo, hi] = range;
    const a = lo === null ? area.x : (xs(lo) ?? area.x);
    const b = hi === null ? area.x + area.width : (xs(hi) ?? area.x + area.width);
    shown = [Math.max(area.x, Math.min(a, b)), Math.min(area.x + area.width, Math.max(a, b))];
  }
  return (
    <g>
      {shown ? (
        <rect
          className="brush-selection"
          x={shown[0]}
          y={area.y}
          width={Math.max(1, shown[1] - shown[0])}
          height={area.height}
          fill={fill}
          fillOpacity={0.18}
          stroke={fill}
        />
      ) : null}
      {bins?.length ? <desc id={helpId}>{BRUSH_KEYS_HELP}</desc> : null}
      <rect
        aria-label={label}
        className="brush-area"
        x={area.x}
        y={area.y}
        width={area.width}
        height={area.height}
        fill="transparent"
        style={{ cursor: 'crosshair', touchAction: 'none' }}
        {...(bins?.length
          ? {
              tabIndex: 0,
              role: 'slider',
              'aria-describedby': helpId,
              'aria-valuemin': bins[0]!.x0,
              'aria-valuemax': bins.at(-1)!.x1,
              'aria-valuenow': range?.[0] ?? bins[0]!.x0,
              'aria-valuetext': range ? `${fmt(range[0])} to ${fmt(range[1])}` : 'no range brushed',
              onFocus: onStart,
              onKeyDown: (e: KeyboardEvent<SVGRectElement>) => {
                const next = keyBrush(e.key, e.shiftKey, range, bins);
                if (next === undefined) return;
                e.preventDefault();
                onChange(next);
              },
            }
          : {})}
        onPointerEnter={onStart}
        onPointerDown={(e) => {
          onStart?.();
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = px(e);
          setDrag([p, p]);
        }}
        onPointerMove={(e) => {
          const p = px(e);
          if (drag) setDrag([drag[0], p]);
          onHover?.(value(p));
        }}
        onPointerLeave={() => onHover?.(null)}
        onPointerUp={(e) => {
          if (!drag) return;
          const [a, b] = [Math.min(drag[0], px(e)), Math.max(drag[0], px(e))];
          setDrag(null);
          if (b - a < 3) return onChange(null);
          const [lo, hi] = [value(a), value(b)];
          onChange(snap ? snap(lo, hi) : [lo, hi]);
        }}
      />
    </g>
  );
}
