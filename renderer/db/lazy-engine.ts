// DuckDB-WASM booted on first use (a 30 MB download and compile, ~1.8 s): calls wait for it instead
// of the whole app waiting, so the host engine can show a store's first rows in the meantime, and
// a store the host answers alone (beyond the memory copy) never boots it at all.
import type { ArrowTable, QueryOptions, SqlEngine } from './engine-types.ts';

export interface LazyEngine extends SqlEngine {
  /** Null until booted; the boot's failure is kept and thrown by every call. */
  readonly ready: SqlEngine | null;
  /** Boots (once) and resolves to the engine. */
  booted(): Promise<SqlEngine>;
}

export function lazyEngine(boot: () => Promise<SqlEngine>): LazyEngine {
  let ready: SqlEngine | null = null;
  let failed = false;
  let booting: Promise<SqlEngine> | null = null;
  const booted = () => {
    booting ??= boot().then(
      (e) => {
        ready = e;
        return e;
      },
      (e: unknown) => {
        failed = true;
        throw e;
      },
    );
    return booting;
  };
  return {
    get bundle() {
      return ready?.bundle ?? (failed ? 'failed' : booting ? 'booting' : 'not booted');
    },
    get ready() {
      return ready;
    },
    booted,
    query: async (sql: string, options?: QueryOptions): Promise<ArrowTable> =>
      (await booted()).query(sql, options),
    registerFile: async (name, url) => (await booted()).registerFile(name, url),
    dropFile: async (name) => (await booted()).dropFile(name),
    registerBuffer: async (name, bytes) => {
      const e = await booted();
      if (!e.registerBuffer) throw new Error('this engine takes no buffers');
      await e.registerBuffer(name, bytes);
    },
    // Never booted: nothing to close (closing must not boot it).
    close: async () => (booting ? (await booting.catch(() => null))?.close() : undefined),
  };
}
