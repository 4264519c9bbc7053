// The app's collect of a raw job view (openStore on the folder: the collector as a child process,
// progress parsed, the store opened when it appears) beside the CLI's `losslens collect` of the
// same view, each as a whole process run, alternately, median of 3 (min–max). Target ≤ 1.1×.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeViewsFixture } from '../electron/collector/testing/fixtures.ts';
import { CLI, openTestDuck } from '../electron/collector/testing/helpers.ts';
import { createHost } from '../electron/host/host.ts';
import { median } from './stats.ts';
import { type BenchRow, printTable } from './table.ts';

async function cliCollect(view: string, out: string): Promise<number> {
  await fs.rm(out, { recursive: true, force: true });
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'collect', view, '--out', out, '--progress', 'none'], {
    stdio: 'ignore',
  });
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`collect exited ${code}`);
  return (performance.now() - t0) / 1000;
}

async function appCollect(view: string, dataDir: string): Promise<number> {
  await fs.rm(dataDir, { recursive: true, force: true });
  const host = createHost({ transport: 'http', crossOriginIsolation: false, dataDir, pollMs: 100 });
  try {
    const t0 = performance.now();
    const done = new Promise<void>((resolve, reject) =>
      host.subscribe((e) => {
        if (e.type !== 'collect-progress') return;
        if (e.job.state === 'done') resolve();
        else if (e.job.state !== 'running') reject(new Error(e.job.message ?? e.job.state));
      }),
    );
    await host.api.openStore({ path: view });
    await done;
    return (performance.now() - t0) / 1000;
  } finally {
    await host.close();
  }
}

export async function benchOpenCollect(workDir: string, rows: number): Promise<BenchRow[]> {
  const view = path.join(workDir, `open-view-${rows}`);
  if (!(await fs.stat(path.join(view, 'manifest.json')).catch(() => null))) {
    const duck = await openTestDuck();
    await writeViewsFixture(duck.conn, { dir: view, params: Math.round(rows / 2), rowGroupSize: 65_536 });
    duck.close();
  }
  const app: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < 3; i++) {
    cli.push(await cliCollect(view, path.join(workDir, 'open-cli-store')));
    app.push(await appCollect(view, path.join(workDir, 'open-app-data')));
  }
  const span = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} s`;
  const value = median(app);
  const baseline = median(cli);
  return [
    {
      name: `open a ${rows / 1e6}M-row job view in the app (collect + open)`,
      value,
      unit: 's',
      baseline,
      baselineName: 'losslens collect (CLI)',
      target: 'ratio ≤ 1.1',
      met: value / baseline <= 1.1,
      note: `app ${span(app)}, CLI ${span(cli)}`,
    },
  ];
}

if (process.argv[1]?.endsWith('open-collect.ts')) {
  const dir = path.resolve('.tmp', 'bench');
  await fs.mkdir(dir, { recursive: true });
  printTable(
    'Open a job folder in the app',
    await benchOpenCollect(dir, Number(process.argv[2] ?? 1_000_000)),
  );
}
