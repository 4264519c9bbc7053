// The store's layout as the chart queries need it: target ids and parameter columns with types.
import type { OpenStore } from '../../../shared/api.ts';
import { paramColumn } from '../../../shared/schema.ts';
import type { PivotLayout } from '../../db/analysis.ts';
import type { ParamInfo } from '../../db/profile.ts';

export function pivotLayout(store: OpenStore): PivotLayout {
  const m = store.manifest;
  return { targets: m.targets.map((t) => t.id), params: m.params.map((p) => paramColumn(p.name)) };
}

export function paramInfos(store: OpenStore): ParamInfo[] {
  return store.manifest.params.map((p) => ({ column: paramColumn(p.name), name: p.name, type: p.type }));
}

/** A stable key for effect dependencies. */
export const keyOf = (v: unknown) => JSON.stringify(v ?? null);
