// Filters: targets and statuses as toggles, plus a free SQL WHERE expression (the "SQL filter"
// box; Enter applies). The expression is checked by DuckDB before it is applied; DuckDB's message
// appears beside the box. Below, every active part of the filter as a removable chip.
import { type FormEvent, useEffect, useState } from 'react';
import type { LossFilter } from '../../shared/query-types.ts';
import { ROW_STATUSES, type RowStatus } from '../../shared/schema.ts';
import type { WhereCheck } from '../db/queries.ts';
import { FilterChips } from './FilterChips.tsx';

interface Props {
  targets: readonly string[];
  filter: LossFilter;
  onChange: (filter: LossFilter) => void;
  validate: (expr: string) => Promise<WhereCheck>;
}

function toggle<T>(list: readonly T[] | undefined, value: T): T[] | undefined {
  const set = new Set(list ?? []);
  if (set.has(value)) set.delete(value);
  else set.add(value);
  return set.size ? [...set] : undefined;
}

export function FilterBar({ targets, filter, onChange, validate }: Props) {
  const [text, setText] = useState(filter.where ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(filter.where ?? ''), [filter.where]);

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    const check = await validate(text);
    if (!check.ok) return setError(check.message);
    setError(null);
    onChange({ ...filter, where: text.trim() || undefined });
  };

  return (
    <div className="filter-bar">
      <fieldset>
        <legend>Targets</legend>
        {targets.map((t) => (
          <label key={t} className="chip">
            <input
              type="checkbox"
              checked={filter.targets?.includes(t) ?? false}
              onChange={() => onChange({ ...filter, targets: toggle(filter.targets, t) })}
            />
            {t}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Status</legend>
        {ROW_STATUSES.map((s: RowStatus) => (
          <label key={s} className={`chip status-${s}`}>
            <input
              type="checkbox"
              checked={filter.statuses?.includes(s) ?? false}
              onChange={() => onChange({ ...filter, statuses: toggle(filter.statuses, s) })}
            />
            {s}
          </label>
        ))}
      </fieldset>
      <form className="where" onSubmit={apply}>
        <label htmlFor="where-input">SQL filter</label>
        <input
          id="where-input"
          spellCheck={false}
          placeholder="e.g. loss < 100 AND param_beta > 0.3"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'where-error' : undefined}
        />
        <button type="submit">Apply</button>
        {error ? (
          <span id="where-error" className="bad field-error" role="alert">
            {error}
            <span className="not-applied">
              {' '}
              — not applied: showing{' '}
              {filter.where ? `the previous filter's rows (${filter.where})` : 'rows without a SQL filter'}
            </span>
          </span>
        ) : null}
      </form>
      <FilterChips filter={filter} onChange={onChange} />
    </div>
  );
}
