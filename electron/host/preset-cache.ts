// The host's saved copy of a finished store's sets table (native-presets.ts), so reopening the
// store (another day, another host process) reads ~0.7 s of parquet instead of rebuilding for
// 2.4 s of two cores at 10M rows. One folder per store under the app's data folder, one file per
// version: the name is a hash of the exact sets SQL (targets, parameters, the query itself) and of
// every shard behind it (path, rows, bytes, time), so a copy is only ever read for the very rows
// it was built from. Saved only once the store stops changing (complete or failed); written to a
// temp file, fsynced, then renamed, so a killed host leaves no half file under a real name.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Manifest } from '../../shared/manifest.ts';
import { ident, str } from '../../shared/sql.ts';

const PREFIX = 'sets-';
/** Stores whose copies are kept (the most recently saved or read); older folders are removed. */
const KEEP_STORES = 8;
const STALE_TMP_MS = 10 * 60_000;

/** The folder of one store's saved pre-aggregates under the app's `root` folder for them. */
export function presetDir(root: string, realStoreRoot: string): string {
  return path.join(root, createHash('sha256').update(realStoreRoot).digest('hex').slice(0, 24));
}

export class PresetCache {
  constructor(
    /** This store's folder (presetDir); DuckDB may read and write only here and the shards. */
    readonly dir: string,
  ) {}

  /** The file for the sets table `sql` builds over `manifest`'s shards. */
  file(manifest: Manifest, sql: string): string {
    const h = createHash('sha256').update(sql);
    for (const s of manifest.shards) h.update(JSON.stringify([s.path, s.rows, s.bytes, s.created_at]));
    return path.join(this.dir, `${PREFIX}${h.digest('hex').slice(0, 32)}.parquet`);
  }

  /** Whether a store in this state is worth saving: its rows will not change any more. */
  static settled(manifest: Manifest): boolean {
    return manifest.status !== 'collecting';
  }

  /** Create `table` from the saved copy; false (and the copy removed) when there is none or it is unreadable. */
  async load(conn: DuckDBConnection, table: string, file: string): Promise<boolean> {
    try {
      await fs.access(file);
    } catch {
      return false;
    }
    try {
      await conn.run(`CREATE TABLE ${ident(table)} AS SELECT * FROM read_parquet(${str(file)})`);
      await fs.utimes(this.dir, new Date(), new Date()).catch(() => {});
      return true;
    } catch {
      await conn.run(`DROP TABLE IF EXISTS ${ident(table)}`).catch(() => {});
      await fs.rm(file, { force: true });
      return false;
    }
  }

  /** Save `table` as `file` (atomically) and drop this store's other versions. */
  async save(conn: DuckDBConnection, table: string, file: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      await conn.run(`COPY ${ident(table)} TO ${str(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      const handle = await fs.open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, file);
      const dirHandle = await fs.open(this.dir, 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    for (const name of await fs.readdir(this.dir)) {
      const other = path.join(this.dir, name);
      if (!name.startsWith(PREFIX) || other === file) continue;
      // Another host's temp file may be in the middle of its write: only a stale one goes.
      const stale = name.endsWith('.parquet') || Date.now() - (await fs.stat(other)).mtimeMs > STALE_TMP_MS;
      if (stale) await fs.rm(other, { force: true });
    }
    await evictStores(path.dirname(this.dir), KEEP_STORES);
  }
}

/** Keep the `keep` store folders used last under `root` (by the folder's time, touched on use). */
async function evictStores(root: string, keep: number): Promise<void> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const dirs = await Promise.all(
    names.map(async (n) => ({ dir: path.join(root, n), at: (await fs.stat(path.join(root, n))).mtimeMs })),
  );
  dirs.sort((a, b) => b.at - a.at);
  for (const { dir } of dirs.slice(keep)) await fs.rm(dir, { recursive: true, force: true });
}
