// Always visible: the job (id, source, state) and per target its counts under the filter and its
// best loss with the param_id behind it (8 characters shown, the whole id on hover and copied on
// click). The store's warnings (duplicates dropped, bad records, count mismatches) open from here.
import { useEffect, useState } from 'react';
import type { OpenStore } from '../../shared/api.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import type { BrushedCounts } from '../db/brushed-counts.ts';
import type { EarlySource } from '../db/early-window.ts';
import type { SqlEngine } from '../db/engine-types.ts';
import { isUnfiltered, jobHeadlines, manifestHeadlines, type TargetHeadline } from '../db/job-summary.ts';
import { formatCount, formatNumber } from '../views/table/format.ts';
import { LiveBadge } from './LiveBadge.tsx';
import { ParamId } from './ParamId.tsx';
import { WarningsPopover } from './WarningsPopover.tsx';

interface Props {
  engine: SqlEngine;
  /** Answers under brushes from the derived pivot, when it can. */
  brushed?: BrushedCounts;
  store: OpenStore;
  filter: LossFilter;
  dataVersion: number;
  onMessage: (m: string, tone?: 'info' | 'error') => void;
  /** Resolves once the first rows are on screen: the best sets' ids wait for it. */
  after?: Promise<unknown>;
  /** The shards one by one while the store is not in memory (the ids then read only a few). */
  early?: () => EarlySource | null;
}

function useHeadlines({ engine, brushed, store, filter, dataVersion, onMessage, after, early }: Props) {
  const [lines, setLines] = useState<TargetHeadline[] | null>(null);
  const [pending, setPending] = useState(true);
  useEffect(() => {
    let live = true;
    void dataVersion;
    setPending(true);
    // Counts and best losses are in the manifest: shown at once. The best sets' ids need a read
    // of the shards holding the best losses, run once the first rows are on screen.
    const quick = isUnfiltered(filter) ? manifestHeadlines(store.manifest) : null;
    if (quick) {
      setLines((prev) =>
        quick.map((q) => ({
          ...q,
          bestId: prev?.find((p) => p.target === q.target && p.best === q.best)?.bestId ?? null,
        })),
      );
    }
    Promise.resolve(after)
      .then(() =>
        live
          ? jobHeadlines(
              engine,
              store.manifest,
              filter,
              (f) => brushed?.summary(f) ?? Promise.resolve(null),
              early?.() ?? null,
            )
          : null,
      )
      .then((l) => live && l && setLines(l))
      .finally(() => live && setPending(false))
      .catch((e: unknown) => live && onMessage(`Job summary: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
    };
  }, [engine, brushed, store.manifest, filter, dataVersion, onMessage, after, early]);
  return { lines, pending };
}

export function JobHeader(props: Props) {
  const m = props.store.manifest;
  const { lines, pending } = useHeadlines(props);
  const filtered = !isUnfiltered(props.filter);
  return (
    <section className="job-header" aria-label="Job">
      <div className="job-line">
        <span className="job-id" title="Job id">
          {m.job_id || '(no job id)'}
        </span>
        <span className="job-source" title={m.source.path}>
          {m.source.kind} ·{' '}
          {m.source.path === '-' ? 'standard input (a pipe, e.g. losslens_dask)' : m.source.path}
        </span>
        {m.status === 'complete' ? <span className="job-state">complete</span> : <LiveBadge manifest={m} />}
        <WarningsPopover warnings={m.warnings} />
        {filtered ? <span className="muted">counts under the filter</span> : null}
      </div>
      <ul className="target-lines" aria-label="Targets">
        {(lines ?? m.targets.map((): TargetHeadline | null => null)).map((l, i) => {
          const id = l?.target ?? m.targets[i]?.id ?? '';
          return (
            <li key={id} className="target-line">
              <span className="target-name">{id}</span>
              {l ? (
                <>
                  <span className="num">{formatCount(l.ok)} ok</span>
                  <span className={`num ${l.failed ? 'bad' : 'muted'}`}>{formatCount(l.failed)} failed</span>
                  <span className={`num ${l.missing ? 'warn' : 'muted'}`}>
                    {formatCount(l.missing)} missing
                  </span>
                  <span className="best">
                    best{' '}
                    {l.best === null ? (
                      '—'
                    ) : (
                      <>
                        <strong className="num">{formatNumber(l.best)}</strong>
                        {l.bestId ? (
                          <>
                            {' '}
                            at <ParamId id={l.bestId} onMessage={props.onMessage} />
                          </>
                        ) : pending ? (
                          // The id's place kept while it is looked up: the header does not reflow
                          // (and move the table) when it arrives.
                          <span className="param-id-pending" aria-hidden="true">
                            {' '}
                            at{' '}
                            <button type="button" className="param-id" disabled tabIndex={-1}>
                              ········
                            </button>
                          </span>
                        ) : null}
                      </>
                    )}
                  </span>
                </>
              ) : (
                <span className="muted">…</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
