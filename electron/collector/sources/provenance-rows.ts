// A joined batch (provenance-join.ts) as store rows, in SQL: bad aggregations left out, the first
// read of each (param_id, target) kept and the later ones counted as duplicates, and parameter
// values (carried by the join) cast to the store's types. Materialised as `prov_rows`: one plain
// table is what the store writer's COPY and the check against stored rows then read, twice.
import type { DuckDBConnection } from '@duckdb/node-api';
import { type ParamSpec, paramColumn } from '../../../shared/schema.ts';
import { ident, literal, str } from '../../../shared/sql.ts';
import { rowsOf } from './provenance-join.ts';
import { PROV_TABLES as T } from './provenance-tables.ts';

export interface BatchRows {
  rows: number;
  /** SQL for the batch's store rows, in store column order. */
  relation: string;
  dups: { count: number; examples: string[] };
}

/** A JSON pointer to one key, whatever characters the parameter name has. */
function pointer(name: string): string {
  return `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export async function batchRows(
  conn: DuckDBConnection,
  shape: { jobId: string; params: readonly ParamSpec[]; collectedAt: Date },
): Promise<BatchRows> {
  const joined = ident(T.joined);
  const firsts = ident(T.firsts);
  const good = `FROM ${ident(T.aggs)} a JOIN ${joined} j ON j.seq = a.seq
    JOIN ${ident(T.targets)} t ON t.ti = a.ti
    WHERE a.read_bad IS NULL AND j.bad IS NULL AND a.loss_bad IS NULL`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${firsts} AS
    SELECT min(a.seq) AS seq, count(*) AS n ${good} GROUP BY j.param_id, t.target`);
  const [counts] = await rowsOf(conn, `SELECT count(*) AS rows, sum(n - 1) AS dups FROM ${firsts}`);
  const dupCount = Number(counts?.dups ?? 0);
  const dups = dupCount
    ? await rowsOf(
        conn,
        `SELECT t.target_dir, j.param_id ${good} AND a.seq NOT IN (SELECT seq FROM ${firsts})
         ORDER BY a.seq LIMIT 5`,
      )
    : [];
  // Values as the sims' JSON had them (as text, see provenance-sims.ts); TRY_CAST as in
  // paramSelect: a value that does not fit the store's type is NULL rather than a failed collect.
  const params = shape.params
    .map((p) => {
      const value = `json_extract_string(j.vals, ${str(pointer(p.name))})`;
      return `TRY_CAST(${value} AS ${p.type}) AS ${ident(paramColumn(p.name))}, `;
    })
    .join('');
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(T.rows)} AS
    SELECT ${str(shape.jobId)} AS job_id, j.param_id, t.target, t.target_entrypoint,
      CASE WHEN a.failed THEN 'failed' ELSE 'ok' END AS status, a.loss, a.n_replicates, j.seeds,
      ${params}a.diagnostics, a.diagnostics_truncated, a.error_type, a.error_message,
      ${literal(shape.collectedAt)} AS collected_at
    FROM ${ident(T.aggs)} a JOIN ${joined} j ON j.seq = a.seq JOIN ${ident(T.targets)} t ON t.ti = a.ti
    WHERE a.seq IN (SELECT seq FROM ${firsts})`);
  return {
    rows: Number(counts?.rows ?? 0),
    relation: ident(T.rows),
    dups: {
      count: dupCount,
      examples: dups.map(
        (d) => `${String(d.target_dir)}: ${String(d.param_id)} aggregated more than once; the first was kept`,
      ),
    },
  };
}

/**
 * Drop the source's tables, so a later source in the same run has DuckDB's memory to itself.
 * Best effort: it runs on the way out of a failed collect too, whose error must be the one shown.
 */
export async function dropProvenanceTables(conn: DuckDBConnection): Promise<void> {
  for (const t of Object.values(T)) {
    await conn.run(`DROP TABLE IF EXISTS ${ident(t)}`).catch(() => {});
  }
}
