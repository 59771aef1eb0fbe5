// crime.csv (CONNECT and legacy): one row per person involved in a crime. Contract only; the shared
// reader (read-extract.ts) loads it with DuckDB's CSV/Parquet readers and validates it in SQL.

import type { StageContext } from '../core/context.ts';
import { IDENTITY_COLUMNS, type SourceContract } from './extract-columns.ts';
import { readExtract, type ExtractRead } from './read-extract.ts';

export const CRIME: SourceContract = {
  source: 'crime',
  columns: [
    { name: 'crime_ref', type: 'text', required: true },
    { name: 'ho_offence_code', type: 'ho_code', required: true },
    { name: 'offence_ref', type: 'text', required: false },
    { name: 'committed_date', type: 'date', required: true },
    { name: 'recorded_date', type: 'date', required: true },
    { name: 'role', type: 'text', required: true, values: ['SUSPECT', 'OFFENDER', 'VICTIM', 'WITNESS', 'OTHER'] },
    { name: 'person_outcome', type: 'text', required: true, label: 'outcome', values: ['CONVICTED', 'CHARGED', 'CAUTIONED', 'UNDER_INVESTIGATION', 'NFA', 'ACQUITTED', 'NONE'] },
    { name: 'latitude', type: 'decimal', required: false },
    { name: 'longitude', type: 'decimal', required: false },
    { name: 'source_system', type: 'text', required: false },
    ...IDENTITY_COLUMNS,
  ],
};

/** Reads and validates one crime extract into staging tables (see readExtract). */
export function ingestCrime(ctx: StageContext, file: string): Promise<ExtractRead> {
  return readExtract(ctx, CRIME, file);
}
