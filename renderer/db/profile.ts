// Parameter profiles for one target (the Parameters view): per parameter the minimum loss per bin,
// the density of all sets behind it, the failed/missing share per bin, the best sets as points and
// the Δloss (profile-likelihood) interval. Domains come from the filter without brushes, so a
// brushed range does not rescale its own chart; each profile is drawn under every brush but its own.
import type { LossFilter } from '../../shared/query-types.ts';
import type { ParamType } from '../../shared/schema.ts';
import { num, type Plain, plainRows } from './arrow-rows.ts';
import { baseFilter, withoutBrush } from './brush-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import {
  bestRowsSql,
  intervalSql,
  type LossAxis,
  type ProfileAxis,
  profileSql,
  profileStatsAllSql,
  profileStatsSql,
} from './profile-sql.ts';

export const PARAM_BINS = 40;
export const LOSS_BINS = 30;
/** The Parameters tab's best N drawn as points, unless the user sets another. */
export const DEFAULT_BEST_N = 20;
/** More distinct values than this: not profiled per category. */
export const MAX_CATEGORIES = 40;
/** A numeric parameter with at most this many distinct values is shown per value. */
const FEW_VALUES = 12;

export interface ParamInfo {
  column: string;
  name: string;
  type: ParamType;
}

export interface ProfileBin {
  /** Numeric bins: the edges; categories: the value as text (null for NULL). */
  x0: number;
  x1: number;
  label: string | null;
  rows: number;
  ok: number;
  failed: number;
  missing: number;
  min: number | null;
}

export interface DensityCell {
  bin: number;
  iy: number;
  n: number;
}

export interface Profile {
  param: ParamInfo;
  axis: ProfileAxis | null;
  /** Why there is no profile (no values, too many categories). */
  note: string | null;
  bins: ProfileBin[];
  cells: DensityCell[];
  /** ok rows above the density's top (counted, not drawn). */
  clipped: number;
  distinct: number;
}

export interface ProfileSet {
  target: string;
  nOk: number;
  y: LossAxis & { hi: number; zoomed: boolean };
  profiles: Profile[];
}

export interface Interval {
  lo?: number;
  hi?: number;
  categories?: string[];
}
export interface IntervalSet {
  target: string;
  minLoss: number | null;
  threshold: number | null;
  /** Per parameter column. */
  byParam: Map<string, Interval>;
}

/**
 * Profiles scan every row of a target (GROUPING SETS over each parameter): the host's native,
 * multi-threaded DuckDB answers them 3–5× faster than the single-threaded WASM copy even after the
 * round trip (1M rows: 116 + 200 ms in WASM), so they go there when there is a host.
 */
const HEAVY = { preferHost: true } as const;

/** Answers kept per session (data version, target, filter…): a tab's return, and the warm-up. */
const KEEP = 8;

export class ProfileQueries {
  private readonly kept = new Map<string, Promise<unknown>>();
  /** Every target's stats per (version, columns, filter without brushes): kept apart, few and small. */
  private readonly allStats = new Map<string, Promise<Map<string, Plain>>>();

  constructor(
    private readonly engine: SqlEngine,
    /** The rows' version: a kept answer is only served for the version it was read at. */
    private readonly version: () => number = () => 0,
  ) {}

  private once<T>(what: unknown, run: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([this.version(), what]);
    let hit = this.kept.get(key) as Promise<T> | undefined;
    if (hit) {
      this.kept.delete(key); // re-inserted: Map order is the LRU order
    } else {
      hit = run();
      hit.catch(() => this.kept.delete(key));
    }
    this.kept.set(key, hit);
    while (this.kept.size > KEEP) this.kept.delete(this.kept.keys().next().value as string);
    return hit;
  }

  /** `span`: the loss axis covers [min, min + span] (a likelihood's Δ zoom); else to the 90th percentile. */
  profiles(
    target: string,
    params: readonly ParamInfo[],
    filter: LossFilter,
    span: number | null = null,
  ): Promise<ProfileSet> {
    return this.once(['profiles', target, params, filter, span], () =>
      this.profilesNow(target, params, filter, span),
    );
  }

  private async profilesNow(
    target: string,
    params: readonly ParamInfo[],
    filter: LossFilter,
    span: number | null,
  ): Promise<ProfileSet> {
    const s = await this.stats(
      target,
      params.map((p) => p.column),
      baseFilter(filter),
    );
    const nOk = num(s?.n_ok) ?? 0;
    const lo = num(s?.y_lo);
    const hi = num(s?.y_hi);
    const q90 = num(s?.y_q90);
    const y = {
      lo: lo ?? 0,
      hi: hi ?? 1,
      top:
        span !== null && span > 0 && lo !== null
          ? lo + span
          : q90 !== null && lo !== null && q90 > lo
            ? q90
            : (hi ?? 1),
      bins: LOSS_BINS,
      zoomed: span !== null && span > 0 && lo !== null,
    };
    const profiles: Profile[] = params.map((p, i) => makeAxis(p, s, i));
    if (nOk === 0 && lo === null) return { target, nOk, y, profiles };
    // Parameters with a brush of their own are drawn without it: one query each; the rest share one.
    const own = (p: Profile) => p.axis && filter.paramRanges?.[p.param.column] !== undefined;
    const groups: [LossFilter, Profile[]][] = [[filter, profiles.filter((p) => p.axis && !own(p))]];
    for (const p of profiles.filter(own)) groups.push([withoutBrush(filter, { param: p.param.column }), [p]]);
    for (const [f, ps] of groups) {
      if (!ps.length) continue;
      const axes = ps.map((p) => p.axis!);
      const rows = plainRows(await this.engine.query(profileSql(target, axes, y, f), HEAVY));
      for (const [i, p] of ps.entries())
        fill(
          p,
          rows.filter((r) => num(r.__g) === i),
          y.bins,
        );
    }
    return { target, nOk, y, profiles };
  }

  /**
   * Every target's stats under `filter` in one scan (~2.5× one target's), in the background once a
   * profile is drawn, so choosing another target costs its profile query only. A target chosen
   * while this runs waits for it rather than queueing a second scan behind it.
   */
  prefetchStats(params: readonly ParamInfo[], filter: LossFilter): Promise<Map<string, Plain>> {
    const cols = params.map((p) => p.column);
    const key = this.statsKey(cols, baseFilter(filter));
    let hit = this.allStats.get(key);
    if (!hit) {
      hit = this.engine
        .query(profileStatsAllSql(cols, baseFilter(filter)), HEAVY)
        .then((t) => new Map(plainRows(t).map((r) => [String(r.target), r])));
      hit.catch(() => this.allStats.delete(key));
      this.allStats.set(key, hit);
      while (this.allStats.size > 4) this.allStats.delete(this.allStats.keys().next().value as string);
    }
    return hit;
  }

  private statsKey(cols: readonly string[], base: LossFilter): string {
    return JSON.stringify([this.version(), cols, base]);
  }

  private async stats(target: string, cols: readonly string[], base: LossFilter): Promise<Plain | undefined> {
    const all = this.allStats.get(this.statsKey(cols, base));
    const row = all ? await all.then((m) => m.get(target) ?? null).catch(() => null) : null;
    if (row) return row;
    // Not prefetched, or no row for it (no rows at all: the one-target query still answers n_ok 0).
    const [s] = plainRows(await this.engine.query(profileStatsSql(target, cols, base), HEAVY));
    return s;
  }

  best(target: string, params: readonly ParamInfo[], filter: LossFilter, n: number): Promise<Plain[]> {
    return this.once(['best', target, params, filter, n], () => this.bestNow(target, params, filter, n));
  }

  private async bestNow(
    target: string,
    params: readonly ParamInfo[],
    filter: LossFilter,
    n: number,
  ): Promise<Plain[]> {
    const sql = bestRowsSql(
      target,
      params.map((p) => p.column),
      filter,
      n,
    );
    return plainRows(await this.engine.query(sql, HEAVY));
  }

  /**
   * Δloss intervals of every profiled parameter, each under the filter its profile is drawn with.
   * The axes come from the stats alone, so this runs beside the profile query, not after it.
   */
  intervals(
    target: string,
    params: readonly ParamInfo[],
    filter: LossFilter,
    delta: number,
  ): Promise<IntervalSet> {
    return this.once(['intervals', target, params, filter, delta], async () => {
      const s = await this.stats(
        target,
        params.map((p) => p.column),
        baseFilter(filter),
      );
      return this.intervalsNow(
        target,
        params.map((p, i) => makeAxis(p, s, i)),
        filter,
        delta,
      );
    });
  }

  private async intervalsNow(
    target: string,
    profiles: readonly Profile[],
    filter: LossFilter,
    delta: number,
  ): Promise<IntervalSet> {
    const out: IntervalSet = { target, minLoss: null, threshold: null, byParam: new Map() };
    const withAxis = profiles.filter((p) => p.axis);
    const own = (p: Profile) => filter.paramRanges?.[p.param.column] !== undefined;
    const groups: [LossFilter, Profile[]][] = [[filter, withAxis.filter((p) => !own(p))]];
    for (const p of withAxis.filter(own)) groups.push([withoutBrush(filter, { param: p.param.column }), [p]]);
    for (const [f, ps] of groups) {
      if (!ps.length) continue;
      const [r] = plainRows(
        await this.engine.query(
          intervalSql(
            target,
            ps.map((p) => p.axis!),
            f,
            delta,
          ),
          HEAVY,
        ),
      );
      if (!r) continue;
      if (f === filter || out.minLoss === null) {
        out.minLoss = num(r.min_loss);
        out.threshold = num(r.threshold);
      }
      ps.forEach((p, i) => {
        const cats = r[`cats_${i}`] as { toArray?: () => unknown[] } | unknown[] | null | undefined;
        out.byParam.set(
          p.param.column,
          p.axis!.kind === 'numeric'
            ? { lo: num(r[`lo_${i}`]) ?? undefined, hi: num(r[`hi_${i}`]) ?? undefined }
            : { categories: listOf(cats).map((c) => (c === null ? 'null' : String(c))) },
        );
      });
    }
    return out;
  }
}

function listOf(v: unknown): unknown[] {
  if (!v) return [];
  if (Array.isArray(v)) return v;
  const t = v as { toArray?: () => unknown[] };
  return t.toArray ? [...t.toArray()] : [];
}

function makeAxis(p: ParamInfo, s: Plain | undefined, i: number): Profile {
  const lo = num(s?.[`lo_${i}`]);
  const hi = num(s?.[`hi_${i}`]);
  const distinct = num(s?.[`nd_${i}`]) ?? 0;
  const base: Profile = { param: p, axis: null, note: null, bins: [], cells: [], clipped: 0, distinct };
  const numeric = p.type === 'DOUBLE' || p.type === 'BIGINT';
  if (numeric && lo !== null && hi !== null && distinct > FEW_VALUES) {
    const log = lo > 0 && hi / lo >= 100;
    const [a, b] = log ? [Math.log10(lo), Math.log10(hi)] : [lo, hi];
    return { ...base, axis: { kind: 'numeric', column: p.column, lo: a, hi: b, bins: PARAM_BINS, log } };
  }
  if (distinct > MAX_CATEGORIES)
    return {
      ...base,
      note: `${distinct.toLocaleString('en-US')} distinct values: too many to profile per value`,
    };
  if (lo === null && hi === null && distinct === 0) return { ...base, note: 'no values' };
  return { ...base, axis: { kind: 'category', column: p.column } };
}

const emptyBin = (label: string | null): ProfileBin => ({
  x0: 0,
  x1: 0,
  label,
  rows: 0,
  ok: 0,
  failed: 0,
  missing: 0,
  min: null,
});

function fill(p: Profile, rows: Plain[], yBins: number): void {
  const axis = p.axis!;
  const byX = new Map<string | null, ProfileBin>();
  const raw: { key: string; iy: number; n: number }[] = [];
  for (const r of rows) {
    const key = r.__x === null || r.__x === undefined ? null : String(r.__x);
    const b = byX.get(key) ?? emptyBin(key);
    byX.set(key, b);
    const n = num(r.n) ?? 0;
    const iy = num(r.__iy);
    b.rows += n;
    if (iy === null) {
      const failed = num(r.failed) ?? 0;
      b.failed += failed;
      b.missing += n - failed;
      continue;
    }
    b.ok += n;
    const m = num(r.min_loss);
    if (m !== null && (b.min === null || m < b.min)) b.min = m;
    if (iy >= yBins) p.clipped += n;
    else if (key !== null) raw.push({ key, iy, n });
  }
  if (axis.kind === 'numeric') {
    const w = (axis.hi - axis.lo) / axis.bins;
    const edge = (i: number) => (axis.log ? 10 ** (axis.lo + i * w) : axis.lo + i * w);
    const top = axis.log ? 10 ** axis.hi : axis.hi;
    // Rows whose value has no bin (NULL, or ≤ 0 on a log axis) are in no bin.
    p.bins = Array.from({ length: axis.bins }, (_, i) => ({
      ...(byX.get(String(i)) ?? emptyBin(String(i))),
      x0: edge(i),
      x1: i === axis.bins - 1 ? top : edge(i + 1),
    }));
    p.cells = raw.map((c) => ({ bin: Number(c.key), iy: c.iy, n: c.n }));
  } else {
    p.bins = [...byX.values()].sort((a, b) => categoryOrder(a.label, b.label));
    p.bins.forEach((c, i) => {
      c.x0 = i;
      c.x1 = i + 1;
    });
    const index = new Map(p.bins.map((c, i) => [c.label, i]));
    p.cells = raw.map((c) => ({ bin: index.get(c.key) ?? 0, iy: c.iy, n: c.n }));
  }
}

/** Categories in natural order: numbers numerically, false before true, NULL last. */
function categoryOrder(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const [x, y] = [Number(a), Number(b)];
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a.localeCompare(b);
}

const perEngine = new WeakMap<SqlEngine, ProfileQueries>();

/** One ProfileQueries per session engine, so kept answers outlive a tab switch. */
export function profileQueriesFor(engine: SqlEngine, version: () => number): ProfileQueries {
  let q = perEngine.get(engine);
  if (!q) {
    q = new ProfileQueries(engine, version);
    perEngine.set(engine, q);
  }
  return q;
}
