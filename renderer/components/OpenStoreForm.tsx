// Open a folder by its path on the host: a loss store, or any job output the collector reads
// (collected first). The browser host cannot show a folder dialog, so this box is the way there.
import { type FormEvent, useState } from 'react';

export function OpenStoreForm({
  onOpen,
  onPick,
}: {
  onOpen: (path: string) => Promise<void>;
  /** The desktop app's folder dialog; absent in the browser. */
  onPick?: () => Promise<void>;
}) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await onOpen(path.trim());
      setError(null);
      setPath('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="open-store" onSubmit={submit}>
      <input
        aria-label="Folder path"
        placeholder="/path/to/job or store"
        value={path}
        onChange={(e) => setPath(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        Open
      </button>
      {onPick ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => onPick().catch((err: Error) => setError(err.message))}
        >
          Browse…
        </button>
      ) : null}
      {error ? <span className="bad field-error">{error}</span> : null}
    </form>
  );
}
