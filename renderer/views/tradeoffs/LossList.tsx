// Parameter sets with their losses under some targets, full precision on hover and in copies.

import { fmt } from '../../components/charts/format.ts';
import { ParamId } from '../../components/ParamId.tsx';

export function LossList({
  label,
  rows,
  targets,
  onMessage,
}: {
  label: string;
  rows: readonly Record<string, unknown>[];
  targets: readonly { key: string; name: string }[];
  onMessage(m: string): void;
}) {
  return (
    <div className="list-box">
      <table className="values-table" aria-label={label}>
        <thead>
          <tr>
            <th>param_id</th>
            {targets.map((t) => (
              <th key={t.key} title={t.name}>
                {t.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r.param_id)} data-param-id={String(r.param_id)}>
              <td>
                <ParamId id={String(r.param_id)} onMessage={onMessage} />
              </td>
              {targets.map((t) => (
                <td key={t.key} title={String(r[t.key])} data-value={String(r[t.key])}>
                  {fmt(r[t.key] as number, 6)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
