// Runs the bundled collector in a child process for a folder that is not a loss store yet, and
// turns its `--progress json` lines into CollectJob updates. A child, not the host's own thread:
// a million-row collect must not stall the window, and its memory goes back when it ends.
// Cancel sends SIGINT, which stops the collector before its next shard with what is committed kept.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CollectJob } from '../../shared/collect-job.ts';
import type { ProgressEvent } from '../collector/progress.ts';
import { PROJECT_ROOT } from './paths.ts';

/** The part of a child process the jobs use (a Node ChildProcess, or Electron's utilityProcess). */
export interface CollectorChild {
  stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}
export type CollectorLauncher = (args: readonly string[]) => CollectorChild;

export const COLLECTOR_BIN = path.join(PROJECT_ROOT, 'bin', 'losslens.mjs');

/**
 * How the collector's Node runs, as bin/losslens.mjs's shebang runs it from a shell (a launcher
 * that starts `node` itself skips the shebang). A 1 MB young generation: each commit re-reads and
 * rewrites store.json, and with V8's default 16 MB semi-spaces that garbage alone kept ~60 MB
 * resident; at 30M rows peak RSS 345 → 281 MB, same speed. Two libuv threads: see the shebang.
 */
export const COLLECTOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
export const COLLECTOR_ENV: Readonly<Record<string, string>> = { UV_THREADPOOL_SIZE: '2' };

export const nodeLauncher: CollectorLauncher = (args) =>
  spawn(process.execPath, [...COLLECTOR_NODE_FLAGS, COLLECTOR_BIN, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...COLLECTOR_ENV },
  });

interface Running {
  job: CollectJob;
  child: CollectorChild;
  cancelled: boolean;
  exited: Promise<CollectJob>;
}

export class CollectJobs {
  private readonly jobs = new Map<string, Running>();

  constructor(
    private readonly onUpdate: (job: CollectJob) => void,
    private readonly launch: CollectorLauncher = nodeLauncher,
  ) {}

  list(): CollectJob[] {
    return [...this.jobs.values()].map((r) => r.job);
  }

  /** The running job collecting into `storePath`, if any (a second open of a source reuses it). */
  runningInto(storePath: string): Running | undefined {
    return [...this.jobs.values()].find((r) => r.job.storePath === storePath && r.job.state === 'running');
  }

  start(source: string, storePath: string): Running {
    const existing = this.runningInto(storePath);
    if (existing) return existing;
    const job: CollectJob = {
      id: randomBytes(8).toString('hex'),
      source,
      storePath,
      state: 'running',
      rows: 0,
      total: null,
      shards: 0,
      rowsPerSecond: 0,
      etaSeconds: null,
      message: null,
      startedAt: new Date().toISOString(),
    };
    const child = this.launch(['collect', source, '--out', storePath, '--progress', 'json']);
    const run: Running = { job, child, cancelled: false, exited: Promise.resolve(job) };
    const errors: string[] = [];
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        const event = parseProgress(line);
        if (event) this.update(run, fromProgress(event));
        else if (line.trim()) errors.push(line.replace(/^losslens: /, '').trim());
      });
    }
    run.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        const state = code === 0 ? 'done' : run.cancelled ? 'cancelled' : 'failed';
        const message =
          state === 'failed'
            ? errors.join('\n') || `the collector stopped (exit code ${code})`
            : state === 'cancelled'
              ? 'cancelled: the rows committed so far are kept; open the folder again to resume'
              : run.job.message;
        this.update(run, { state, message, etaSeconds: null });
        resolve(run.job);
      });
    });
    this.jobs.set(job.id, run);
    this.onUpdate(job);
    return run;
  }

  cancel(id: string): boolean {
    const run = this.jobs.get(id);
    if (run?.job.state !== 'running') return false;
    run.cancelled = true;
    run.child.kill('SIGINT');
    return true;
  }

  async closeAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((r) => r.job.state === 'running');
    for (const r of running) this.cancel(r.job.id);
    await Promise.all(running.map((r) => r.exited));
  }

  private update(run: Running, patch: Partial<CollectJob>): void {
    run.job = { ...run.job, ...patch };
    this.onUpdate(run.job);
  }
}

function parseProgress(line: string): ProgressEvent | null {
  if (!line.startsWith('{"progress":')) return null;
  try {
    return (JSON.parse(line) as { progress: ProgressEvent }).progress;
  } catch {
    return null;
  }
}

function fromProgress(e: ProgressEvent): Partial<CollectJob> {
  return {
    rows: e.rows,
    total: e.total,
    shards: e.shards,
    rowsPerSecond: e.rowsPerSecond,
    etaSeconds: e.etaSeconds,
    ...(e.message ? { message: e.message } : {}),
  };
}
