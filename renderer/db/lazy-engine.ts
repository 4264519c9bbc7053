// DuckDB-WASM while it boots (a 30 MB download and compile, ~1.8 s): calls wait for it instead of
// the whole app waiting, so the host engine can show a store's first rows in the meantime.
import type { ArrowTable, QueryOptions, SqlEngine } from './engine-types.ts';

export interface LazyEngine extends SqlEngine {
  /** Null until booted; the boot's failure is kept and thrown by every call. */
  readonly ready: SqlEngine | null;
  readonly booted: Promise<SqlEngine>;
}

export function lazyEngine(boot: Promise<SqlEngine>): LazyEngine {
  let ready: SqlEngine | null = null;
  let failed = false;
  const booted = boot.then((e) => {
    ready = e;
    return e;
  });
  booted.catch(() => {
    failed = true;
  });
  return {
    get bundle() {
      return ready?.bundle ?? (failed ? 'failed' : 'booting');
    },
    get ready() {
      return ready;
    },
    booted,
    query: async (sql: string, options?: QueryOptions): Promise<ArrowTable> =>
      (await booted).query(sql, options),
    registerFile: async (name, url) => (await booted).registerFile(name, url),
    dropFile: async (name) => (await booted).dropFile(name),
    registerBuffer: async (name, bytes) => {
      const e = await booted;
      if (!e.registerBuffer) throw new Error('this engine takes no buffers');
      await e.registerBuffer(name, bytes);
    },
    close: async () => (await booted.catch(() => null))?.close(),
  };
}
