// A param_id shown by its first 8 characters; the whole id is the tooltip and what a click copies.
import { copyText } from './clipboard.ts';

export function ParamId({
  id,
  onMessage,
}: {
  id: string;
  onMessage?: (m: string, tone?: 'info' | 'error') => void;
}) {
  return (
    <button
      type="button"
      className="param-id"
      title={`${id} (click to copy)`}
      aria-label={`param_id ${id}, copy`}
      onClick={() =>
        void copyText(id).then(
          () => onMessage?.(`Copied param_id ${id}`, 'info'),
          (e: unknown) => onMessage?.(`Could not copy: ${e instanceof Error ? e.message : String(e)}`),
        )
      }
    >
      {id.slice(0, 8)}
    </button>
  );
}
