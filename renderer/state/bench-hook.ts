// `?bench=1` exposes a timing hook for `npm run bench` (bench/app.ts): it runs the same SQL as the
// native baseline through the app's own engine and registry. Nothing in the UI uses it.

import type { SqlEngine } from '../db/engine-types.ts';
import type { TargetRange } from '../db/pivot-sql.ts';
import type { Session } from './session.ts';

/** A freshly built default-filter pivot table: its build time and what the queries over it need. */
export interface BenchPivot {
  /** The whole build: the sets table, then the ranked pivot over it. */
  ms: number;
  /** The sets table's part (all a filtered Pivot, Best, Histograms or Trade-offs wait for by default). */
  setsMs: number;
  /** How many of `statements` build the sets table. */
  setsStatements: number;
  name: string;
  /** Its first step, the sets table (the Pivot tab's means and weighted sums read it). */
  sets: string;
  /** The statements that built it; the native baseline replays them. */
  statements: string[];
  ranges: TargetRange[];
}

export interface BenchHook {
  /** Shard work, the memory copy and the background pivot build all done. */
  idle(): Promise<void>;
  query(sql: string): Promise<{ ms: number; rows: number }>;
  /** The first row's value of `column` (the benchmark waits for the UI to show that row). */
  firstValue(sql: string, column: string): Promise<unknown>;
  /** Drops the derived tables and times building the default filter's pivot again (not adopting the host's). */
  rebuildPivot(): Promise<BenchPivot | null>;
}

export function installBenchHook(session: Session, engine: SqlEngine): void {
  if (new URLSearchParams(location.search).get('bench') !== '1') return;
  const hook: BenchHook = {
    idle: () => session.settled(),
    async query(sql) {
      const t = performance.now();
      const table = await engine.query(sql);
      return { ms: performance.now() - t, rows: table.numRows };
    },
    async firstValue(sql, column) {
      const table = await engine.query(sql);
      return table.numRows ? table.toArray()[0]?.toJSON()[column] : null;
    },
    async rebuildPivot() {
      await session.settled();
      await session.derived.clear();
      // Timed as a build: the host's pre-aggregate (already built) would time a lookup.
      session.derived.adoptPresets = false;
      const t = performance.now();
      const sets = await session.analysis.setsTable({}).catch(() => null);
      const setsMs = performance.now() - t;
      const pivot = await session.analysis.pivotTable({}).finally(() => {
        session.derived.adoptPresets = true;
      });
      const ms = performance.now() - t;
      // As after the app's own build of the default pivot (session.ts warmViews).
      await session.warmViews();
      return (
        pivot &&
        sets && {
          ms,
          setsMs,
          setsStatements: sets.statements.length,
          name: pivot.name,
          sets: sets.name,
          statements: pivot.statements,
          ranges: [...pivot.ranges.values()],
        }
      );
    },
  };
  (window as unknown as { __losslensBench: BenchHook }).__losslensBench = hook;
}
