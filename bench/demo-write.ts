// Writing a 1M-row demo store through the store writer vs DuckDB writing the same rows natively
// (`COPY table TO parquet`, same codec and row groups) in the same run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeDemoStore } from '../electron/collector/demo.ts';
import { ROW_GROUP_SIZE } from '../electron/collector/store-writer.ts';
import { listLiteral, str } from '../shared/sql.ts';
import type { BenchRow } from './table.ts';

export async function benchDemoWrite(workDir: string, params: number): Promise<BenchRow[]> {
  const store = path.join(workDir, 'demo-write');
  await fs.rm(store, { recursive: true, force: true });
  const t0 = performance.now();
  const manifest = await writeDemoStore({ out: store, params, targets: 3, seed: 11, failRate: 0.01 });
  const ours = (performance.now() - t0) / 1000;

  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  const files = manifest.shards.map((s) => path.join(store, s.path));
  await conn.run(`CREATE TABLE rows AS SELECT * FROM read_parquet(${listLiteral(files)})`);
  const out = path.join(workDir, 'native-copy.parquet');
  const t1 = performance.now();
  await conn.run(
    `COPY (SELECT * FROM rows ORDER BY target, loss NULLS LAST, param_id) TO ${str(out)}
     (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
  );
  const native = (performance.now() - t1) / 1000;
  conn.closeSync();
  db.closeSync();
  const rows = manifest.counts.rows;
  return [
    {
      name: `write ${rows.toLocaleString('en-US')}-row demo store`,
      value: ours,
      unit: 's',
      baseline: native,
      baselineName: 'native COPY TO',
    },
    { name: 'demo store write throughput', value: rows / ours / 1000, unit: 'k rows/s' },
  ];
}
