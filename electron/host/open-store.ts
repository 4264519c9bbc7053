// `openStore` for any folder: a store opens at once; job output starts (or rejoins) a collection
// into its store and opens that store as soon as its store.json exists, so the table fills while
// the collector runs. The collector's own error message is what the user sees when it fails.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { OpenStore } from '../../shared/api.ts';
import { MANIFEST_FILE } from '../../shared/manifest.ts';
import type { CollectJobs } from './collect-jobs.ts';
import { classifyFolder, collectedStorePath } from './open-folder.ts';
import type { RecentJobs } from './recent-jobs.ts';
import type { StoreRegistry } from './store-registry.ts';

export interface OpenContext {
  registry: StoreRegistry;
  jobs: CollectJobs;
  recents: RecentJobs;
  dataDir: string;
}

const POLL_MS = 100;

export async function openFolder(ctx: OpenContext, input: string, beside: boolean): Promise<OpenStore> {
  const folder = await classifyFolder(input);
  if (folder.kind === 'store') {
    const store = await ctx.registry.open(folder.root);
    await ctx.recents.add({ path: folder.root, name: store.name, jobId: store.manifest.job_id });
    return store;
  }
  const storePath = beside ? `${folder.root}.losslens` : collectedStorePath(ctx.dataDir, folder.root);
  const run = ctx.jobs.start(folder.root, storePath);
  const manifest = path.join(storePath, MANIFEST_FILE);
  const exists = () =>
    fs.stat(manifest).then(
      () => true,
      () => false,
    );
  // A resumed store exists already; a new one appears once the collector knows the job's shape.
  while (!(await exists())) {
    if (run.job.state !== 'running') {
      throw new Error(run.job.message ?? `collecting ${folder.root} produced no store`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const store = await ctx.registry.open(storePath);
  await ctx.recents.add({
    path: folder.root,
    name: path.basename(folder.root),
    jobId: store.manifest.job_id,
  });
  return store;
}
