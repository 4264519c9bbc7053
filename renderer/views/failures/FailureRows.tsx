// One failure group's rows, a page at a time, each with its param_id and whole message.
import { useEffect, useState } from 'react';
import type { LossFilter } from '../../../shared/query-types.ts';
import { fmtCount } from '../../components/charts/format.ts';
import type { FailureGroupRow, FailureQueries, FailureRow } from '../../db/failures.ts';

const PAGE = 50;

export function FailureRows({
  q,
  filter,
  group,
  onError,
}: {
  q: FailureQueries;
  filter: LossFilter;
  group: FailureGroupRow;
  onError(message: string): void;
}) {
  const [rows, setRows] = useState<FailureRow[]>([]);
  const [loading, setLoading] = useState(false);
  const more = async (offset: number) => {
    setLoading(true);
    try {
      const page = await q.rows(filter, group, offset, PAGE);
      setRows((r) => (offset === 0 ? page : [...r, ...page]));
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read from the top when the group or filter changes
  useEffect(() => {
    void more(0);
  }, [q, filter, group]);
  return (
    <div>
      <table
        className="failure-rows"
        aria-label={`Rows of ${group.target} ${group.error_type ?? group.status}`}
      >
        <tbody>
          {rows.map((r) => (
            <tr key={r.param_id}>
              <td className="mono">{r.param_id}</td>
              <td className="message">{r.error_message ?? <em>no message</em>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length < group.count ? (
        <button type="button" disabled={loading} onClick={() => void more(rows.length)}>
          Show {fmtCount(Math.min(PAGE, group.count - rows.length))} more of{' '}
          {fmtCount(group.count - rows.length)}
        </button>
      ) : null}
    </div>
  );
}
