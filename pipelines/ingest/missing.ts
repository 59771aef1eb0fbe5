// missing.csv (COMPACT): one row per person in a missing episode (the missing person, or a person
// they were found with). Contract only; the shared reader (read-extract.ts) loads and validates it.

import type { StageContext } from '../core/context.ts';
import { IDENTITY_COLUMNS, type SourceContract } from './extract-columns.ts';
import { readExtract, type ExtractRead } from './read-extract.ts';

export const MISSING: SourceContract = {
  source: 'missing',
  columns: [
    { name: 'episode_ref', type: 'text', required: true },
    { name: 'reported_datetime', type: 'timestamp', required: true },
    { name: 'found_datetime', type: 'timestamp', required: false },
    { name: 'risk_level', type: 'text', required: true, values: ['NO_APPARENT_RISK', 'LOW', 'MEDIUM', 'HIGH'] },
    { name: 'role', type: 'text', required: true, values: ['MISSING', 'FOUND_WITH'] },
    { name: 'found_latitude', type: 'decimal', required: false },
    { name: 'found_longitude', type: 'decimal', required: false },
    ...IDENTITY_COLUMNS,
  ],
};

export function ingestMissing(ctx: StageContext, file: string): Promise<ExtractRead> {
  return readExtract(ctx, MISSING, file);
}
