// Typed queries for Compare (SQL in compare-sql.ts). Small results only: a row per target and
// job, one histogram, one page of matched sets, a range per parameter.
import { num, plainRows } from './arrow-rows.ts';
import * as q from './compare-sql.ts';
import type { SqlEngine } from './engine-types.ts';

export interface JobBest {
  rows: number;
  ok: number;
  best: number | null;
  bestId: string | null;
}
export interface TargetCompare {
  target: string;
  a: JobBest | null;
  b: JobBest | null;
}
export interface OverlaidBins {
  lo: number;
  hi: number;
  a: number[];
  b: number[];
}
export interface MatchedRow {
  param_id: string;
  target: string;
  loss_a: number | null;
  loss_b: number | null;
  diff: number | null;
}
export interface ParamRanges {
  param: string;
  a: { best: [number, number] | null; all: [number, number] | null };
  b: { best: [number, number] | null; all: [number, number] | null };
}

export class CompareQueries {
  constructor(private readonly engine: SqlEngine) {}

  async bestPerTarget(): Promise<TargetCompare[]> {
    const rows = plainRows(await this.engine.query(q.bestPerTarget()));
    const byTarget = new Map<string, TargetCompare>();
    for (const r of rows) {
      const target = String(r.target);
      const entry = byTarget.get(target) ?? { target, a: null, b: null };
      const best: JobBest = {
        rows: num(r.rows) ?? 0,
        ok: num(r.ok) ?? 0,
        best: num(r.best),
        bestId: r.best_id === null || r.best_id === undefined ? null : String(r.best_id),
      };
      if (r.job === 'a') entry.a = best;
      else entry.b = best;
      byTarget.set(target, entry);
    }
    return [...byTarget.values()];
  }

  async histogram(target: string, bins: number): Promise<OverlaidBins | null> {
    const rows = plainRows(await this.engine.query(q.overlaidHistogram(target, bins)));
    const first = rows[0];
    if (!first) return null;
    const out: OverlaidBins = {
      lo: num(first.lo) ?? 0,
      hi: num(first.hi) ?? 0,
      a: Array(bins).fill(0),
      b: Array(bins).fill(0),
    };
    for (const r of rows) (r.job === 'a' ? out.a : out.b)[num(r.bin) ?? 0] = num(r.n) ?? 0;
    return out;
  }

  async matched(sort: q.MatchColumn, desc: boolean, limit: number, offset: number): Promise<MatchedRow[]> {
    return plainRows(
      await this.engine.query(q.matchedPage(sort, desc, limit, offset)),
    ) as unknown as MatchedRow[];
  }

  async matchedCount(): Promise<{ rows: number; sets: number }> {
    const [r] = plainRows(await this.engine.query(q.matchedCount()));
    return { rows: num(r?.n) ?? 0, sets: num(r?.sets) ?? 0 };
  }

  async bestRanges(params: readonly string[], targets: readonly string[], n: number): Promise<ParamRanges[]> {
    if (params.length === 0 || targets.length === 0) return [];
    const rows = plainRows(await this.engine.query(q.bestRanges(params, targets, n)));
    const pick = (job: string, part: string) => rows.find((r) => r.job === job && r.part === part);
    const range = (r: Record<string, unknown> | undefined, p: string): [number, number] | null => {
      const lo = num(r?.[`${p}:lo`]);
      const hi = num(r?.[`${p}:hi`]);
      return lo === null || hi === null ? null : [lo, hi];
    };
    return params.map((param) => ({
      param,
      a: { best: range(pick('a', 'best'), param), all: range(pick('a', 'all'), param) },
      b: { best: range(pick('b', 'best'), param), all: range(pick('b', 'all'), param) },
    }));
  }
}
