// Which columns the table shows. param_id and target always stay (frozen at the left).
import { useState } from 'react';
import type { TableColumn } from './columns.ts';

interface Props {
  columns: readonly TableColumn[];
  hidden: ReadonlySet<string>;
  onChange: (hidden: Set<string>) => void;
}

export function ColumnChooser({ columns, hidden, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const toggle = (name: string) => {
    const next = new Set(hidden);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange(next);
  };
  return (
    <span className="column-chooser">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns{hidden.size ? ` (${hidden.size} hidden)` : ''}
      </button>
      {open ? (
        <fieldset className="popover chooser-list">
          <legend>Shown columns</legend>
          {columns.map((c) => (
            <label key={c.name}>
              <input
                type="checkbox"
                checked={!hidden.has(c.name)}
                disabled={c.frozen}
                onChange={() => toggle(c.name)}
              />
              {c.name}
            </label>
          ))}
          <button type="button" onClick={() => onChange(new Set())}>
            Show all
          </button>
        </fieldset>
      ) : null}
    </span>
  );
}
