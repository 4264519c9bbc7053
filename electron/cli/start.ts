// `npm start` / `losslens start [STORE...]`: the Electron window where its binary exists, else the
// browser host, saying so in one line. With no store, the built-in demo job (generated once into
// the app-data folder) opens.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writeDemoStore } from '../collector/demo.ts';
import { probeElectron } from '../host/electron-binary.ts';
import { appDataDir, PROJECT_ROOT, RENDERER_DIST } from '../host/paths.ts';
import { readManifestIfExists } from '../store/manifest-io.ts';
import { intOption } from './options.ts';
import { serveStores } from './serve.ts';

export async function ensureDemoStore(): Promise<string> {
  const dir = path.join(appDataDir(), 'demo-store');
  const manifest = await readManifestIfExists(dir).catch(() => null);
  if (manifest?.status !== 'complete') {
    process.stdout.write(`Generating the demo job into ${dir} …\n`);
    await writeDemoStore({ out: dir, params: 5000, targets: 3, seed: 42, failRate: 0.015 });
  }
  return dir;
}

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .alias('open')
    .description(
      'open Losslens (Electron where available, else the browser host) on stores, job folders (collected first) or the demo job',
    )
    .argument(
      '[folders...]',
      'loss stores or job folders (job view, provenance store, NDJSON, parquet) to open',
    )
    .option('--port <p>', 'browser-host port when falling back', intOption('--port', 0), 0)
    .action(async (stores: string[], o: { port: number }) => {
      const open = stores.length > 0 ? stores.map((s) => path.resolve(s)) : [await ensureDemoStore()];
      if (!existsSync(path.join(RENDERER_DIST, 'index.html')))
        run(process.execPath, ['node_modules/vite/bin/vite.js', 'build']);
      const electron = probeElectron(PROJECT_ROOT);
      if (electron.ok) {
        run(process.execPath, ['scripts/build-electron.mjs']);
        const child = spawn(electron.path, [PROJECT_ROOT, '--', ...open], { stdio: 'inherit' });
        child.on('exit', (code) => process.exit(code ?? 0));
        return;
      }
      process.stdout.write(
        `Electron is not available here (${electron.reason}); falling back to the browser host.\n`,
      );
      await serveStores(open, o.port);
    });
}
