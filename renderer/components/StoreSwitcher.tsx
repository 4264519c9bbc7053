// The jobs open in this window: switch between them; each keeps its own view state.
import type { OpenStore } from '../../shared/api.ts';

export function StoreSwitcher({
  stores,
  current,
  onSwitch,
}: {
  stores: readonly OpenStore[];
  current: OpenStore;
  onSwitch: (id: string) => void;
}) {
  if (stores.length < 2) return null;
  return (
    <select
      className="store-switcher"
      aria-label="Open jobs"
      value={current.id}
      onChange={(e) => onSwitch(e.target.value)}
    >
      {stores.map((s) => (
        <option key={s.id} value={s.id} title={s.path}>
          {s.name} ({s.manifest.job_id})
        </option>
      ))}
    </select>
  );
}
