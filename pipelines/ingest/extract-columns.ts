// The extract contract as data: each source's columns with type, required flag and allowed values
// (design/extracts.md). The shared reader turns these into DuckDB validation SQL; no parsing here.

export type Source = 'crime' | 'custody' | 'intel' | 'pins' | 'missing';
export const SOURCES: readonly Source[] = ['crime', 'custody', 'intel', 'pins', 'missing'];

export type ColumnType = 'text' | 'date' | 'timestamp' | 'decimal' | 'ho_code';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required: boolean;
  /** Allowed values (compared upper-cased, trimmed); code constants, never data. */
  values?: readonly string[];
  /** Name used in "unknown <label> in …" messages; defaults to the column name. */
  label?: string;
}

/** A check depending on another column (e.g. the intelligence grade allowed by its grading scheme). */
export interface ConditionalValues {
  column: string;
  when: { column: string; equals: string };
  values: readonly string[];
}

export interface SourceContract {
  source: Source;
  columns: readonly ColumnSpec[];
  conditional?: readonly ConditionalValues[];
}

/** 2011 census 18+1 self-defined ethnicity codes (W1…O9) plus NS (not stated). */
export const ETHNICITY_CODES = [
  'W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9', 'B1', 'B2', 'B9', 'O1', 'O9', 'NS',
] as const;

export const IDENTITY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'person_ref', type: 'text', required: true },
  { name: 'pnc_id', type: 'text', required: false },
  { name: 'surname', type: 'text', required: true },
  { name: 'forenames', type: 'text', required: false },
  { name: 'date_of_birth', type: 'date', required: false },
  { name: 'sex', type: 'text', required: false, values: ['M', 'F', 'U'] },
  { name: 'ethnicity', type: 'text', required: false, values: ETHNICITY_CODES },
];

/** Names of the metadata columns ingest adds to every raw table; a file may not use them. */
export const RAW_META_COLUMNS = ['drop_as_of', 'source_file', 'line'] as const;

export function contractColumns(c: SourceContract): string[] {
  return c.columns.map((col) => col.name);
}
