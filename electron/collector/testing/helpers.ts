// Test helpers: temp dirs, a native DuckDB to read stores back, and the real CLI as a child process.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { str } from '../../../shared/sql.ts';
import { readManifest } from '../../store/manifest-io.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = path.join(REPO, 'bin/losslens.mjs');

export async function tempDir(name: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `losslens-${name}-`));
}

export async function openTestDuck() {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  return {
    conn,
    async rows(sql: string): Promise<Record<string, unknown>[]> {
      return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** SQL for every row of a store, through the shards its manifest lists (and only those). */
export async function storeRelation(store: string): Promise<string> {
  const m = await readManifest(store);
  const files = m.shards.filter((s) => s.rows > 0).map((s) => str(path.join(store, s.path)));
  if (files.length === 0) throw new Error(`${store}: no rows`);
  return `read_parquet([${files.join(', ')}], union_by_name = true)`;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { input?: string; onSpawn?: (pid: number) => void; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (child.pid) opts.onSpawn?.(child.pid);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
