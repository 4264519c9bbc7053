// Electron fuses: switches compiled into the Electron binary that no code or environment can turn
// back on. Set on the binary the app runs on (the build does it for node_modules' Electron when the
// binary is present; a packaging step runs `node scripts/fuses.mjs <binary> --packaged`).
import { pathToFileURL } from 'node:url';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

/**
 * RunAsNode off (ELECTRON_RUN_AS_NODE cannot turn the app into a plain node), NODE_OPTIONS and
 * --inspect ignored, cookies encrypted at rest; ASAR integrity and app-from-ASAR-only where the
 * app is packaged in an ASAR (a development run loads dist-electron/ from a folder).
 */
export function fuseConfig({ packaged }) {
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: process.platform === 'darwin' && process.arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: packaged,
    [FuseV1Options.OnlyLoadAppFromAsar]: packaged,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Flip the fuses on `binary` and return the wire read back from it ({ [option]: '0'|'1'|... }). */
export async function applyFuses(binary, { packaged }) {
  await flipFuses(binary, fuseConfig({ packaged }));
  return getCurrentFuseWire(binary);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [binary, flag] = process.argv.slice(2);
  if (!binary) {
    console.error('usage: node scripts/fuses.mjs <electron binary or .app> [--packaged]');
    process.exit(2);
  }
  const wire = await applyFuses(binary, { packaged: flag === '--packaged' });
  console.log(`fuses set on ${binary}: ${JSON.stringify(wire)}`);
}
