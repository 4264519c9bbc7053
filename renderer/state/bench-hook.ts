// `?bench=1` exposes a timing hook for `npm run bench` (bench/app.ts): it runs the same SQL as the
// native baseline through the app's own engine and registry. Nothing in the UI uses it.
import type { SqlEngine } from '../db/engine-types.ts';
import type { Session } from './session.ts';

export interface BenchHook {
  idle(): Promise<void>;
  query(sql: string): Promise<{ ms: number; rows: number }>;
}

export function installBenchHook(session: Session, engine: SqlEngine): void {
  if (new URLSearchParams(location.search).get('bench') !== '1') return;
  const hook: BenchHook = {
    idle: () => session.idle(),
    async query(sql) {
      const t = performance.now();
      const table = await engine.query(sql);
      return { ms: performance.now() - t, rows: table.numRows };
    },
  };
  (window as unknown as { __losslensBench: BenchHook }).__losslensBench = hook;
}
