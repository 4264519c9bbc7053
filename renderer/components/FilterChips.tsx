// The one filter, shown as removable chips: every part that narrows the rows (targets, statuses,
// the SQL filter, brushed loss and parameter ranges), each with its own remove button.
import type { LossFilter, Range } from '../../shared/query-types.ts';
import { formatNumber } from '../views/table/format.ts';

interface Chip {
  key: string;
  label: string;
  without: LossFilter;
}

export function rangeLabel([lo, hi]: Range): string {
  if (lo !== null && hi !== null) return `${formatNumber(lo)} – ${formatNumber(hi)}`;
  if (lo !== null) return `≥ ${formatNumber(lo)}`;
  return `≤ ${formatNumber(hi ?? 0)}`;
}

function omit<T>(record: Readonly<Record<string, T>> | undefined, key: string) {
  const { [key]: _, ...rest } = record ?? {};
  return Object.keys(rest).length ? rest : undefined;
}

export function filterChips(f: LossFilter): Chip[] {
  const chips: Chip[] = [];
  for (const t of f.targets ?? []) {
    const rest = f.targets?.filter((x) => x !== t);
    chips.push({
      key: `t:${t}`,
      label: `target ${t}`,
      without: { ...f, targets: rest?.length ? rest : undefined },
    });
  }
  for (const s of f.statuses ?? []) {
    const rest = f.statuses?.filter((x) => x !== s);
    chips.push({
      key: `s:${s}`,
      label: `status ${s}`,
      without: { ...f, statuses: rest?.length ? rest : undefined },
    });
  }
  if (f.where?.trim())
    chips.push({ key: 'where', label: `SQL: ${f.where}`, without: { ...f, where: undefined } });
  for (const [t, r] of Object.entries(f.lossRanges ?? {}))
    chips.push({
      key: `l:${t}`,
      label: `${t} loss ${rangeLabel(r)}`,
      without: { ...f, lossRanges: omit(f.lossRanges, t) },
    });
  for (const [c, r] of Object.entries(f.paramRanges ?? {}))
    chips.push({
      key: `p:${c}`,
      label: `${c} ${rangeLabel(r)}`,
      without: { ...f, paramRanges: omit(f.paramRanges, c) },
    });
  return chips;
}

export function FilterChips({ filter, onChange }: { filter: LossFilter; onChange: (f: LossFilter) => void }) {
  const chips = filterChips(filter);
  if (!chips.length) return null;
  return (
    <ul className="filter-chips" aria-label="Active filters">
      {chips.map((c) => (
        <li key={c.key} className="active-chip">
          <span className="chip-label" title={c.label}>
            {c.label}
          </span>
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove filter ${c.label}`}
            onClick={() => onChange(c.without)}
          >
            ×
          </button>
        </li>
      ))}
      {chips.length > 1 ? (
        <li>
          <button type="button" className="ghost" onClick={() => onChange({})}>
            Clear all
          </button>
        </li>
      ) : null}
    </ul>
  );
}
