// The CLI as one bundled ES module, built by esbuild on first use and again whenever a source
// file is newer than it. Running the bundle on plain node instead of through the tsx loader saves
// the loader's thread and transpiling on every start (measured on the 10M-row collect bench:
// peak RSS 286 MB through tsx, 247 MB bundled). Dependencies stay in node_modules.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Two levels below the root, like electron/host/paths.ts, so PROJECT_ROOT resolves the same.
export const BUNDLE = path.join(ROOT, 'node_modules', '.cache', 'losslens-cli.mjs');
const SOURCES = ['electron', 'shared'];

/** Newest modification time (ms) of the .ts files under `dirs`, skipping tests. */
export function newestSource(root = ROOT, dirs = SOURCES) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(file).mtimeMs);
      }
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return newest;
}

/** True when `bundle` is missing or older than a source. */
export function isStale(bundle = BUNDLE, root = ROOT, dirs = SOURCES) {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
  return newestSource(root, dirs) > built;
}

/** Path of an up-to-date bundle, building it when needed (written to a temp file, then renamed). */
export async function ensureBundle() {
  if (!isStale()) return BUNDLE;
  const { buildSync } = await import('esbuild');
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  const temp = `${BUNDLE}.${process.pid}.tmp`;
  buildSync({
    entryPoints: [path.join(ROOT, 'electron/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: temp,
    logLevel: 'warning',
  });
  // Concurrent first runs each build their own temp file; whichever renames last wins, and both
  // bundles are the same.
  renameSync(temp, BUNDLE);
  return BUNDLE;
}
