// Which (param_id, target) pairs a store already holds, for sources that must drop re-sent rows
// (a stream sent twice). Checking each batch against every listed shard re-read all of them per
// commit (554 ms a shard after ~900 shards, bench/ndjson-commit.ts); instead a DuckDB table holds
// a 64-bit hash of each stored pair and the shard it is in, filled once per shard as shards are
// listed. A batch is joined to it by hash; the rare hits are confirmed against the full key in
// just the shards named, so a hash collision can never drop a row.
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ShardEntry } from '../../shared/manifest.ts';
import { ident, str } from '../../shared/sql.ts';

const TABLE = 'losslens_stored_pairs';
const HITS = 'losslens_stored_hits';

export interface StoredCheck {
  /** SELECT of the batch rows whose pair is not in the store yet. */
  select: string;
  duplicates: number;
  examples: { param_id: string; target: string }[];
}

export class StoredPairs {
  private readonly ids = new Map<string, number>();
  private readonly paths: string[] = [];
  private created = false;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly storeDir: string,
  ) {}

  /** Bring the table up to the listed shards: new ones added, a removed one (compaction) rebuilds. */
  async sync(shards: readonly ShardEntry[]): Promise<void> {
    if (!this.created) {
      await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(TABLE)} (h UBIGINT, shard INTEGER)`);
      this.created = true;
    }
    const listed = new Set(shards.map((s) => s.path));
    if (this.paths.some((p) => !listed.has(p))) {
      await this.conn.run(`DELETE FROM ${ident(TABLE)}`);
      this.ids.clear();
      this.paths.length = 0;
    }
    const fresh = shards.filter((s) => s.rows > 0 && !this.ids.has(s.path));
    for (let i = 0; i < fresh.length; i += 256) {
      const part = fresh.slice(i, i + 256);
      const files = part.map((s) => str(path.join(this.storeDir, s.path)));
      const base = this.paths.length;
      for (const s of part) {
        this.ids.set(s.path, this.paths.length);
        this.paths.push(s.path);
      }
      const ids = files.map((f, j) => `(${f}, ${base + j})`).join(', ');
      await this.conn.run(
        `INSERT INTO ${ident(TABLE)} SELECT hash(r.param_id, r.target), f.id
         FROM read_parquet([${files.join(', ')}], filename = true) r
         JOIN (VALUES ${ids}) f(name, id) ON r.filename = f.name`,
      );
    }
  }

  /** Split `relation` (store rows) into rows new to the store and pairs already stored. */
  async check(relation: string): Promise<StoredCheck> {
    const t = ident(TABLE);
    const hits = ident(HITS);
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${hits} AS
       SELECT DISTINCT b.param_id, b.target, p.shard FROM ${relation} b JOIN ${t} p ON p.h = hash(b.param_id, b.target)`,
    );
    const shardRows = (
      await this.conn.runAndReadAll(`SELECT DISTINCT shard FROM ${hits} ORDER BY shard`)
    ).getRowObjectsJS();
    if (shardRows.length === 0) return { select: `SELECT * FROM ${relation}`, duplicates: 0, examples: [] };
    const files = shardRows
      .map((r) => str(path.join(this.storeDir, this.paths[Number(r.shard)]!)))
      .join(', ');
    // Confirmed on the full key in the named shards only.
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${hits} AS
       SELECT DISTINCT h.param_id, h.target FROM ${hits} h
       SEMI JOIN (SELECT param_id, target FROM read_parquet([${files}])) s
         ON h.param_id = s.param_id AND h.target = s.target`,
    );
    const r = await this.conn.runAndReadAll(
      `SELECT b.param_id, b.target, count(*) OVER () AS n FROM ${relation} b
       SEMI JOIN ${hits} d ON b.param_id = d.param_id AND b.target = d.target LIMIT 5`,
    );
    const found = r.getRowObjectsJS();
    return {
      select: `SELECT b.* FROM ${relation} b ANTI JOIN ${hits} d ON b.param_id = d.param_id AND b.target = d.target`,
      duplicates: Number(found[0]?.n ?? 0),
      examples: found.map((h) => ({ param_id: String(h.param_id), target: String(h.target) })),
    };
  }
}
