// The fuses the build sets, checked on a binary made for the test: Electron's fuse wire is a
// sentinel followed by a version byte, a length byte and one byte per fuse, which is all
// @electron/fuses reads or writes (the real binary cannot be downloaded here).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFuses } from '../../scripts/fuses.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
let dir: string;

/** Electron's defaults: RunAsNode, cookie encryption off, NODE_OPTIONS on, --inspect on, ... */
async function fakeBinary(name: string): Promise<string> {
  const file = path.join(dir, name);
  const wire = [1, 0, 1, 1, 0, 0, 0, 1, 1].map((b) => (b ? FuseState.ENABLE : FuseState.DISABLE));
  const body = Buffer.concat([
    Buffer.alloc(4096, 0x90),
    Buffer.from(SENTINEL),
    Buffer.from([1, wire.length, ...wire]),
    Buffer.alloc(4096, 0x90),
  ]);
  await fs.writeFile(file, body);
  return file;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-fuses-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Electron fuses set by the build', () => {
  it('turn off RunAsNode, NODE_OPTIONS and --inspect and turn on cookie encryption', async () => {
    const binary = await fakeBinary('electron');
    await applyFuses(binary, { packaged: false });
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    // A development run loads the app from a folder: ASAR-only would stop it starting.
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.DISABLE);
  });

  it('also require an intact ASAR, and only an ASAR, in a packaged app', async () => {
    const binary = await fakeBinary('packaged');
    const before = await fs.readFile(binary);
    await applyFuses(binary, { packaged: true });
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    // Only the wire's bytes changed: the rest of the file is untouched.
    const after = await fs.readFile(binary);
    const wireAt = before.indexOf(SENTINEL) + SENTINEL.length + 2;
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    expect(after.length).toBe(before.length);
    expect(changed.every((i) => i >= wireAt && i < wireAt + 9)).toBe(true);
  });
});
