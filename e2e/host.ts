// Starts the real browser host (`losslens serve`) as a child process and reads its URL line.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ServedHost {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The app-data folder the e2e hosts use (collected stores, recent jobs), never the user's own. */
export const E2E_DATA_DIR = path.resolve('.tmp', 'e2e', 'app-data');

export async function serve(stores: readonly string[], opts: { dataDir?: string } = {}): Promise<ServedHost> {
  const child = spawn(process.execPath, ['bin/losslens.mjs', 'serve', ...stores, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOSSLENS_DATA_DIR: opts.dataDir ?? E2E_DATA_DIR },
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`losslens serve exited with ${code}`)));
  });
  const m = /^Losslens at (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/.exec(first);
  if (!m) throw new Error(`unexpected first line from losslens serve: ${first}`);
  return {
    url: `${m[1]}/?token=${m[2]}`,
    origin: m[1]!,
    token: m[2]!,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
