// The job runner's per-parameter-set loss summary (the seed's `loss_summary.parquet`): the app's
// summary export (shared/export-sql.ts) over the listed shards, best first. Computed by DuckDB into
// a temp file beside `out`, then renamed into place, so a client never gathers the losses and a
// reader never sees a torn file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { summarySql } from '../../shared/export-sql.ts';
import { LOSSES } from '../../shared/filter-sql.ts';
import { paramColumn } from '../../shared/schema.ts';
import { str } from '../../shared/sql.ts';
import { commitRename, tempPathFor } from '../store/atomic.ts';
import { lossesSelect } from '../store/losses-view.ts';
import { readManifest } from '../store/manifest-io.ts';
import { openDuck } from './duck.ts';
import { CollectError } from './errors.ts';

const FORMATS: Record<string, string> = {
  '.parquet': 'FORMAT parquet, COMPRESSION zstd',
  '.csv': 'FORMAT csv, HEADER true',
  '.ndjson': 'FORMAT json',
  '.jsonl': 'FORMAT json',
};

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
    // The app's summary export's own SQL over a view of the shards: the file a job runner uploads
    // is the same table as the one exported from the window.
    await duck.conn.run(`CREATE TEMP VIEW ${LOSSES} AS ${lossesSelect(files, m.params)}`);
    const sql = summarySql(
      m.params.map((p) => paramColumn(p.name)),
      {},
    );
    const r = await duck.conn.runAndReadAll(`COPY (${sql}) TO ${str(temp)} (${format})`);
    await commitRename(temp, target);
    return Number(r.getRowsJS()[0]?.[0] ?? 0);
  } finally {
    duck.close();
    await fs.rm(temp, { force: true });
  }
}
