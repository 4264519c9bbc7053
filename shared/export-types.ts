// What an export is, for both ends of the Api: its kind and format, the request the window sends
// (the view's own filter, sort, columns and combined loss), and the job the host reports back.
import { z } from 'zod';
import type { CombinedMethod } from './query-types.ts';
import { ROW_STATUSES } from './schema.ts';

export const EXPORT_FORMATS = ['csv', 'parquet', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** rows: the filtered, sorted rows; best: the best N parameter sets; summary: one row per set. */
export const EXPORT_KINDS = ['rows', 'best', 'summary'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const COMBINED = ['mean', 'mean-rank', 'weighted'] as const satisfies readonly CombinedMethod[];
const range = z.tuple([z.number().nullable(), z.number().nullable()]).readonly();
export const lossFilterSchema = z.object({
  targets: z.array(z.string()).readonly().optional(),
  statuses: z.array(z.enum(ROW_STATUSES)).readonly().optional(),
  where: z.string().max(20_000).optional(),
  lossRanges: z.record(z.string(), range).readonly().optional(),
  paramRanges: z.record(z.string(), range).readonly().optional(),
});

export const exportRequestSchema = z.object({
  storeId: z.string().regex(/^[a-z0-9]{1,32}$/),
  kind: z.enum(EXPORT_KINDS),
  format: z.enum(EXPORT_FORMATS),
  filter: lossFilterSchema,
  sort: z.object({ column: z.string().min(1), desc: z.boolean() }).nullable(),
  columns: z.array(z.string().min(1)).max(10_000).readonly().optional(),
  best: z.object({ n: z.number().int().min(1).max(10_000_000), target: z.string().optional() }).optional(),
  combined: z.object({
    method: z.enum(COMBINED),
    weights: z.record(z.string(), z.number()),
  }),
  /** Electron: a path the save dialog returned (pickExportPath); the browser host downloads instead. */
  destination: z.string().optional(),
});

export interface ExportJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  kind: ExportKind;
  format: ExportFormat;
  /** 0…1 as DuckDB estimates it; null before it knows. */
  fraction: number | null;
  rows: number | null;
  bytes: number | null;
  /** The file's name (the download's name in the browser host). */
  fileName: string;
  /** Where it was written on the host: the chosen destination in Electron, null in the browser host. */
  path: string | null;
  /** Browser host: URL paths to download the file and (CSV/JSON) its provenance sidecar. */
  download: string | null;
  sidecarDownload: string | null;
  error: string | null;
}

/** The name proposed for an export: `<store>-rows.csv`, `<store>-best.json`, `<store>-loss_summary.parquet`. */
export function exportFileName(storeName: string, kind: ExportKind, format: ExportFormat): string {
  const safe = storeName.replace(/[^A-Za-z0-9._-]+/g, '_') || 'losses';
  return `${safe}-${kind === 'summary' ? 'loss_summary' : kind}.${format}`;
}
