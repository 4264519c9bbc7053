// The linked histograms' queries. The overview (counts by status, loss ranges) depends only on the
// filter without brushes; the bins are counted on those fixed edges twice: every parameter set
// (background) and those inside the other histograms' and profiles' brushes (foreground). With
// the store in memory both come from the derived pivot table in one scan of a row per set;
// otherwise from the loss rows, linked only while that stays affordable.
import type { Manifest } from '../../shared/manifest.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import type { AnalysisQueries, PivotLayout } from './analysis.ts';
import { num, plainRows } from './arrow-rows.ts';
import type { BrushCube } from './brush-cube.ts';
import { baseFilter, hasBrushes, pivotBrushPredicates, withoutBrush } from './brush-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { type BinSpec, directBinsSql, overviewSql, pivotBinsSql } from './histogram-sql.ts';

/** Beyond this many rows the loss rows are not semi-joined per brush (the pivot is not in memory). */
export const DIRECT_LINK_MAX_ROWS = 3_000_000;
/** Bins per histogram until the user picks others. */
export const DEFAULT_HIST_BINS = 40;

export interface TargetOverview {
  target: string;
  rows: number;
  failed: number;
  missing: number;
  /** ok losses: count and range; the same for positive ones (log scale), null when unknown. */
  n: number;
  lo: number | null;
  hi: number | null;
  nPos: number | null;
  loPos: number | null;
  hiPos: number | null;
}

export interface HistBin {
  x0: number;
  x1: number;
  all: number;
  /** Inside the other charts' brushes (equals `all` when nothing else is brushed). */
  sel: number;
}

export interface TargetHistogram {
  target: string;
  log: boolean;
  bins: HistBin[];
  /** ok losses left out: the non-positive ones on a log scale. */
  leftOut: number;
}

export interface HistogramSet {
  histograms: TargetHistogram[];
  /** How the foreground was computed, or why there is none. */
  linked: 'pivot' | 'direct' | 'unlinked' | 'too-large';
}

export class HistogramQueries {
  constructor(
    private readonly engine: SqlEngine,
    private readonly analysis: AnalysisQueries,
    private readonly layout: () => PivotLayout | null,
    private readonly manifest: () => Manifest | null,
    /** Answers brushes on the active histogram without a query, once prepared (brush-cube.ts). */
    private readonly cube: BrushCube | null = null,
  ) {}

  /**
   * Prepare the cube for brushing `target`'s histogram (pointer or focus entered it): the specs
   * are the ones `histograms` bins on, the edges those of the bars drawn (`hist`).
   */
  async prepareBrush(
    filter: LossFilter,
    overview: readonly TargetOverview[],
    bins: number,
    logTargets: ReadonlySet<string>,
    hist: TargetHistogram,
  ): Promise<void> {
    const layout = this.layout();
    const specs = this.specs(overview, bins, logTargets);
    const active = specs.find((s) => s.target === hist.target);
    if (!this.cube || !layout || !active || !hist.bins.length) return;
    // The cube reads the sets table: build it now if need be (a brush is what comes next).
    const pivot = await this.analysis.setsTable(baseFilter(filter));
    if (!pivot) return;
    const edges = [...hist.bins.map((b) => b.x0), hist.bins.at(-1)!.x1];
    await this.cube.prepare(filter, active, edges, specs, pivot.name, layout);
  }

  private specs(
    overview: readonly TargetOverview[],
    bins: number,
    logTargets: ReadonlySet<string>,
  ): BinSpec[] {
    return overview.flatMap((o) => {
      const s = binSpec(o, bins, logTargets.has(o.target));
      return s ? [s] : [];
    });
  }

  /** Per target under the filter's non-brush part; from the manifest when that is exact. */
  async overview(filter: LossFilter): Promise<TargetOverview[]> {
    const base = baseFilter(filter);
    const m = this.manifest();
    const fromManifest = m && !base.where?.trim() && !base.statuses?.length ? manifestOverview(m) : null;
    const rows = fromManifest ?? (await this.queryOverview(base));
    const only = base.targets?.length ? new Set(base.targets) : null;
    return rows.filter((r) => !only || only.has(r.target));
  }

  private async queryOverview(filter: LossFilter): Promise<TargetOverview[]> {
    return plainRows(await this.engine.query(overviewSql(filter))).map((r) => ({
      target: String(r.target),
      rows: num(r.rows) ?? 0,
      failed: num(r.failed) ?? 0,
      missing: num(r.missing) ?? 0,
      n: num(r.n) ?? 0,
      lo: num(r.lo),
      hi: num(r.hi),
      nPos: num(r.n_pos),
      loPos: num(r.lo_pos),
      hiPos: num(r.hi_pos),
    }));
  }

  /** Positive-loss range for log scales when the manifest could not say (a target with losses ≤ 0). */
  async withPositive(filter: LossFilter, ov: TargetOverview[]): Promise<TargetOverview[]> {
    if (ov.every((o) => o.nPos !== null)) return ov;
    const q = new Map((await this.queryOverview(baseFilter(filter))).map((o) => [o.target, o]));
    return ov.map((o) => (o.nPos !== null ? o : { ...o, ...pick(q.get(o.target)) }));
  }

  async histograms(
    filter: LossFilter,
    overview: readonly TargetOverview[],
    bins: number,
    logTargets: ReadonlySet<string>,
  ): Promise<HistogramSet> {
    const specs = this.specs(overview, bins, logTargets);
    let counts = new Map<string, Map<number, { all: number; sel: number }>>();
    const put = (target: string, bin: number, all: number | null, sel: number | null) => {
      const m = counts.get(target) ?? new Map();
      counts.set(target, m);
      const c = m.get(bin) ?? { all: 0, sel: 0 };
      if (all !== null) c.all = all;
      if (sel !== null) c.sel = sel;
      m.set(bin, c);
    };
    let linked: HistogramSet['linked'] = 'pivot';
    const layout = this.layout();
    // Unbrushed bins need no pairing by set: read them from the rows rather than wait for the sets
    // table (~3 s at 10M rows on the host); brushes need it, built or awaited.
    const base = baseFilter(filter);
    const ready = specs.length && layout ? this.analysis.setsReady(base) : null;
    const pivot =
      ready ?? (specs.length && layout && hasBrushes(filter) ? await this.analysis.setsTable(base) : null);
    const fromCube = pivot ? await this.cube?.histograms(filter, specs, pivot.name) : null;
    if (fromCube) counts = fromCube;
    else if (pivot && layout) {
      const sql = pivotBinsSql(pivot.name, specs, (t) =>
        pivotBrushPredicates(withoutBrush(filter, { target: t }), layout),
      );
      for (const r of plainRows(await this.engine.query(sql)))
        put(String(r.target), num(r.__bin) ?? 0, num(r.n_all), num(r.n_sel));
    } else {
      const sql = directBinsSql(baseFilter(filter), specs);
      const rows = sql ? plainRows(await this.engine.query(sql)) : [];
      for (const r of rows) put(String(r.target), num(r.__bin) ?? 0, num(r.n), num(r.n));
      linked = hasBrushes(filter) ? await this.directForeground(filter, specs, put) : 'pivot';
    }
    const histograms = specs.map((s) => toHistogram(s, counts.get(s.target), overview));
    return { histograms, linked };
  }

  private async directForeground(
    filter: LossFilter,
    specs: readonly BinSpec[],
    put: (t: string, bin: number, all: null, sel: number) => void,
  ): Promise<HistogramSet['linked']> {
    const rows = this.manifest()?.counts.rows ?? 0;
    if (rows > DIRECT_LINK_MAX_ROWS) return 'too-large';
    for (const s of specs) {
      const sql = directBinsSql(withoutBrush(filter, { target: s.target }), [s]);
      if (!sql) continue;
      const seen = new Set<number>();
      for (const r of plainRows(await this.engine.query(sql))) {
        seen.add(num(r.__bin) ?? 0);
        put(s.target, num(r.__bin) ?? 0, null, num(r.n) ?? 0);
      }
      for (let b = 0; b < s.bins; b++) if (!seen.has(b)) put(s.target, b, null, 0);
    }
    return 'direct';
  }
}

function pick(o: TargetOverview | undefined): Pick<TargetOverview, 'nPos' | 'loPos' | 'hiPos'> {
  return { nPos: o?.nPos ?? 0, loPos: o?.loPos ?? null, hiPos: o?.hiPos ?? null };
}

/** Edges for one target, or null when it has no usable loss. A single value gets one unit-wide bin. */
export function binSpec(o: TargetOverview, bins: number, log: boolean): BinSpec | null {
  const [lo, hi, n] = log
    ? [o.loPos === null ? null : Math.log10(o.loPos), o.hiPos === null ? null : Math.log10(o.hiPos), o.nPos]
    : [o.lo, o.hi, o.n];
  if (lo === null || hi === null || !n) return null;
  if (hi > lo) return { target: o.target, lo, hi, bins, log };
  return { target: o.target, lo: lo - 0.5, hi: hi + 0.5, bins: 1, log };
}

export function toHistogram(
  s: BinSpec,
  counts: Map<number, { all: number; sel: number }> | undefined,
  overview: readonly TargetOverview[],
): TargetHistogram {
  const o = overview.find((x) => x.target === s.target);
  const width = (s.hi - s.lo) / s.bins;
  const bins: HistBin[] = [];
  for (let i = 0; i < s.bins; i++) {
    const [a, b] = [s.lo + i * width, i === s.bins - 1 ? s.hi : s.lo + (i + 1) * width];
    const c = counts?.get(i) ?? { all: 0, sel: 0 };
    bins.push({ x0: s.log ? 10 ** a : a, x1: s.log ? 10 ** b : b, all: c.all, sel: c.sel });
  }
  // On a log scale the outer edges are the losses themselves: 10 ** log10(x) is not always x
  // (13 → 12.999999999999998), and a brush to the last bin would leave the largest loss out.
  const [first, last] = [bins[0], bins.at(-1)];
  if (s.log && o && first && last && s.bins > 1 && o.loPos !== null && o.hiPos !== null) {
    first.x0 = Math.min(first.x0, o.loPos);
    last.x1 = Math.max(last.x1, o.hiPos);
  }
  const leftOut = s.log && o ? o.n - (o.nPos ?? 0) : 0;
  return { target: s.target, log: s.log, bins, leftOut };
}

/** Per-target counts and ranges summed over the manifest's shard entries (no query). */
export function manifestOverview(m: Manifest): TargetOverview[] {
  return m.targets.map(({ id }) => {
    const o: TargetOverview = {
      target: id,
      rows: 0,
      failed: 0,
      missing: 0,
      n: 0,
      lo: null,
      hi: null,
      nPos: 0,
      loPos: null,
      hiPos: null,
    };
    for (const s of m.shards) {
      const t = s.targets[id];
      if (!t) continue;
      o.rows += t.rows;
      o.failed += t.failed;
      o.missing += t.missing;
      o.n += t.ok;
      if (t.min_loss !== null) o.lo = o.lo === null ? t.min_loss : Math.min(o.lo, t.min_loss);
      if (t.max_loss !== null) o.hi = o.hi === null ? t.max_loss : Math.max(o.hi, t.max_loss);
    }
    // Positive-only figures follow when every loss is positive; otherwise a query must say.
    if (o.lo !== null && o.lo > 0) Object.assign(o, { nPos: o.n, loPos: o.lo, hiPos: o.hi });
    else if (o.n > 0) Object.assign(o, { nPos: null });
    return o;
  });
}
