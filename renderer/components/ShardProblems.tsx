// Listed shards the app cannot read (deleted, truncated, corrupt): named, with what to do, while
// the rest of the store stays on screen marked partial.
import type { ShardProblem } from '../db/registry.ts';
import { formatCount } from '../views/table/format.ts';

export function ShardProblems({ problems, shards }: { problems: readonly ShardProblem[]; shards: number }) {
  if (problems.length === 0) return null;
  const rows = problems.reduce((n, p) => n + p.rows, 0);
  const [first] = problems;
  return (
    <div className="shard-problems" role="alert">
      <strong>
        Partial: {problems.length} of {formatCount(shards)} shards cannot be read ({formatCount(rows)} rows
        left out).
      </strong>{' '}
      {problems.length === 1 && first
        ? `${first.path} is ${first.reason}.`
        : `${problems.map((p) => `${p.path} (${p.reason})`).join('; ')}.`}{' '}
      To fix: re-run the same <code>losslens collect</code> command (it re-collects what the missing shards
      held), or restore the file{problems.length === 1 ? '' : 's'}.
    </div>
  );
}
