// What an export is asked to write, shared by the CLI and the Api: which rows (kind + the view's
// filter, sort and columns), where, in which format. Errors name the option that was wrong.
import path from 'node:path';
import { EXPORT_FORMATS, type ExportFormat, type ExportKind } from '../../shared/export-types.ts';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';

export {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  type ExportFormat,
  type ExportKind,
} from '../../shared/export-types.ts';

export interface ExportSpec {
  /** The store directory being read. */
  store: string;
  /** The file to write; its folder must exist and lie outside the store. */
  out: string;
  /** Default: from `out`'s extension. */
  format?: ExportFormat;
  kind: ExportKind;
  filter: LossFilter;
  sort: LossSortState;
  /** Rows only: the columns, in order (default: every store column). */
  columns?: readonly string[];
  /** Best only: how many sets, and by one target's loss instead of the combined loss. */
  best?: { n: number; target?: string };
  combined: CombinedLoss;
}

/** What was wrong, for the user: `option` is the CLI option (or dialog field) it is about. */
export class ExportError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'ExportError';
  }
}

export function formatOf(out: string, format?: ExportFormat): ExportFormat {
  if (format) return format;
  const ext = path.extname(out).slice(1).toLowerCase();
  if (ext === 'pq') return 'parquet';
  if ((EXPORT_FORMATS as readonly string[]).includes(ext)) return ext as ExportFormat;
  throw new ExportError(
    '--format',
    `cannot tell the format from "${path.basename(out)}": name it .csv, .parquet or .json, or pass --format csv|parquet|json`,
  );
}

/** The file next to a CSV or JSON export that carries its provenance. */
export const sidecarPath = (out: string) => `${out}.provenance.json`;
