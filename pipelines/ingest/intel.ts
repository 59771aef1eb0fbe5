// intel.csv: one row per person mentioned in an intelligence report. Grades are checked against the
// row's own grading scheme (3x5x2 or legacy 5x5x5); the reliability policy is applied later, in curate.

import type { StageContext } from '../core/context.ts';
import { IDENTITY_COLUMNS, type SourceContract } from './extract-columns.ts';
import { readExtract, type ExtractRead } from './read-extract.ts';

const S3 = { column: 'grading_scheme', equals: '3X5X2' };
const S5 = { column: 'grading_scheme', equals: '5X5X5' };

export const INTEL: SourceContract = {
  source: 'intel',
  columns: [
    { name: 'intel_ref', type: 'text', required: true },
    { name: 'submitted_date', type: 'date', required: true },
    { name: 'grading_scheme', type: 'text', required: true, values: ['3X5X2', '5X5X5'] },
    { name: 'source_grade', type: 'text', required: true },
    { name: 'intel_grade', type: 'text', required: true },
    { name: 'handling_code', type: 'text', required: true },
    { name: 'topic', type: 'text', required: true, values: ['DRUGS', 'COUNTY_LINES', 'CSE', 'FIREARMS', 'OCG', 'EXPLOITATION', 'OTHER'] },
    { name: 'mention_role', type: 'text', required: true, values: ['SUBJECT', 'ASSOCIATE'] },
    { name: 'latitude', type: 'decimal', required: false },
    { name: 'longitude', type: 'decimal', required: false },
    ...IDENTITY_COLUMNS,
  ],
  conditional: [
    { column: 'source_grade', when: S3, values: ['1', '2', '3'] },
    { column: 'intel_grade', when: S3, values: ['A', 'B', 'C', 'D', 'E'] },
    { column: 'handling_code', when: S3, values: ['P', 'C'] },
    { column: 'source_grade', when: S5, values: ['A', 'B', 'C', 'D', 'E'] },
    { column: 'intel_grade', when: S5, values: ['1', '2', '3', '4', '5'] },
    { column: 'handling_code', when: S5, values: ['1', '2', '3', '4', '5'] },
  ],
};

export function ingestIntel(ctx: StageContext, file: string): Promise<ExtractRead> {
  return readExtract(ctx, INTEL, file);
}
