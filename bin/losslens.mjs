#!/usr/bin/env node
// Entry point of the `losslens` command: runs the TypeScript CLI through tsx, so there is no
// separate build step for the Node side.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
