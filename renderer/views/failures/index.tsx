// Failures: failed and missing rows grouped by target, status and error type with counts, each
// group expandable to its rows and whole messages; a target that never succeeded says so on top.
import '../charts.css';
import { Fragment, useMemo, useState } from 'react';
import { fmtCount } from '../../components/charts/format.ts';
import { LargeStoreGate } from '../../components/charts/LargeStoreGate.tsx';
import { keyOf } from '../../components/charts/layout.ts';
import { useAsync } from '../../components/charts/useAsync.ts';
import { type FailureGroupRow, FailureQueries, targetOutcomes } from '../../db/failures.ts';
import type { ViewProps } from '../view-props.ts';
import { FailureRows } from './FailureRows.tsx';

const groupKey = (g: FailureGroupRow) => keyOf([g.target, g.status, g.error_type]);

export default function FailuresView(props: ViewProps) {
  const outcomes = targetOutcomes(props.store.manifest);
  const dead = outcomes.filter((o) => o.rows > 0 && o.ok === 0);
  const empty = outcomes.filter((o) => o.rows === 0);
  return (
    <div className="chart-view">
      {dead.map((o) => (
        <p key={o.target} className="banner" role="alert">
          Target <strong>{o.target}</strong> failed entirely: none of its {fmtCount(o.rows)} rows is ok (
          {fmtCount(o.failed)} failed, {fmtCount(o.missing)} missing).
        </p>
      ))}
      {empty.map((o) => (
        <p key={o.target} className="banner" role="alert">
          Target <strong>{o.target}</strong> has no rows in this store yet.
        </p>
      ))}
      {props.session.readsShardsOverHttp(props.store.manifest) ? (
        <p className="chart-note">
          From the store’s manifest:{' '}
          {outcomes
            .map((o) => `${o.target} ${fmtCount(o.failed)} failed, ${fmtCount(o.missing)} missing`)
            .join(' · ')}
          .
        </p>
      ) : null}
      <LargeStoreGate session={props.session} store={props.store} what="the groups by error type">
        <FailureGroups {...props} />
      </LargeStoreGate>
    </div>
  );
}

function FailureGroups({ session, dataVersion, view, onMessage }: ViewProps) {
  const q = useMemo(() => new FailureQueries(session.engine), [session]);
  const filter = view.filter;
  const groups = useAsync(() => q.groups(filter), [q, dataVersion, keyOf(filter)]);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const total = (groups.data ?? []).reduce((s, g) => s + g.count, 0);
  const toggle = (k: string) => {
    const next = new Set(open);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    setOpen(next);
  };
  return (
    <div aria-busy={groups.loading}>
      {groups.error ? <p className="chart-error">{groups.error}</p> : null}
      {groups.data && !groups.data.length ? (
        <p className="chart-message">No failed or missing rows under this filter.</p>
      ) : null}
      {groups.data?.length ? (
        <>
          <p className="chart-note">
            {fmtCount(total)} failed or missing rows in {fmtCount(groups.data.length)}{' '}
            {groups.data.length === 1 ? 'group' : 'groups'}, largest first.
          </p>
          <table className="failure-groups" aria-label="Failure groups">
            <thead>
              <tr>
                <th aria-label="Expand" />
                <th>target</th>
                <th>status</th>
                <th>error type</th>
                <th className="num">rows</th>
                <th className="num">distinct messages</th>
              </tr>
            </thead>
            <tbody>
              {groups.data.map((g) => {
                const k = groupKey(g);
                const isOpen = open.has(k);
                return (
                  <Fragment key={k}>
                    <tr className="failure-group" data-target={g.target} data-status={g.status}>
                      <td>
                        <button
                          type="button"
                          className="expand"
                          aria-expanded={isOpen}
                          aria-label={`Show rows of ${g.target} ${g.error_type ?? g.status}`}
                          onClick={() => toggle(k)}
                        >
                          {isOpen ? '−' : '+'}
                        </button>
                      </td>
                      <td>{g.target}</td>
                      <td>{g.status}</td>
                      <td className="mono">{g.error_type ?? '—'}</td>
                      <td className="num">{fmtCount(g.count)}</td>
                      <td className="num">{fmtCount(g.messages)}</td>
                    </tr>
                    {isOpen ? (
                      <tr>
                        <td colSpan={6}>
                          <FailureRows q={q} filter={filter} group={g} onError={onMessage} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
