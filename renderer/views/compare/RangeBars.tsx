// Per parameter: the range the best N sets of each job span, drawn inside the full range both jobs
// explored, so a modeler sees where the optimum moved between rounds.
import { fmt } from '../../components/charts/format.ts';
import type { ParamRanges } from '../../db/compare.ts';

function Bar({
  range,
  lo,
  hi,
  job,
}: {
  range: [number, number] | null;
  lo: number;
  hi: number;
  job: 'a' | 'b';
}) {
  if (!range) return <div className="range-track" />;
  const span = hi - lo || 1;
  const left = ((range[0] - lo) / span) * 100;
  const width = Math.max(0.8, ((range[1] - range[0]) / span) * 100);
  return (
    <div className="range-track">
      <div className={`range-bar job-${job}`} style={{ left: `${left}%`, width: `${width}%` }} />
    </div>
  );
}

export function RangeBars({
  ranges,
  a,
  b,
  n,
}: {
  ranges: readonly ParamRanges[];
  a: string;
  b: string;
  n: number;
}) {
  return (
    <table className="compare-table ranges" aria-label={`Where the best ${n} sets lie`}>
      <thead>
        <tr>
          <th scope="col">parameter</th>
          <th scope="col">
            best {n}: {a} (top) and {b} (bottom), within the range both explored
          </th>
          <th scope="col" className="num">
            {a}
          </th>
          <th scope="col" className="num">
            {b}
          </th>
        </tr>
      </thead>
      <tbody>
        {ranges.map((r) => {
          const ends = [r.a.all, r.b.all].filter((x): x is [number, number] => x !== null);
          const lo = Math.min(...ends.map((e) => e[0]));
          const hi = Math.max(...ends.map((e) => e[1]));
          const txt = (x: [number, number] | null) => (x ? `${fmt(x[0])} – ${fmt(x[1])}` : '—');
          return (
            <tr key={r.param}>
              <th scope="row">{r.param.replace(/^param_/, '')}</th>
              <td className="range-cell" title={`explored: ${fmt(lo)} – ${fmt(hi)}`}>
                <Bar range={r.a.best} lo={lo} hi={hi} job="a" />
                <Bar range={r.b.best} lo={lo} hi={hi} job="b" />
              </td>
              <td className="num">{txt(r.a.best)}</td>
              <td className="num">{txt(r.b.best)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
