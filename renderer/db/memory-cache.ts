// Copies the columns the views query from each shard into an in-memory DuckDB table, once per
// shard, so sorting and windowing run on memory instead of re-reading parquet over HTTP for every
// interaction (measured on 1M rows, DuckDB-WASM: a sorted window 420–3500 ms from parquet, ~90 ms
// from memory). Heavy columns (diagnostics, seeds) stay in the shards. Only for stores up to
// `maxRows`, so the WASM heap stays bounded; bigger stores keep querying the shards directly.
import type { Manifest } from '../../shared/manifest.ts';
import { storeColumns } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import { plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import {
  CODED,
  type Domains,
  distinctValuesSql,
  enumTypeSql,
  grow,
  manifestValues,
  recodeColumn,
  viewColumn,
} from './memory-codes.ts';
import { int } from './sql.ts';

export const MEM_TABLE = 'losses_mem';
const SHARD_COL = '__shard';
const LEFT_IN_SHARDS = new Set(['diagnostics', 'seeds']);

export class MemoryCache {
  private readonly loaded = new Set<string>();
  /** Each shard's number in the table: a small integer per row, not its URL (~100 bytes a row). */
  private readonly ids = new Map<string, number>();
  private nextId = 0;
  /** Per coded column (memory-codes.ts): the values copied so far, and the ENUM type holding them. */
  private domains: Domains = new Map();
  private types = new Map<string, string>();
  private typeSeq = 0;
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
    return `SELECT ${this.columns.map((c) => viewColumn(c.name)).join(', ')} FROM ${ident(this.table)}`;
  }

  /** Copy shard `name` (read from `source`: the same bytes, e.g. a buffer of them). */
  async load(name: string, manifest: Manifest, source = name): Promise<void> {
    if (this.loaded.has(name)) return; // a second copy would count its rows twice
    const [seen] = plainRows(await this.engine.query(distinctValuesSql(source)));
    const named = grow(this.domains, manifestValues(manifest));
    const grown = grow(named ?? this.domains, seen ?? {}) ?? named;
    if (!this.created) await this.create(manifest, grown ?? this.domains);
    else if (grown) await this.recode(grown);
    const cols = this.columns.map((c) => ident(c.name)).join(', ');
    const id = this.ids.get(name) ?? this.nextId++;
    this.ids.set(name, id);
    await this.engine.query(
      `INSERT INTO ${ident(this.table)} (${cols}, ${ident(SHARD_COL)})
       SELECT ${cols}, ${int(id)} FROM read_parquet(${str(source)}, union_by_name = true)`,
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
    this.domains = new Map();
    await this.engine.query(`DROP TABLE IF EXISTS ${ident(this.table)}`);
    await this.dropTypes(this.types);
    this.types = new Map();
  }

  private async create(manifest: Manifest, domains: Domains): Promise<void> {
    this.columns = storeColumns(manifest.params).filter((c) => !LEFT_IN_SHARDS.has(c.name));
    await this.engine.query(`DROP TABLE IF EXISTS ${ident(this.table)}`);
    await this.dropTypes(this.types);
    this.types = await this.createTypes(domains);
    this.domains = domains;
    const defs = this.columns.map(
      (c) => `${ident(c.name)} ${this.types.has(c.name) ? ident(this.types.get(c.name)!) : c.type}`,
    );
    await this.engine.query(
      `CREATE OR REPLACE TABLE ${ident(this.table)} (${[...defs, `${ident(SHARD_COL)} INTEGER`].join(', ')})`,
    );
    this.created = true;
  }

  /** New values arrived: the table again, every coded column cast to a type holding them all. */
  private async recode(domains: Domains): Promise<void> {
    const old = this.types;
    const types = await this.createTypes(domains);
    const cols = [...this.columns.map((c) => recodeColumn(c.name, types)), ident(SHARD_COL)];
    await this.engine.query(
      `CREATE OR REPLACE TABLE ${ident(this.table)} AS SELECT ${cols.join(', ')} FROM ${ident(this.table)}`,
    );
    this.types = types;
    this.domains = domains;
    await this.dropTypes(old);
  }

  private async createTypes(domains: Domains): Promise<Map<string, string>> {
    const types = new Map<string, string>();
    for (const c of CODED) {
      const type = `${this.table}__${c}_${++this.typeSeq}`;
      await this.engine.query(enumTypeSql(type, domains.get(c) ?? new Set()));
      types.set(c, type);
    }
    return types;
  }

  private async dropTypes(types: ReadonlyMap<string, string>): Promise<void> {
    for (const t of types.values())
      await this.engine.query(`DROP TYPE IF EXISTS ${ident(t)}`).catch(() => {});
  }
}
