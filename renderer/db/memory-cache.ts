// Copies the columns the views query from each shard into an in-memory DuckDB table, once per
// shard, so sorting and windowing run on memory instead of re-reading parquet over HTTP for every
// interaction (measured on 1M rows, DuckDB-WASM: a sorted window 420–3500 ms from parquet, ~90 ms
// from memory). Heavy columns (diagnostics, seeds) stay in the shards. Only for stores up to
// `maxRows`, so the WASM heap stays bounded; bigger stores keep querying the shards directly.
import type { Manifest } from '../../shared/manifest.ts';
import { storeColumns } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { int } from './sql.ts';

export const MEM_TABLE = 'losses_mem';
const SHARD_COL = '__shard';
const LEFT_IN_SHARDS = new Set(['diagnostics', 'seeds']);

export class MemoryCache {
  private readonly loaded = new Set<string>();
  /** Each shard's number in the table: a small integer per row, not its URL (~100 bytes a row). */
  private readonly ids = new Map<string, number>();
  private nextId = 0;
  private columns: { name: string; type: string }[] = [];
  private created = false;

  constructor(
    private readonly engine: SqlEngine,
    readonly maxRows: number,
    /** Its own table per registry: a second store (compare) must not touch the first one's. */
    private readonly table: string = MEM_TABLE,
  ) {}

  enabledFor(manifest: Manifest): boolean {
    return this.maxRows > 0 && manifest.counts.rows <= this.maxRows;
  }

  /** True when every name is in memory, so the view can read the table alone. */
  covers(names: readonly string[]): boolean {
    return this.created && names.every((n) => this.loaded.has(n));
  }

  get size(): number {
    return this.loaded.size;
  }

  has(name: string): boolean {
    return this.loaded.has(name);
  }

  viewBody(): string {
    return `SELECT * EXCLUDE (${ident(SHARD_COL)}) FROM ${ident(this.table)}`;
  }

  async load(name: string, manifest: Manifest): Promise<void> {
    if (this.loaded.has(name)) return; // a second copy would count its rows twice
    if (!this.created) await this.create(manifest);
    const cols = this.columns.map((c) => ident(c.name)).join(', ');
    const id = this.ids.get(name) ?? this.nextId++;
    this.ids.set(name, id);
    await this.engine.query(
      `INSERT INTO ${ident(this.table)} (${cols}, ${ident(SHARD_COL)})
       SELECT ${cols}, ${int(id)} FROM read_parquet(${str(name)}, union_by_name = true)`,
    );
    this.loaded.add(name);
  }

  async unload(name: string): Promise<void> {
    if (!this.loaded.delete(name)) return;
    const id = this.ids.get(name);
    if (id !== undefined)
      await this.engine.query(`DELETE FROM ${ident(this.table)} WHERE ${ident(SHARD_COL)} = ${int(id)}`);
  }

  async clear(): Promise<void> {
    this.loaded.clear();
    this.ids.clear();
    this.created = false;
    await this.engine.query(`DROP TABLE IF EXISTS ${ident(this.table)}`);
  }

  private async create(manifest: Manifest): Promise<void> {
    this.columns = storeColumns(manifest.params).filter((c) => !LEFT_IN_SHARDS.has(c.name));
    const defs = this.columns.map((c) => `${ident(c.name)} ${c.type}`);
    await this.engine.query(
      `CREATE OR REPLACE TABLE ${ident(this.table)} (${[...defs, `${ident(SHARD_COL)} INTEGER`].join(', ')})`,
    );
    this.created = true;
  }
}
