// Bundles the Electron main process and preload to CommonJS in dist-electron/. Native and
// Electron modules stay external; the preload is self-contained (a sandboxed preload cannot
// require project files). Then sets the fuses on the Electron binary, when there is one.
import { build } from 'esbuild';
import { applyFuses, devElectronBinary } from './fuses.mjs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
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
  const wire = await applyFuses(binary, { packaged: false });
  console.log(`Electron fuses set on ${binary}: ${JSON.stringify(wire)}`);
} else {
  console.log(
    'No Electron binary in node_modules/electron: fuses not set (a packaging step runs scripts/fuses.mjs).',
  );
}
