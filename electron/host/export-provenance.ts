// Where an export came from, so a result can be traced and re-made: the store, its job, the
// manifest it was read at (sha256 of store.json's bytes), the filter as SQL, the sort, the
// combined-loss method and the Losslens version. Parquet carries it as key-value metadata; CSV and
// JSON in a `<file>.provenance.json` sidecar.
import { ident, str } from '../../shared/sql.ts';
import { COLLECTOR_VERSION } from '../collector/version.ts';
import type { ExportFormat, ExportKind } from './export-spec.ts';

export interface Provenance {
  losslens_version: string;
  exported_at: string;
  store: string;
  job_id: string;
  manifest_sha256: string;
  kind: ExportKind;
  format: ExportFormat;
  /** The WHERE clause the rows were selected with ('' = every row). */
  filter_sql: string;
  /** The ORDER BY of the rows (the table's order for the view's sort). */
  sort_sql: string;
  /** The view's filter and sort as the app holds them (JSON), to re-open the same view. */
  filter: string;
  sort: string;
  combined_loss: string;
  columns: string;
  query: string;
}

export function makeProvenance(p: Omit<Provenance, 'losslens_version' | 'exported_at'>): Provenance {
  return { losslens_version: COLLECTOR_VERSION, exported_at: new Date().toISOString(), ...p };
}

/** Parquet key-value metadata: each field under `losslens.<field>`, values as strings. */
export function kvMetadataSql(p: Provenance): string {
  const entries = Object.entries(p).map(([k, v]) => `${ident(`losslens.${k}`)}: ${str(String(v))}`);
  return `KV_METADATA {${entries.join(', ')}}`;
}
