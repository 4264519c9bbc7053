// How per-target losses combine: a method and, for a weighted sum, one weight per target. Every
// change re-ranks the Pivot and Best at once; the method in use is spelled out beside.
import { useEffect, useState } from 'react';
import { COMBINED_METHODS, type CombinedLoss, type CombinedMethod } from '../../../shared/query-types.ts';
import { weightOf } from '../../db/combined-sql.ts';
import { describeCombined, METHOD_LABELS } from './combined-text.ts';

interface Props {
  targets: readonly string[];
  active: readonly string[];
  combined: CombinedLoss;
  onChange: (c: CombinedLoss) => void;
}

function WeightInput({
  target,
  value,
  onChange,
}: {
  target: string;
  value: number;
  onChange: (w: number) => void;
}) {
  // Local text, so "0." or an empty box can be typed; only a finite number is applied.
  const [text, setText] = useState(String(value));
  useEffect(() => setText((t) => (Number(t) === value ? t : String(value))), [value]);
  return (
    <label className="weight">
      <span className="weight-name" title={target}>
        {target}
      </span>
      <input
        type="number"
        step="any"
        aria-label={`Weight of ${target}`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const w = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(w)) onChange(w);
        }}
      />
    </label>
  );
}

export function CombinedControls({ targets, active, combined, onChange }: Props) {
  return (
    <div className="combined-controls">
      <label>
        Combined loss{' '}
        <select
          aria-label="Combined loss method"
          value={combined.method}
          onChange={(e) => onChange({ ...combined, method: e.target.value as CombinedMethod })}
        >
          {COMBINED_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      {combined.method === 'weighted'
        ? targets.map((t) => (
            <WeightInput
              key={t}
              target={t}
              value={weightOf(combined, t)}
              onChange={(w) => onChange({ ...combined, weights: { ...combined.weights, [t]: w } })}
            />
          ))
        : null}
      <output className="combined-text" aria-label="Combined loss in use">
        = {describeCombined(combined, active)}
      </output>
    </div>
  );
}
