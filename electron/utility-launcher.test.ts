// The desktop launcher with `electron` mocked: the collector is forked as a utility process with
// its stderr piped (progress lines), and kill/exit reach the host's job as a child process would.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { expect, it, vi } from 'vitest';

const forked: { modulePath: string; args: string[]; options: Record<string, unknown>; child: FakeChild }[] =
  [];
class FakeChild extends EventEmitter {
  stderr = new PassThrough();
  killed = false;
  kill() {
    this.killed = true;
    this.emit('exit', 130);
    return true;
  }
}
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (modulePath: string, args: string[], options: Record<string, unknown>) => {
      const child = new FakeChild();
      forked.push({ modulePath, args, options, child });
      return child;
    },
  },
}));

it('forks bin/losslens.mjs with the collect arguments, stderr piped, and passes kill and exit through', async () => {
  const { utilityLauncher } = await import('./utility-launcher.ts');
  const child = utilityLauncher(['collect', '/data/job', '--out', '/app/store', '--progress', 'json']);
  const [f] = forked;
  expect(f?.modulePath).toMatch(/bin[\\/]losslens\.mjs$/);
  expect(f?.args).toEqual(['collect', '/data/job', '--out', '/app/store', '--progress', 'json']);
  expect(f?.options.stdio).toBe('pipe');
  // Run as the shebang runs it from a shell (bounded young generation, two libuv threads).
  expect(f?.options.execArgv).toEqual(['--max-semi-space-size=1']);
  expect((f?.options.env as Record<string, string> | undefined)?.UV_THREADPOOL_SIZE).toBe('2');
  expect(child.stderr).toBe(f?.child.stderr);
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  expect(child.kill('SIGINT')).toBe(true);
  expect(f?.child.killed).toBe(true);
  expect(await exited).toBe(130);
});
