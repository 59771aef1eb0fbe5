// custody.csv: one row per person per custody record (people arrested together share occasion_ref).
// Contract only; the shared reader (read-extract.ts) loads and validates it.

import type { StageContext } from '../core/context.ts';
import { IDENTITY_COLUMNS, type SourceContract } from './extract-columns.ts';
import { readExtract, type ExtractRead } from './read-extract.ts';

export const CUSTODY: SourceContract = {
  source: 'custody',
  columns: [
    { name: 'custody_ref', type: 'text', required: true },
    { name: 'occasion_ref', type: 'text', required: true },
    { name: 'arrest_datetime', type: 'timestamp', required: true },
    { name: 'arrest_offence_code', type: 'ho_code', required: true },
    { name: 'custody_outcome', type: 'text', required: true, label: 'outcome', values: ['CHARGED', 'CAUTIONED', 'BAILED', 'RUI', 'NFA'] },
    { name: 'crime_ref', type: 'text', required: false },
    ...IDENTITY_COLUMNS,
  ],
};

export function ingestCustody(ctx: StageContext, file: string): Promise<ExtractRead> {
  return readExtract(ctx, CUSTODY, file);
}
