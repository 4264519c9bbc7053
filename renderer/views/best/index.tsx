// The Best tab: the top N parameter sets (default 20) by the combined loss or by one target, with
// their parameter values; per parameter the range the best N span beside the full range; and
// "Copy as JSON" of the best sets' parameters for a next calibration round.
import { useMemo } from 'react';
import { paramColumn } from '../../../shared/schema.ts';
import { copyText } from '../../components/clipboard.ts';
import { ParamId } from '../../components/ParamId.tsx';
import { activeTargets } from '../../db/combined-sql.ts';
import { pivotQueriesFor } from '../../db/pivot-queries.ts';
import { intSetting, textSetting, useSetting } from '../../state/useSetting.ts';
import { CombinedControls } from '../pivot/CombinedControls.tsx';
import { describeCombined } from '../pivot/combined-text.ts';
import { usePivotLayout } from '../pivot/index.tsx';
import { formatCell, formatNumber } from '../table/format.ts';
import type { ViewProps } from '../view-props.ts';
import { bestJson } from './best-json.ts';
import { ParamSpans } from './ParamSpans.tsx';
import { useBest } from './useBest.ts';

const MAX_N = 1000;
const N_SETTING = intSetting(1, MAX_N);

export default function BestView({ session, store, dataVersion, view, onMessage }: ViewProps) {
  const q = useMemo(() => pivotQueriesFor(session.engine, session.analysis), [session]);
  const layout = usePivotLayout(store);
  const m = store.manifest;
  const [n, setN] = useSetting(view, 'best.n', 20, N_SETTING);
  const [chosenBy, setRankBy] = useSetting(view, 'best.by', 'combined', textSetting);
  // A target named in an old link may not be in this store: rank by the combined loss then.
  const rankBy = chosenBy === 'combined' || layout.targets.includes(chosenBy) ? chosenBy : 'combined';
  const { filter, combined } = view;
  const { rows, full } = useBest(q, layout, filter, combined, rankBy, n, dataVersion, onMessage);
  const active = activeTargets(layout.targets, filter, combined);
  const rankedBy =
    rankBy === 'combined' ? `combined loss: ${describeCombined(combined, active)}` : `loss of ${rankBy}`;
  const lossCols = rankBy === 'combined' ? layout.targets : [];
  const copy = () => {
    if (!rows) return;
    copyText(bestJson(m, rows, rankedBy, filter)).then(
      () =>
        onMessage(`Copied the best ${rows.length} parameter sets as JSON (ranked by ${rankedBy})`, 'info'),
      (e: unknown) => onMessage(`Copy failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return (
    <div className="best-view">
      <div className="view-toolbar best-controls">
        <label>
          Best{' '}
          <input
            type="number"
            min={1}
            max={MAX_N}
            aria-label="How many best sets"
            value={n}
            onChange={(e) => {
              const v = Math.round(Number(e.target.value));
              if (v >= 1 && v <= MAX_N) setN(v);
            }}
          />
        </label>
        <label>
          by{' '}
          <select aria-label="Rank by" value={rankBy} onChange={(e) => setRankBy(e.target.value)}>
            <option value="combined">combined loss</option>
            {layout.targets.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {rankBy === 'combined' ? (
          <CombinedControls
            targets={layout.targets}
            active={active}
            combined={combined}
            onChange={view.setCombined}
          />
        ) : null}
        <span className="spacer" />
        <button type="button" onClick={copy} disabled={!rows?.length}>
          Copy as JSON
        </button>
      </div>
      <div className="best-body">
        <div className="best-table-wrap">
          <table className="best-table" aria-label="Best parameter sets">
            <caption>
              {rows === null
                ? 'Ranking…'
                : `Best ${rows.length} by ${rankBy === 'combined' ? 'combined loss' : rankBy}`}
              {rows !== null && rows.length < n ? ` (only ${rows.length} sets qualify)` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  rank
                </th>
                <th scope="col">param_id</th>
                {rankBy === 'combined' ? (
                  <th scope="col" className="num">
                    combined
                  </th>
                ) : (
                  <th scope="col" className="num">
                    {rankBy}
                  </th>
                )}
                {lossCols.map((t) => (
                  <th key={t} scope="col" className="num" title={t}>
                    {t}
                  </th>
                ))}
                {m.params.map((p) => (
                  <th key={p.name} scope="col" className="num">
                    {p.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => (
                <tr key={String(r.param_id)}>
                  <td className="num">{String(r.rank)}</td>
                  <td>
                    <ParamId id={String(r.param_id)} onMessage={onMessage} />
                  </td>
                  <td className="num strong" title={String(r.combined ?? r.loss)}>
                    {formatNumber(Number(r.combined ?? r.loss))}
                  </td>
                  {lossCols.map((t) => (
                    <td key={t} className="num" title={String(r[t])}>
                      {r[t] === null ? '—' : formatNumber(Number(r[t]))}
                    </td>
                  ))}
                  {m.params.map((p) => {
                    const v = r[paramColumn(p.name)];
                    return (
                      <td key={p.name} className="num" title={String(v)}>
                        {formatCell(v, p.type)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ParamSpans manifest={m} best={rows ?? []} full={full} />
      </div>
    </div>
  );
}
