// The job runner's per-parameter-set loss summary (the seed's `loss_summary.parquet`): mean and
// sample standard deviation of the ok losses across targets, the best, the ok and failed counts,
// and the parameters. Computed by DuckDB over the listed shards into a temp file beside `out`,
// then renamed into place, so a client never gathers the losses and a reader never sees a torn file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { paramColumn } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import { commitRename, tempPathFor } from '../store/atomic.ts';
import { readManifest } from '../store/manifest-io.ts';
import { openDuck } from './duck.ts';
import { CollectError } from './errors.ts';

const FORMATS: Record<string, string> = {
  '.parquet': 'FORMAT parquet, COMPRESSION zstd',
  '.csv': 'FORMAT csv, HEADER true',
  '.ndjson': 'FORMAT json',
  '.jsonl': 'FORMAT json',
};

export function summarySql(files: readonly string[], params: readonly string[]): string {
  const ok = "FILTER (WHERE status = 'ok')";
  const cols = params.map((p) => `any_value(${ident(paramColumn(p))}) AS ${ident(paramColumn(p))}`);
  return `SELECT param_id, avg(loss) ${ok} AS mean_loss, stddev_samp(loss) ${ok} AS std_loss,
      min(loss) ${ok} AS min_loss, (count(*) ${ok})::INTEGER AS n_ok,
      (count(*) FILTER (WHERE status = 'failed'))::INTEGER AS n_failed${cols.map((c) => `, ${c}`).join('')}
    FROM read_parquet([${files.map(str).join(', ')}], union_by_name = true)
    GROUP BY param_id ORDER BY param_id`;
}

/** Writes the summary of `storeDir` to `out` (.parquet, .csv, .ndjson); returns its row count. */
export async function writeSummary(storeDir: string, out: string): Promise<number> {
  const format = FORMATS[path.extname(out).toLowerCase()];
  if (!format) {
    throw new CollectError(
      out,
      null,
      'unknown summary format',
      'End the file name in .parquet, .csv or .ndjson',
    );
  }
  const m = await readManifest(storeDir);
  const files = m.shards.filter((s) => s.rows > 0).map((s) => path.join(storeDir, s.path));
  if (files.length === 0)
    throw new CollectError(storeDir, null, 'the store has no rows yet', 'Collect first');
  const target = path.resolve(out);
  const temp = tempPathFor(target);
  const duck = await openDuck({ threads: 2 });
  try {
    const sql = summarySql(
      files,
      m.params.map((p) => p.name),
    );
    const r = await duck.conn.runAndReadAll(`COPY (${sql}) TO ${str(temp)} (${format})`);
    await commitRename(temp, target);
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  } finally {
    duck.close();
    await fs.rm(temp, { force: true });
  }
}
