// Stores the e2e specs open, made once by global setup with the real demo command.
import path from 'node:path';

export const E2E_DIR = path.resolve('.tmp', 'e2e');
export const DEMO_STORE = { dir: path.join(E2E_DIR, 'demo-2000x3'), params: 2000, targets: 3, seed: 7 };
export const BIG_STORE = { dir: path.join(E2E_DIR, 'demo-1m'), params: 333_334, targets: 3, seed: 21 };
