// DuckDB-WASM in a Web Worker, behind SqlEngine. The wasm and worker files are bundled by Vite
// (`?url`), never fetched from a CDN. Version 1.28.0 is pinned because it is the last build with
// parquet linked in (see TECH-NOTES); an upgrade only touches this file.
import {
  AsyncDuckDB,
  type DuckDBBundle,
  type DuckDBConfig,
  DuckDBDataProtocol,
  selectBundle,
  VoidLogger,
} from '@duckdb/duckdb-wasm';
import coiPthread from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import type { ArrowTable, SqlEngine } from './engine-types.ts';

type FilesystemConfig = NonNullable<DuckDBConfig['filesystem']> & { reliableHeadRequests?: boolean };

const MVP = { mainModule: mvpWasm, mainWorker: mvpWorker };
const EH = { mainModule: ehWasm, mainWorker: ehWorker };
const COI = { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthread };

function bundleName(b: DuckDBBundle): string {
  if (b.mainModule === coiWasm) return 'coi';
  return b.mainModule === ehWasm ? 'eh' : 'mvp';
}

async function start(bundle: DuckDBBundle, timeoutMs: number): Promise<SqlEngine> {
  if (!bundle.mainWorker) throw new Error('DuckDB bundle without a worker');
  const worker = new Worker(bundle.mainWorker);
  const db = new AsyncDuckDB(new VoidLogger(), worker);
  try {
    return await deadline(connect(db, bundle), timeoutMs, `DuckDB ${bundleName(bundle)}`);
  } catch (e) {
    worker.terminate();
    throw e;
  }
}

async function connect(db: AsyncDuckDB, bundle: DuckDBBundle): Promise<SqlEngine> {
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  // Range reads only: never download a whole shard because a HEAD looked odd. 1.28 knows only
  // allowFullHTTPReads; reliableHeadRequests is for the newer builds on the upgrade path.
  const filesystem: FilesystemConfig = { reliableHeadRequests: true, allowFullHTTPReads: false };
  await db.open({ filesystem });
  const conn = await db.connect();
  // A missing extension must fail fast, not try the network.
  await conn.query('SET autoload_known_extensions = false');
  await conn.query('SELECT 1'); // a build that cannot run a query must fail here, not later
  // Keep parsed parquet footers between queries instead of re-reading them over HTTP.
  await conn.query('SET enable_object_cache = true');
  const threads = bundleName(bundle) === 'coi' ? Math.min(4, navigator.hardwareConcurrency || 2) : 1;
  if (threads > 1) await conn.query(`SET threads = ${threads}`);
  return {
    bundle: bundleName(bundle),
    query: (sql) => conn.query(sql) as Promise<ArrowTable>,
    registerFile: (name, url) => db.registerFileURL(name, url, DuckDBDataProtocol.HTTP, false),
    dropFile: async (name) => {
      await db.dropFile(name);
    },
    registerBuffer: (name: string, bytes: Uint8Array) => db.registerFileBuffer(name, bytes),
    close: async () => {
      await conn.close();
      await db.terminate();
    },
  };
}

/** Reject when `p` takes longer than `ms`: a broken build hangs rather than throwing. */
function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export type BundlePreference = 'auto' | 'coi' | 'eh' | 'mvp';

/**
 * Boot DuckDB. By default the single-threaded `eh` build (wasm exceptions), else `mvp`.
 * The threaded `coi` build is tried only when asked for (`?duckdb=coi`) and the page is
 * cross-origin isolated: in 1.28.0 its pthread worker fails under manual bundling
 * (`startWorker is not defined`, duckdb/duckdb-wasm#939) and the instance hangs, so it gets a
 * deadline and falls back. A build that fails to start falls through to the next one.
 */
export async function bootEngine(preference: BundlePreference = 'auto'): Promise<SqlEngine> {
  const candidates: DuckDBBundle[] = [];
  if (preference === 'coi' && globalThis.crossOriginIsolated) candidates.push({ ...COI });
  if (preference !== 'mvp') candidates.push(await selectBundle({ mvp: MVP, eh: EH }));
  candidates.push({ ...MVP, pthreadWorker: null });
  let lastError: unknown;
  const tried = new Set<string>();
  for (const bundle of candidates) {
    if (tried.has(bundle.mainModule)) continue;
    tried.add(bundle.mainModule);
    try {
      return await start(bundle, bundleName(bundle) === 'coi' ? 5000 : 60_000);
    } catch (e) {
      lastError = e;
      console.warn(`DuckDB ${bundleName(bundle)} build failed to start; trying the next`, e);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
