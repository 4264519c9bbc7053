import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DEMO_STORE, E2E_DIR } from './stores.ts';

export default function globalSetup() {
  if (!existsSync(path.join('dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npx vite build` (npm run test:e2e does) first');
  }
  mkdirSync(E2E_DIR, { recursive: true });
  rmSync(DEMO_STORE.dir, { recursive: true, force: true });
  const args = ['--params', String(DEMO_STORE.params), '--targets', String(DEMO_STORE.targets)];
  execFileSync(
    process.execPath,
    ['bin/losslens.mjs', 'demo', '--out', DEMO_STORE.dir, ...args, '--seed', String(DEMO_STORE.seed)],
    { stdio: 'inherit' },
  );
}
