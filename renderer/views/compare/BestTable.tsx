// Per target: each job's best loss (and the set that reached it) and how far B moved from A.
import { fmt, fmtCount } from '../../components/charts/format.ts';
import type { TargetCompare } from '../../db/compare.ts';

/** A job's best loss and the set that reached it; a target the job lacks says so, not "— –". */
function BestCell({ side }: { side: TargetCompare['a'] }) {
  if (!side) return <td className="num muted">not in this job</td>;
  if (side.best == null) return <td className="num muted">no ok loss</td>;
  return (
    <td className="num" title={side.bestId ?? ''}>
      {fmt(side.best, 6)} <span className="muted id">{side.bestId?.slice(0, 8) ?? ''}</span>
    </td>
  );
}

export function BestTable({ rows, a, b }: { rows: readonly TargetCompare[]; a: string; b: string }) {
  return (
    <table className="compare-table" aria-label="Best loss per target">
      <thead>
        <tr>
          <th scope="col">target</th>
          <th scope="col" className="num">
            best in {a}
          </th>
          <th scope="col" className="num">
            best in {b}
          </th>
          <th scope="col" className="num">
            {b} − {a}
          </th>
          <th scope="col" className="num">
            ok in {a}
          </th>
          <th scope="col" className="num">
            ok in {b}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const diff = r.a?.best != null && r.b?.best != null ? r.b.best - r.a.best : null;
          return (
            <tr key={r.target}>
              <th scope="row">{r.target}</th>
              <BestCell side={r.a} />
              <BestCell side={r.b} />
              <td className={`num ${diff === null ? '' : diff < 0 ? 'better' : diff > 0 ? 'worse' : ''}`}>
                {diff === null ? (r.a && r.b ? '—' : 'not in both') : `${diff > 0 ? '+' : ''}${fmt(diff, 4)}`}
              </td>
              <td className="num">{r.a ? `${fmtCount(r.a.ok)} of ${fmtCount(r.a.rows)}` : '—'}</td>
              <td className="num">{r.b ? `${fmtCount(r.b.ok)} of ${fmtCount(r.b.rows)}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
