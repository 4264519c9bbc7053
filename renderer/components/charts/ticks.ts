// Tick positions we choose ourselves (recharts' own log ticks crowd or vanish): round steps on a
// linear axis, 1-2-5 per decade on a log axis, thinned to about `count`.

export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

export function logTicks(lo: number, hi: number, count = 6): number[] {
  if (!(lo > 0 && hi > lo)) return [lo];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(Number(v.toPrecision(12)));
    }
  if (out.length <= count) return out.length >= 2 ? out : [lo, hi];
  const decades = out.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  if (decades.length >= 2 && decades.length <= count) return decades;
  const every = Math.ceil(decades.length / count);
  return decades.filter((_, i) => i % every === 0);
}

/** `v` rounded up to a round step (1, 2, 2.5, 5 × 10ⁿ for about `count` steps from 0). */
export function niceMax(v: number, count = 2): number {
  if (!(v > 0)) return 1;
  const raw = v / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  return Number((Math.ceil(v / step - 1e-9) * step).toPrecision(12));
}
