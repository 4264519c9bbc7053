// The collector runs the same way however it is started: from a shell (bin/losslens.mjs's shebang),
// by the browser host (nodeLauncher) or the desktop app (utility-launcher.test.ts). Its memory
// bound depends on those flags, so they must not drift apart.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { COLLECTOR_BIN, COLLECTOR_ENV, COLLECTOR_NODE_FLAGS } from './collect-jobs.ts';

it("the launcher's Node flags and environment are the shebang's", () => {
  const shebang = readFileSync(COLLECTOR_BIN, 'utf8').split('\n')[0]!;
  const words = shebang.replace(/^#!\/usr\/bin\/env -S /, '').split(/\s+/);
  const node = words.indexOf('node');
  expect(node).toBeGreaterThan(-1);
  expect(Object.fromEntries(words.slice(0, node).map((w) => w.split('=')))).toEqual(COLLECTOR_ENV);
  expect(words.slice(node + 1)).toEqual(COLLECTOR_NODE_FLAGS);
});
