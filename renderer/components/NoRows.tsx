// Shown over the empty grid when a filter matches nothing, so an empty table never looks broken.
import type { LossFilter } from '../../shared/query-types.ts';

export function NoRows({ filter, onClear }: { filter: LossFilter; onClear: () => void }) {
  const filtered = Boolean(filter.targets?.length || filter.statuses?.length || filter.where?.trim());
  return (
    <div className="no-rows" role="note">
      {filtered ? (
        <>
          <p>No rows match these filters.</p>
          <button type="button" onClick={onClear}>
            Clear filters
          </button>
        </>
      ) : (
        <p>This store has no rows yet.</p>
      )}
    </div>
  );
}
