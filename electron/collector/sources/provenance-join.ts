// The join that gives staged aggregations (provenance-batch.ts) their parameter sets: each input
// task id is looked up in the sims index (provenance-sims.ts) by DuckDB, which can spill, instead
// of a JavaScript Map, which cannot. The rules are those of a lookup in input order: the first
// input that matches no sim, or whose sim belongs to another parameter set than the first
// input's, makes the aggregation bad and is the one named.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident } from '../../../shared/sql.ts';
import { sameTask, taskIdText } from './provenance-keys.ts';
import { PROV_TABLES as T } from './provenance-tables.ts';

/**
 * Per aggregation, from its input sims: the set and its values (those its first input's sims
 * recorded), the sorted seeds, and the first input that breaks.
 */
export async function createJoined(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(T.joined)} (
    seq INTEGER, param_id VARCHAR, vals VARCHAR,
    bad STRUCT(k1 UHUGEINT, k2 UHUGEINT, task_text VARCHAR, param_id VARCHAR), seeds UBIGINT[],
    suspect BOOLEAN)`);
}

const seeds = (c: string) =>
  `coalesce(list_sort(list(${c}) FILTER (WHERE ${c} IS NOT NULL)), []::UBIGINT[]) AS seeds`;

/**
 * Usual case: one hash join and GROUP BY (both spill) on set numbers, then the few resulting
 * sets looked up, not every set joined to every input. An aggregation is "suspect" when an input
 * is unmatched, its sims' set numbers differ (other sets, or one set's sims not read together),
 * or a task id is found twice; those are re-done by exactSql.
 */
function fastSql(): string {
  return `SELECT g.seq, st.param_id, st.vals, NULL AS bad, g.seeds, g.suspect FROM (
      SELECT i.seq, min(s.set_no) AS set_no, ${seeds('s.seed')},
        coalesce(bool_or(s.set_no IS NULL) OR min(s.set_no) <> max(s.set_no)
          OR count(*) > max(i.pos) + 1, true) AS suspect
      FROM ${ident(T.inputs)} i LEFT JOIN ${ident(T.sims)} s ON ${sameTask('s', 'i')} GROUP BY i.seq
    ) g LEFT JOIN ${ident(T.sets)} st ON st.set_no = g.set_no`;
}

/**
 * The rare rest, exactly and in input order, with window functions, which do not spill (over
 * whole batches of a million-sim job they ran out of memory) but are fine over a few rows. A task
 * id found twice: the last sim read wins, as it did in a Map.
 */
function exactSql(): string {
  return `WITH hit AS (
      SELECT i.seq, i.pos, i.k1, i.k2, i.task_text, st.param_id, st.vals, s.seed
      FROM ${ident(T.inputs)} i LEFT JOIN ${ident(T.sims)} s ON ${sameTask('s', 'i')}
        LEFT JOIN ${ident(T.sets)} st ON st.set_no = s.set_no
      WHERE i.seq IN (SELECT seq FROM ${ident(T.joined)} WHERE suspect)
      QUALIFY row_number() OVER (PARTITION BY i.seq, i.pos ORDER BY s.rowid DESC) = 1
    ), chk AS (
      SELECT *, first_value(param_id) OVER w AS first_pid, first_value(vals) OVER w AS first_vals
      FROM hit WINDOW w AS (PARTITION BY seq ORDER BY pos)
    )
    SELECT seq, any_value(first_pid) AS param_id, any_value(first_vals) AS vals,
      arg_min({'k1': k1, 'k2': k2, 'task_text': task_text, 'param_id': param_id}, pos)
        FILTER (WHERE param_id IS NULL OR param_id <> first_pid) AS bad,
      ${seeds('seed')}, false AS suspect
    FROM chk GROUP BY seq`;
}

/** Join the staged input ids (prov_inputs) into prov_joined. */
export async function joinInputs(conn: DuckDBConnection): Promise<void> {
  const joined = ident(T.joined);
  await conn.run(`INSERT INTO ${joined} ${fastSql()}`);
  const [suspects] = await rowsOf(conn, `SELECT count(*) AS n FROM ${joined} WHERE suspect`);
  if (Number(suspects?.n ?? 0) > 0) {
    await conn.run(`INSERT INTO ${joined} ${exactSql()}`);
    await conn.run(`DELETE FROM ${joined} WHERE suspect`);
  }
}

export interface BadAggs {
  count: number;
  /** The first five, in reading order; `file` as staged (see AggBatch.file). */
  examples: { ti: number; file: string; why: string }[];
}

/** The batch's bad aggregations, in reading order. */
export async function badAggs(conn: DuckDBConnection): Promise<BadAggs> {
  const bads = await rowsOf(
    conn,
    `SELECT a.ti, a.file, a.read_bad, j.bad.k1 AS k1, j.bad.k2 AS k2, j.bad.task_text AS task_text,
        j.bad.param_id AS bad_pid, j.param_id, a.loss_bad, count(*) OVER () AS n
      FROM ${ident(T.aggs)} a LEFT JOIN ${ident(T.joined)} j ON j.seq = a.seq
      WHERE a.read_bad IS NOT NULL OR j.bad IS NOT NULL OR a.loss_bad IS NOT NULL
      ORDER BY a.seq LIMIT 5`,
  );
  return {
    count: Number(bads[0]?.n ?? 0),
    examples: bads.map((b) => ({ ti: Number(b.ti), file: String(b.file), why: whyBad(b) })),
  };
}

/** As a lookup in reading order said it: the read's problem, else the first bad input's, else the loss's. */
function whyBad(b: Record<string, unknown>): string {
  if (b.read_bad !== null) return String(b.read_bad);
  if (b.k1 === null) return String(b.loss_bad);
  const task = taskIdText(b.k1, b.k2, b.task_text);
  if (b.bad_pid === null) return `input task_id ${task} matches no sim under token/v1/sims`;
  return `input sims belong to different parameter sets (${String(b.param_id)}, ${String(b.bad_pid)})`;
}

export async function rowsOf(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
