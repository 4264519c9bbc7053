// What a folder the user opens is: a loss store (opened as is), or job output the collector
// understands (collected into a store first), or neither (a message naming the folder and what
// Losslens can open). Collected stores live in the app-data folder, keyed by the source's real
// path, so opening the same source again reuses and resumes its store.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from '../../shared/manifest.ts';
import { CollectError } from '../collector/errors.ts';
import { detectSource } from '../collector/sources/detect.ts';
import type { SourceKind } from '../collector/sources/types.ts';

export type Folder = { kind: 'store'; root: string } | { kind: 'source'; root: string; source: SourceKind };

export async function classifyFolder(input: string): Promise<Folder> {
  let root: string;
  try {
    root = await fs.realpath(path.resolve(input));
  } catch {
    throw new Error(
      `${input}: no such file or folder. Check the path (it is read on the machine running Losslens).`,
    );
  }
  const isStore = (dir: string) =>
    fs.stat(path.join(dir, MANIFEST_FILE)).then(
      () => true,
      () => false,
    );
  if (await isStore(root)) return { kind: 'store', root };
  // Shards are parquet: a store's own folders must not be collected as if they were job output.
  if (await isStore(path.dirname(root))) {
    throw new Error(`${root} is inside the loss store ${path.dirname(root)}: open the store folder itself.`);
  }
  const stores = await storesIn(root, isStore);
  if (stores.length) {
    throw new Error(
      `${root} holds loss store${stores.length > 1 ? 's' : ''} ${stores.join(', ')}: open ${stores.length > 1 ? 'one of them' : 'it'} instead.`,
    );
  }
  try {
    return { kind: 'source', root, source: await detectSource(root) };
  } catch (e) {
    if (e instanceof CollectError) {
      throw new Error(
        `${root}: Losslens cannot open this folder: it is not a loss store (no store.json) and ${e.what}. ${e.fix}.`,
      );
    }
    throw e;
  }
}

async function storesIn(dir: string, isStore: (d: string) => Promise<boolean>): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const e of entries.slice(0, 500)) {
    if (e.isDirectory() && (await isStore(path.join(dir, e.name)))) found.push(e.name);
  }
  return found;
}

/** The store a source is collected into: `<app data>/collected/<name>-<hash of real path>`. */
export function collectedStorePath(dataDir: string, sourceRoot: string): string {
  const key = createHash('sha256').update(sourceRoot).digest('hex').slice(0, 12);
  const name =
    path
      .basename(sourceRoot)
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 60) || 'job';
  return path.join(dataDir, 'collected', `${name}-${key}`);
}
