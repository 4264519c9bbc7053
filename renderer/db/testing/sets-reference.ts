// An independent form of the per-set query (analysis-sql.ts setsSelect) for tests: one GROUP BY
// param_id with a FILTERed max() per column, written without the app's SQL helpers.
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const id = (s: string) => `"${s.replaceAll('"', '""')}"`;

export function setsByGroupBy(targets: readonly string[], params: readonly string[], where: string): string {
  const cols = [
    ...params.map((p) => `any_value(${id(p)}) AS ${id(p)}`),
    ...targets.flatMap((t) => [
      `max(loss) FILTER (WHERE target = ${q(t)} AND status = 'ok') AS ${id(t)}`,
      `max(status) FILTER (WHERE target = ${q(t)} AND status <> 'ok') AS ${id(`__status:${t}`)}`,
    ]),
  ];
  return `SELECT param_id, ${cols.join(', ')} FROM losses ${where} GROUP BY param_id ORDER BY param_id`;
}
