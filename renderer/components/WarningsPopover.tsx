// The store's warnings (duplicates dropped, bad records skipped, count mismatches), reachable from
// the job header: a disclosure button with the count, opening the list with examples.
import { useState } from 'react';
import type { StoreWarning } from '../../shared/manifest.ts';
import { formatCount } from '../views/table/format.ts';

export function WarningsPopover({ warnings }: { warnings: readonly StoreWarning[] }) {
  const [open, setOpen] = useState(false);
  if (!warnings.length) return <span className="muted">no warnings</span>;
  return (
    <span className="warnings">
      <button
        type="button"
        className="warn-button"
        aria-expanded={open}
        aria-controls="store-warnings"
        onClick={() => setOpen(!open)}
      >
        ⚠ {warnings.length} warning{warnings.length === 1 ? '' : 's'}
      </button>
      {open ? (
        <div id="store-warnings" className="popover" role="dialog" aria-label="Store warnings">
          <ul>
            {warnings.map((w) => (
              <li key={`${w.code}:${w.message}`}>
                <strong>{w.code}</strong> ({formatCount(w.count)}): {w.message}
                {w.examples.length ? (
                  <ul className="examples">
                    {w.examples.map((x) => (
                      <li key={x}>
                        <code>{x}</code>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      ) : null}
    </span>
  );
}
