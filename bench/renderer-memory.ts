// The renderer's memory as the OS sees it: page and workers (DuckDB-WASM's heap is the worker's
// WebAssembly.Memory, outside the JS heap) live in Chromium's renderer processes. Summed PSS of
// every `--type=renderer` process under the browser (one page open), so shared pages count once.
import { readdirSync, readFileSync } from 'node:fs';

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended while listing
    }
  }
  return kids;
}

function pssKb(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
}

/** MB of PSS over the renderer processes descending from `rootPid` (Playwright spawns the browser from this process: `process.pid`). */
export function rendererMemoryMb(rootPid = process.pid): number {
  const kids = children();
  let kb = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    for (const c of kids.get(pid) ?? []) stack.push(c);
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) kb += pssKb(pid);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}
