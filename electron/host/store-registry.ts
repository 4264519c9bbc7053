// The stores the user opened. An id names each one in shard URLs, so the renderer never sends a
// filesystem path back to read bytes. Ids are random per open (128 bits), so no other page can
// guess one to close or read a store; opening an already-open path returns the same id.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { OpenStore } from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { readStoreManifest } from './manifest-read.ts';
import { type ManifestWatch, watchManifest } from './manifest-watch.ts';

interface Entry {
  store: OpenStore;
  realRoot: string;
  watch: ManifestWatch | null;
}

export function newStoreId(): string {
  return randomBytes(16).toString('hex');
}

export function diffShards(before: Manifest, after: Manifest) {
  const old = new Set(before.shards.map((s) => s.path));
  const now = new Set(after.shards.map((s) => s.path));
  return {
    added: after.shards.filter((s) => !old.has(s.path)),
    removed: before.shards.filter((s) => !now.has(s.path)).map((s) => s.path),
  };
}

export class StoreRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Real path → id of the open store there (also while its first read is in flight). */
  private readonly byRoot = new Map<string, Promise<OpenStore>>();
  private readonly listeners = new Set<(e: ApiEvent) => void>();

  constructor(private readonly options: { watch: boolean; pollMs?: number } = { watch: true }) {}

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ApiEvent) {
    for (const l of this.listeners) l(event);
  }

  list(): OpenStore[] {
    return [...this.entries.values()].map((e) => e.store);
  }

  get(id: string): { store: OpenStore; realRoot: string } | undefined {
    return this.entries.get(id);
  }

  async open(dir: string): Promise<OpenStore> {
    let realRoot: string;
    try {
      realRoot = await fs.realpath(path.resolve(dir));
    } catch {
      throw new Error(`${dir}: no such directory`);
    }
    const pending = this.byRoot.get(realRoot);
    if (pending) {
      const opened = await pending;
      return this.entries.get(opened.id)?.store ?? opened; // the latest manifest, not the first
    }
    const opening = this.openNew(realRoot);
    this.byRoot.set(realRoot, opening);
    opening.catch(() => this.byRoot.delete(realRoot));
    return opening;
  }

  private async openNew(realRoot: string): Promise<OpenStore> {
    const manifest = await readStoreManifest(realRoot);
    const id = newStoreId();
    const store: OpenStore = { id, path: realRoot, name: path.basename(realRoot), manifest };
    const entry: Entry = { store, realRoot, watch: null };
    this.entries.set(id, entry);
    if (this.options.watch) {
      entry.watch = watchManifest(
        realRoot,
        (next) => this.onManifest(id, next),
        (message) => this.emit({ type: 'store-error', storeId: id, message }),
        { pollMs: this.options.pollMs },
      );
    }
    this.emit({ type: 'store-opened', store });
    return store;
  }

  private onManifest(id: string, manifest: Manifest) {
    const entry = this.entries.get(id);
    if (!entry) return;
    const prev = entry.store.manifest;
    // The same content read again (the watch reads on start and after its baseline) is no change;
    // anything else is, even with the same updated_at and shard count (a status-only rewrite).
    if (JSON.stringify(prev) === JSON.stringify(manifest)) return;
    const { added, removed } = diffShards(prev, manifest);
    entry.store = { ...entry.store, manifest };
    this.emit({ type: 'store-updated', storeId: id, manifest, added, removed });
  }

  async close(id: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.byRoot.delete(entry.realRoot);
    await entry.watch?.close();
    this.emit({ type: 'store-closed', storeId: id });
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }
}
