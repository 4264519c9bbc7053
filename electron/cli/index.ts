// `losslens` subcommands. Each lives in its own module, thin over host/ and collector/.
import { Command } from 'commander';
import { COLLECTOR_VERSION } from '../collector/version.ts';
import { registerCollect } from './collect.ts';
import { registerCompact } from './compact.ts';
import { registerDemo } from './demo.ts';
import { registerExport } from './export.ts';
import { registerInfo } from './info.ts';
import { registerServe } from './serve.ts';
import { registerStart } from './start.ts';

const program = new Command('losslens')
  .description('Open, sort, pivot, plot and export the losses of a calibration or simulation job.')
  .version(COLLECTOR_VERSION)
  .showHelpAfterError();

registerDemo(program);
registerCollect(program);
registerInfo(program);
registerCompact(program);
registerExport(program);
registerServe(program);
registerStart(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`losslens: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
