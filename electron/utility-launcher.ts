// In the desktop app the collector runs in an Electron utility process: `process.execPath` is the
// Electron binary there (spawning it would start a second app), and the RunAsNode fuse is off, so
// plain child_process cannot run Node. utilityProcess gives the same child the host expects.
import { utilityProcess } from 'electron';
import {
  COLLECTOR_BIN,
  COLLECTOR_ENV,
  COLLECTOR_NODE_FLAGS,
  type CollectorLauncher,
} from './host/collect-jobs.ts';

export const utilityLauncher: CollectorLauncher = (args) => {
  const child = utilityProcess.fork(COLLECTOR_BIN, [...args], {
    stdio: 'pipe',
    execArgv: [...COLLECTOR_NODE_FLAGS],
    env: { ...process.env, ...COLLECTOR_ENV },
    serviceName: 'Losslens collector',
  });
  return {
    stderr: child.stderr,
    // A utility process takes no signal name: kill() ends it the way SIGTERM does, which the
    // collector handles like Ctrl+C (stops before its next shard, keeps what is committed).
    kill: () => child.kill(),
    once: (_event, listener) => child.once('exit', (code: number) => listener(code)),
  };
};
