// Per parameter: the range the best N span, drawn inside the range of every filtered set, so a
// modeler sees which parameters the best fits pin down and which they leave free.
import type { Manifest } from '../../../shared/manifest.ts';
import { paramColumn } from '../../../shared/schema.ts';
import type { Plain } from '../../db/arrow-rows.ts';
import type { ParamRange } from '../../db/pivot-queries.ts';
import { formatCell } from '../table/format.ts';

interface Props {
  manifest: Manifest;
  best: readonly Plain[];
  full: readonly ParamRange[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function NumericSpan({ name, type, nums, f }: { name: string; type: string; nums: number[]; f: ParamRange }) {
  const [fmin, fmax] = [f.min as number, f.max as number];
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const w = fmax - fmin || 1;
  const left = ((lo - fmin) / w) * 100;
  const width = Math.max(1, ((hi - lo) / w) * 100);
  const share = fmax > fmin ? Math.round(((hi - lo) / (fmax - fmin)) * 100) : 100;
  return (
    <li className="span-item">
      <div className="span-head">
        <strong>{name}</strong>
        <span className="num">
          {formatCell(lo, type)} – {formatCell(hi, type)}
        </span>
        <span className="muted">{share} % of range</span>
      </div>
      <span className="span-track" title={`all sets: ${String(fmin)} – ${String(fmax)}`}>
        <span className="span-best" style={{ left: `${left}%`, width: `${width}%` }} />
      </span>
      <div className="span-foot muted num">
        <span>{formatCell(fmin, type)}</span>
        <span>all sets</span>
        <span>{formatCell(fmax, type)}</span>
      </div>
    </li>
  );
}

export function ParamSpans({ manifest, best, full }: Props) {
  const byCol = new Map(full.map((f) => [f.column, f]));
  return (
    <section className="spans" aria-label="Parameter ranges of the best sets">
      <h3>Parameter ranges · best {best.length} within all filtered sets</h3>
      <ul>
        {manifest.params.map((p) => {
          const col = paramColumn(p.name);
          const f = byCol.get(col);
          const values = best.map((r) => r[col]).filter((v) => v !== null && v !== undefined);
          const nums = values.filter(isNum);
          if (nums.length && nums.length === values.length && f && isNum(f.min) && isNum(f.max))
            return <NumericSpan key={col} name={p.name} type={p.type} nums={nums} f={f} />;
          const distinct = [...new Set(values.map(String))];
          return (
            <li key={col} className="span-item">
              <div className="span-head">
                <strong>{p.name}</strong>
                <span className="muted">
                  {distinct.length} of {f?.distinct ?? '?'} values
                </span>
              </div>
              <div className="span-values">{distinct.join(' · ')}</div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
