import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BIG_STORE, DEMO_STORE, E2E_DIR } from './stores.ts';

function demo(store: { dir: string; params: number; targets: number; seed: number }, reuse: boolean) {
  const manifestFile = path.join(store.dir, 'store.json');
  if (reuse && existsSync(manifestFile)) {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (m.status === 'complete' && m.counts.rows === store.params * store.targets) return;
  }
  rmSync(store.dir, { recursive: true, force: true });
  const args = [
    '--params',
    String(store.params),
    '--targets',
    String(store.targets),
    '--seed',
    String(store.seed),
  ];
  execFileSync(process.execPath, ['bin/losslens.mjs', 'demo', '--out', store.dir, ...args], {
    stdio: 'inherit',
  });
}

export default function globalSetup() {
  if (!existsSync(path.join('dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npx vite build` (npm run test:e2e does) first');
  }
  mkdirSync(E2E_DIR, { recursive: true });
  demo(DEMO_STORE, false);
  // The 1M-row store takes a while to write; a complete one from an earlier run is reused.
  demo(BIG_STORE, true);
}
