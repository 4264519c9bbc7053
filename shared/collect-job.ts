// A collection the app runs for a folder that is not a loss store yet: what the window shows of
// it (progress, errors) and what Cancel acts on. Sent in `collect-progress` events.
export type CollectState = 'running' | 'done' | 'failed' | 'cancelled';

export interface CollectJob {
  id: string;
  /** The folder the user opened (real path). */
  source: string;
  /** The loss store it is collected into (in the app-data folder, or beside the source). */
  storePath: string;
  state: CollectState;
  rows: number;
  /** Rows expected, when the source knows (parquet metadata); null for streams. */
  total: number | null;
  shards: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  /** The collector's last note, or its error message when failed. */
  message: string | null;
  startedAt: string;
}
