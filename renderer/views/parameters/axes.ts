// The x axis of one parameter's profile: numeric (linear or log over the bins' edges) or one slot
// per category, with the ticks and labels recharts is given.
import { fmt, fmtTick, tickFormatter } from '../../components/charts/format.ts';
import { linearTicks, logTicks } from '../../components/charts/ticks.ts';
import type { Profile } from '../../db/profile.ts';

export interface XAxisSpec {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
  format(v: number): string;
  /** Where a value sits on this axis (a category's slot centre). */
  at(v: unknown): number | null;
  /** Centre of bin i. */
  centre(i: number): number;
  numeric: boolean;
}

const short = (s: string) => (s.length > 14 ? `${s.slice(0, 13)}…` : s);

export function xAxisOf(p: Profile): XAxisSpec | null {
  const bins = p.bins;
  if (!p.axis || !bins.length) return null;
  if (p.axis.kind === 'numeric') {
    const log = p.axis.log;
    const lo = bins[0]!.x0;
    const hi = bins.at(-1)!.x1;
    const ticks = log ? logTicks(lo, hi, 5) : linearTicks(lo, hi, 4);
    return {
      lo,
      hi,
      log,
      numeric: true,
      ticks,
      format: log ? fmtTick : tickFormatter(ticks),
      at: (v) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null),
      centre: (i) => (log ? Math.sqrt(bins[i]!.x0 * bins[i]!.x1) : (bins[i]!.x0 + bins[i]!.x1) / 2),
    };
  }
  const index = new Map(bins.map((b, i) => [b.label, i]));
  return {
    lo: 0,
    hi: bins.length,
    log: false,
    numeric: false,
    ticks: bins.map((_, i) => i + 0.5),
    format: (v) => {
      const b = bins[Math.floor(v)];
      return b ? short(b.label ?? 'null') : '';
    },
    at: (v) => {
      const i = index.get(v === null || v === undefined ? null : String(v));
      return i === undefined ? null : i + 0.5;
    },
    centre: (i) => i + 0.5,
  };
}

export const fmtValue = (v: unknown) =>
  typeof v === 'number' ? fmt(v) : typeof v === 'bigint' ? v.toLocaleString('en-US') : String(v);
