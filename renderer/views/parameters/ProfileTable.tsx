// The numbers behind a profile: per bin (or value) its minimum loss at full precision, the sets
// and the failed-or-missing count.
import { fmt, fmtCount } from '../../components/charts/format.ts';
import type { Profile } from '../../db/profile.ts';

export function ProfileTable({ profile, numeric }: { profile: Profile; numeric: boolean }) {
  return (
    <details className="values">
      <summary>Profile values</summary>
      <table className="values-table">
        <thead>
          <tr>
            {numeric ? (
              <>
                <th>from</th>
                <th>to</th>
              </>
            ) : (
              <th>value</th>
            )}
            <th>min loss</th>
            <th>ok</th>
            <th>failed or missing</th>
          </tr>
        </thead>
        <tbody>
          {profile.bins.map((b) => (
            <tr key={`${b.x0}:${b.label}`}>
              {numeric ? (
                <>
                  <td data-value={String(b.x0)}>{fmt(b.x0, 6)}</td>
                  <td data-value={String(b.x1)}>{fmt(b.x1, 6)}</td>
                </>
              ) : (
                <td>{b.label ?? 'null'}</td>
              )}
              <td className="min" data-value={b.min === null ? '' : String(b.min)}>
                {fmt(b.min, 6)}
              </td>
              <td>{fmtCount(b.ok)}</td>
              <td>{fmtCount(b.failed + b.missing)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
