// The jobs the user opened, newest first, kept in the app-data folder so they survive a restart.
// Entries whose folder is gone are pruned when the list is read. Written atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentJob } from '../../shared/api.ts';
import { writeFileAtomic } from '../store/atomic.ts';

const MAX = 20;
const recentSchema = z.array(
  z.object({ path: z.string(), name: z.string(), jobId: z.string().nullable(), openedAt: z.string() }),
);

export class RecentJobs {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'recent-jobs.json');
  }

  async list(): Promise<RecentJob[]> {
    const all = await this.read();
    const alive: RecentJob[] = [];
    for (const r of all)
      if (
        await fs.stat(r.path).then(
          () => true,
          () => false,
        )
      )
        alive.push(r);
    if (alive.length !== all.length) await this.write(alive);
    return alive;
  }

  async add(job: Omit<RecentJob, 'openedAt'>): Promise<void> {
    const rest = (await this.read()).filter((r) => r.path !== job.path);
    await this.write([{ ...job, openedAt: new Date().toISOString() }, ...rest].slice(0, MAX));
  }

  async forget(p: string): Promise<void> {
    await this.write((await this.read()).filter((r) => r.path !== p));
  }

  private async read(): Promise<RecentJob[]> {
    const text = await fs.readFile(this.file, 'utf8').catch(() => '[]');
    try {
      return recentSchema.parse(JSON.parse(text));
    } catch {
      return []; // a damaged list is not worth an error: it is only a convenience
    }
  }

  private async write(list: RecentJob[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(list, null, 2)}\n`);
  }
}
