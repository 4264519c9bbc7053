// A batch of aggregations staged in DuckDB, in reading order: `prov_aggs` one row per aggregation
// directory read (bad ones too, so that problems found by the join and problems found while
// reading are reported in the order the files were read), and their input task ids, joined to
// the sims index every `joinEvery` ids (provenance-join.ts) so that the join's memory depends on
// neither the batch's size nor the job's. Nothing of the batch stays in the JavaScript heap.
import path from 'node:path';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { ident, literal } from '../../../shared/sql.ts';
import type { AggOutcome } from './provenance-aggs.ts';
import { createJoined, joinInputs } from './provenance-join.ts';
import { appendTaskKey, TASK_KEY_COLUMNS } from './provenance-keys.ts';
import { PROV_TABLES as T } from './provenance-tables.ts';

/**
 * Input task ids per join, at most. 1M sims, measured in process: 200k ids per join peaked at
 * 385 MB, 50k at 324 MB.
 */
export const JOIN_INPUTS = 50_000;

export interface AggTargetRef {
  /** Short target id, entrypoint, the target_* directory name (for messages) and its path. */
  id: string;
  entrypoint: string;
  dirName: string;
  dir: string;
}

export class AggBatch {
  rows = 0;
  bytes = 0;
  keys: string[] = [];
  reread = false;
  private seq = 0;
  private unjoined = 0;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly targets: readonly AggTargetRef[],
    private readonly joinEvery: number,
    private readonly aggs: DuckDBAppender,
    private taskIds: DuckDBAppender,
  ) {}

  static async open(
    conn: DuckDBConnection,
    targets: readonly AggTargetRef[],
    joinEvery = JOIN_INPUTS,
  ): Promise<AggBatch> {
    // Target names once per target, not per row: `ti` indexes `targets`.
    const names = targets.map(
      (t, i) => `(${i}, ${literal(t.id)}, ${literal(t.entrypoint)}, ${literal(t.dirName)})`,
    );
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(T.targets)} AS
      SELECT * FROM (VALUES ${names.join(', ')}) v(ti, target, target_entrypoint, target_dir)`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(T.aggs)} (seq INTEGER, ti INTEGER, file VARCHAR,
      read_bad VARCHAR, loss_bad VARCHAR, failed BOOLEAN, loss DOUBLE, n_replicates INTEGER,
      diagnostics VARCHAR, diagnostics_truncated BOOLEAN, error_type VARCHAR, error_message VARCHAR)`);
    await createJoined(conn);
    return new AggBatch(conn, targets, joinEvery, await conn.createAppender(T.aggs), await openInputs(conn));
  }

  full(limits: { rows: number; bytes: number }): boolean {
    return this.rows >= limits.rows || this.bytes >= limits.bytes;
  }

  /** The file as read, from the `file` column (relative to its target directory). */
  file(ti: number, rel: string): string {
    return path.join(this.targets[ti]!.dir, rel);
  }

  add(ti: number, o: Exclude<AggOutcome, { pending: true }>): void {
    const a = this.aggs;
    const seq = this.seq++;
    a.appendInteger(seq);
    a.appendInteger(ti);
    a.appendVarchar(path.relative(this.targets[ti]!.dir, o.file));
    if ('bad' in o) {
      a.appendVarchar(o.bad);
      for (let i = 0; i < 8; i++) a.appendNull();
      a.endRow();
      return;
    }
    const g = o.agg;
    a.appendNull();
    text(a, g.lossBad);
    a.appendBoolean(g.failed !== null);
    if (g.loss === null) a.appendNull();
    else a.appendDouble(g.loss);
    a.appendInteger(g.nReplicates);
    text(a, g.diagnostics);
    a.appendBoolean(g.diagnosticsTruncated);
    text(a, g.failed?.type ?? null);
    text(a, g.failed?.message ?? null);
    a.endRow();
    g.taskIds.forEach((id, pos) => {
      this.taskIds.appendInteger(seq);
      this.taskIds.appendInteger(pos);
      appendTaskKey(this.taskIds, id);
      this.taskIds.endRow();
    });
    this.rows++;
    this.unjoined += g.taskIds.length;
    this.bytes += 200 + (g.diagnostics?.length ?? 0);
  }

  /** Join the input ids staged so far once there are `joinEvery` of them (or `all`). */
  async settle(all = false): Promise<void> {
    if (this.unjoined === 0 || (!all && this.unjoined < this.joinEvery)) return;
    this.taskIds.flushSync();
    this.taskIds.closeSync();
    await joinInputs(this.conn);
    this.taskIds = await openInputs(this.conn);
    this.unjoined = 0;
  }

  /** Join what is left and hand every row to DuckDB: the batch's tables are then complete. */
  async close(): Promise<void> {
    await this.settle(true);
    for (const a of [this.aggs, this.taskIds]) {
      a.flushSync();
      a.closeSync();
    }
  }
}

/** A fresh inputs table (dropping the joined one frees its memory; a DELETE would not at once). */
async function openInputs(conn: DuckDBConnection): Promise<DuckDBAppender> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(T.inputs)} (seq INTEGER, pos INTEGER, ${TASK_KEY_COLUMNS})`,
  );
  return conn.createAppender(T.inputs);
}

function text(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}
