// Parameter sets present in both jobs, matched by param_id per target, with B − A; sortable by any
// column, a page at a time (the join runs in DuckDB; only the page comes to JavaScript).
import { useState } from 'react';
import { fmt, fmtCount } from '../../components/charts/format.ts';
import { useAsync } from '../../components/charts/useAsync.ts';
import type { CompareQueries } from '../../db/compare.ts';
import { MATCH_COLUMNS, type MatchColumn } from '../../db/compare-sql.ts';

const PAGE = 100;

export function MatchedTable({
  q,
  a,
  b,
  version,
}: {
  q: CompareQueries;
  a: string;
  b: string;
  version: string;
}) {
  const [sort, setSort] = useState<{ col: MatchColumn; desc: boolean }>({ col: 'diff', desc: false });
  const [pages, setPages] = useState(1);
  const count = useAsync(() => q.matchedCount(), [q, version]);
  const rows = useAsync(() => q.matched(sort.col, sort.desc, PAGE * pages, 0), [q, version, sort, pages]);
  const label: Record<MatchColumn, string> = {
    param_id: 'param_id',
    target: 'target',
    loss_a: `loss in ${a}`,
    loss_b: `loss in ${b}`,
    diff: `${b} − ${a}`,
  };
  const c = count.data;
  return (
    <div>
      <p className="muted" role="status">
        {c ? `${fmtCount(c.sets)} parameter sets in both jobs (${fmtCount(c.rows)} set × target pairs)` : '…'}
      </p>
      {c && c.rows > 0 ? (
        <table className="compare-table" aria-label="Parameter sets in both jobs">
          <thead>
            <tr>
              {MATCH_COLUMNS.map((col) => (
                <th
                  key={col}
                  scope="col"
                  className={col.startsWith('loss') || col === 'diff' ? 'num' : ''}
                  aria-sort={sort.col === col ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    onClick={() => {
                      setPages(1);
                      setSort((s) => ({ col, desc: s.col === col ? !s.desc : false }));
                    }}
                  >
                    {label[col]}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(rows.data ?? []).map((r) => (
              <tr key={`${r.param_id}|${r.target}`}>
                <td className="id" title={r.param_id}>
                  {r.param_id.slice(0, 8)}
                </td>
                <td>{r.target}</td>
                <td className="num">{fmt(r.loss_a, 6)}</td>
                <td className="num">{fmt(r.loss_b, 6)}</td>
                <td
                  className={`num ${r.diff === null ? '' : r.diff < 0 ? 'better' : r.diff > 0 ? 'worse' : ''}`}
                >
                  {r.diff === null ? '—' : fmt(r.diff, 4)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {c && PAGE * pages < c.rows ? (
        <button type="button" onClick={() => setPages((p) => p + 1)}>
          Show {fmtCount(Math.min(PAGE, c.rows - PAGE * pages))} more
        </button>
      ) : null}
    </div>
  );
}
