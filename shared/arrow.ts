// apache-arrow 13 (the version DuckDB-WASM 1.28 reads) hides its typings behind package.json
// "exports", so TypeScript cannot see them by name: the types come from its .d.ts by path, the
// code by name. The host builds Arrow IPC with it; the renderer reads IPC with it.

// @ts-expect-error -- typed just below (see the comment at the top)
import * as runtime from 'apache-arrow';
import type * as ArrowModule from '../node_modules/apache-arrow/Arrow.dom.js';

export const arrow = runtime as typeof ArrowModule;
export type * as ArrowTypes from '../node_modules/apache-arrow/Arrow.dom.js';
