// Where Losslens keeps its own files (the built-in demo store), per platform convention.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function appDataDir(): string {
  if (process.env.LOSSLENS_DATA_DIR) return path.resolve(process.env.LOSSLENS_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Losslens');
  if (process.platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Losslens');
  }
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'losslens');
}

/** The project root (where package.json and dist/ live), from this file's location. */
function projectRoot(): string {
  // The Electron main bundle (dist-electron/main.cjs) is CommonJS: it has __dirname and an empty
  // import.meta, so reading import.meta.url there would throw as the app starts.
  if (typeof __dirname === 'string' && path.basename(__dirname) === 'dist-electron') {
    return path.dirname(__dirname);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}
export const PROJECT_ROOT = projectRoot();
export const RENDERER_DIST = path.join(PROJECT_ROOT, 'dist', 'renderer');
