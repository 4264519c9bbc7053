// Numbers on charts: significant digits (losses span orders of magnitude across targets), thousands
// separators, exponents only for the very small or very large. Copies keep full precision elsewhere.

const bySig = new Map<number, Intl.NumberFormat>();
const sigFormat = (sig: number) => {
  let f = bySig.get(sig);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { maximumSignificantDigits: sig });
    bySig.set(sig, f);
  }
  return f;
};
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A value with `sig` significant digits: 1,495.3 · 0.04213 · 1.2e-7. */
export function fmt(v: number | null | undefined, sig = 4): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e12)) return v.toExponential(Math.max(0, sig - 2));
  return sigFormat(sig).format(v);
}

/** Axis ticks: three significant digits, compact. */
export const fmtTick = (v: number) => fmt(v, 3);

/**
 * A formatter for these ticks: the fewest significant digits (3 or more) at which every tick reads
 * back as itself, so -1,475 is not shown as -1,480 beside -1,450.
 */
export function tickFormatter(ticks: readonly number[]): (v: number) => string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 0;
  for (let sig = 3; sig <= 9; sig++) {
    const exact = ticks.every((t) => Math.abs(Number(fmt(t, sig).replace(/,/g, '')) - t) <= step * 1e-6);
    if (exact) return (v) => fmt(v, sig);
  }
  return (v) => fmt(v, 10);
}

export const fmtCount = (n: number) => integer.format(n);

/** "12.5 %" from a fraction. */
export const fmtPct = (f: number) => `${fmt(f * 100, f < 0.001 && f > 0 ? 1 : 3)} %`;
