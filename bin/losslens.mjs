#!/usr/bin/env -S UV_THREADPOOL_SIZE=2 node --max-semi-space-size=1
// Entry point of the `losslens` command: runs the CLI from a bundle esbuild keeps up to date
// (bin/cli-bundle.mjs), so there is no separate build step for the Node side. If the bundle
// cannot be built, the TypeScript runs through tsx instead.
// UV_THREADPOOL_SIZE=2 in the shebang, because libuv reads it before any script runs: DuckDB's
// Node API runs each query on a libuv pool thread, and every pool thread that has run DuckDB work
// keeps memory of its own. Measured on the 10M-row bench job (2 writer lanes): peak RSS 313 MB
// with the default 4 threads, 304 with 3, 243 with 2, at the same speed. Two is also all that
// the collector's two lanes use; `serve` reads shards through the pool and is not slowed.
// --max-semi-space-size=1: a 1 MB young generation (why: COLLECTOR_NODE_FLAGS in
// electron/host/collect-jobs.ts, which launches the app's collector the same way).
import { pathToFileURL } from 'node:url';
import { ensureBundle } from './cli-bundle.mjs';

let bundle = null;
try {
  bundle = await ensureBundle();
} catch (e) {
  process.stderr.write(`losslens: running through tsx (could not bundle the CLI: ${e.message})\n`);
}
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli/index.ts');
}
