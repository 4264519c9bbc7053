// A joined batch (provenance-join.ts) as store rows, in SQL: bad aggregations left out, the first
// read of each (param_id, target) kept and the later ones counted as duplicates, and parameter
// values taken from the set's first sims and cast to the store's types.
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
  const good = `FROM ${ident(T.aggs)} a JOIN ${joined} j ON j.seq = a.seq JOIN ${ident(T.targets)} t ON t.ti = a.ti
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
  // Values as the sims' JSON had them (as text, see provenance-sims.ts), of the set's first run of
  // sims; TRY_CAST as in paramSelect: a value that does not fit the store's type is NULL rather
  // than a failed collect. Only this batch's sets are looked at, so nothing grows with the job.
  const values = `(SELECT param_id, arg_min(vals, set_no) AS vals FROM ${ident(T.sets)}
    WHERE param_id IN (SELECT param_id FROM ${joined}) GROUP BY param_id)`;
  const params = shape.params
    .map(
      (p) =>
        `TRY_CAST(json_extract_string(v.vals, ${str(pointer(p.name))}) AS ${p.type}) AS ${ident(paramColumn(p.name))}, `,
    )
    .join('');
  const relation = `(SELECT ${str(shape.jobId)} AS job_id, j.param_id, t.target, t.target_entrypoint,
      CASE WHEN a.failed THEN 'failed' ELSE 'ok' END AS status, a.loss, a.n_replicates, j.seeds,
      ${params}a.diagnostics, a.diagnostics_truncated, a.error_type, a.error_message,
      ${literal(shape.collectedAt)} AS collected_at
    FROM ${ident(T.aggs)} a JOIN ${joined} j ON j.seq = a.seq JOIN ${ident(T.targets)} t ON t.ti = a.ti
      LEFT JOIN ${values} v ON v.param_id = j.param_id
    WHERE a.seq IN (SELECT seq FROM ${firsts}))`;
  return {
    rows: Number(counts?.rows ?? 0),
    relation,
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
