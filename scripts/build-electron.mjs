// Bundles the Electron main process and preload to CommonJS in dist-electron/. Native and
// Electron modules stay external; the preload is self-contained (a sandboxed preload cannot
// require project files). Then sets the fuses on the Electron binary, when there is one.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** node_modules' Electron binary, or null when it was never downloaded (as here, offline). */
function devElectronBinary(root) {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // paths.ts reads import.meta.url only outside this CommonJS bundle (it checks __dirname first).
  logOverride: { 'empty-import-meta': 'silent' },
};
await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.cjs',
  external: ['electron', '@duckdb/node-api'],
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  external: ['electron'],
});

const binary = devElectronBinary(process.cwd());
if (binary) {
  const { applyFuses } = await import('./fuses.mjs');
  const wire = await applyFuses(binary, { packaged: false });
  console.log(`Electron fuses set on ${binary}: ${JSON.stringify(wire)}`);
} else {
  console.log(
    'No Electron binary in node_modules/electron: fuses not set (a packaging step runs scripts/fuses.mjs).',
  );
}
