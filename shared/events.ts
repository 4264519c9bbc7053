// Change events pushed from the host to the renderer (SSE in the browser host, IPC in Electron).
import type { OpenStore } from './api.ts';
import type { CollectJob } from './collect-job.ts';
import type { Manifest, ShardEntry } from './manifest.ts';

export type ApiEvent =
  | { type: 'store-opened'; store: OpenStore }
  | {
      type: 'store-updated';
      storeId: string;
      manifest: Manifest;
      /** Shards listed now that were not listed in the previous manifest (a compaction adds and removes). */
      added: ShardEntry[];
      /** Paths of shards no longer listed. */
      removed: string[];
    }
  | { type: 'store-closed'; storeId: string }
  | { type: 'store-error'; storeId: string; message: string }
  /** A collection the app runs for an opened folder moved on (progress, done, failed, cancelled). */
  | { type: 'collect-progress'; job: CollectJob };

export type ApiEventType = ApiEvent['type'];
