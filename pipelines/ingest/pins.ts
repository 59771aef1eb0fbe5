// pins.csv (Prison Intelligence Notification System): one row per prisoner record; prison_number is
// also the person_ref. Contract only; the shared reader (read-extract.ts) loads and validates it.

import type { StageContext } from '../core/context.ts';
import { IDENTITY_COLUMNS, type SourceContract } from './extract-columns.ts';
import { readExtract, type ExtractRead } from './read-extract.ts';

export const PINS: SourceContract = {
  source: 'pins',
  columns: [
    { name: 'prison_number', type: 'text', required: true },
    { name: 'establishment', type: 'text', required: true },
    { name: 'reception_date', type: 'date', required: true },
    { name: 'expected_release_date', type: 'date', required: false },
    { name: 'actual_release_date', type: 'date', required: false },
    { name: 'licence_end_date', type: 'date', required: false },
    { name: 'index_offence_code', type: 'ho_code', required: false },
    // person_ref may be absent: the prison number is the person_ref (curate fills it in).
    ...IDENTITY_COLUMNS.map((c) => (c.name === 'person_ref' ? { ...c, required: false } : c)),
  ],
};

export function ingestPins(ctx: StageContext, file: string): Promise<ExtractRead> {
  return readExtract(ctx, PINS, file);
}
