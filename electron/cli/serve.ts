import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createHost } from '../host/host.ts';
import { RENDERER_DIST } from '../host/paths.ts';
import { startServer } from '../serve/server.ts';
import { intOption } from './options.ts';

export async function serveStores(stores: readonly string[], port: number): Promise<void> {
  if (!existsSync(path.join(RENDERER_DIST, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIST} is missing); run \`npm run build\` first`);
  }
  const host = createHost({ transport: 'http', crossOriginIsolation: true });
  for (const s of stores) await host.api.openStore({ path: path.resolve(s) });
  const running = await startServer({ host, staticDir: RENDERER_DIST, port });
  // First stdout line, exactly: scripts and tests read the URL from it.
  process.stdout.write(`Losslens at ${running.url}\n`);
  const stop = async () => {
    await running.close();
    await host.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('open stores in the browser host (loopback HTTP, token-protected)')
    .argument('[stores...]', 'store directories to open')
    .option('--port <p>', 'port on 127.0.0.1 (0 = any free port)', intOption('--port', 0), 0)
    .action((stores: string[], o: { port: number }) => serveStores(stores, o.port));
}
