// Whether the Electron binary is usable here. `require('electron')` from plain Node returns the
// binary's path, but tries to download it first when it is absent — and throws where there is no
// internet. Ask in a child process so that attempt cannot hang or spam this one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type ElectronProbe = { ok: true; path: string } | { ok: false; reason: string };

export function probeElectron(cwd: string, timeoutMs = 60_000): ElectronProbe {
  const result = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  const out = result.stdout.trim();
  if (result.status === 0 && out && existsSync(out)) return { ok: true, path: out };
  if (result.status === 0 && out) return { ok: false, reason: `no Electron binary at ${out}` };
  const lines = `${result.stderr}\n${result.error?.message ?? ''}`.trim().split('\n').filter(Boolean);
  const reason = lines.find((l) => /Electron failed|fetch failed|ENOTFOUND|EAI_AGAIN/.test(l)) ?? lines[0];
  return { ok: false, reason: reason?.trim() ?? 'unknown reason' };
}
