// Hand-made extract rows for ingest/curate tests: one valid row per source (edit fields per test) and
// a writer for a drop folder. Values are synthetic; offence codes are real CCHI 2020 rows.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Row = Record<string, string>;

const IDENTITY: Row = { person_ref: 'P1', pnc_id: '2003/0457812K', surname: 'SMITH', forenames: 'JOHN', date_of_birth: '1990-05-01', sex: 'M', ethnicity: 'W1' };

export const ROWS = {
  crime: { crime_ref: 'CR1', ho_offence_code: '008/01', offence_ref: '', committed_date: '2026-01-10', recorded_date: '2026-01-11', role: 'SUSPECT', person_outcome: 'CHARGED', latitude: '52.48', longitude: '-1.89', source_system: 'CONNECT', ...IDENTITY },
  custody: { custody_ref: 'CU1', occasion_ref: 'OC1', arrest_datetime: '2026-01-12T10:30:00', arrest_offence_code: '008/01', custody_outcome: 'CHARGED', crime_ref: 'CR1', ...IDENTITY },
  intel: { intel_ref: 'IN1', submitted_date: '2026-02-01', grading_scheme: '3x5x2', source_grade: '1', intel_grade: 'A', handling_code: 'P', topic: 'DRUGS', mention_role: 'SUBJECT', latitude: '', longitude: '', ...IDENTITY },
  pins: { prison_number: 'A1234BC', establishment: 'HMP BIRMINGHAM', reception_date: '2026-03-01', expected_release_date: '2027-03-01', actual_release_date: '', licence_end_date: '', index_offence_code: '008/01', ...IDENTITY, person_ref: 'A1234BC' },
  missing: { episode_ref: 'EP1', reported_datetime: '2026-03-05 22:00:00', found_datetime: '2026-03-06 08:00:00', risk_level: 'HIGH', role: 'MISSING', found_latitude: '', found_longitude: '', ...IDENTITY },
} satisfies Record<string, Row>;

/** RFC 4180 field quoting. */
export function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text with the given header (default: the keys of the first row), one line per row. */
export function csv(rows: Row[], header?: string[]): string {
  const h = header ?? Object.keys(rows[0]!);
  return [h.join(','), ...rows.map((r) => h.map((k) => field(r[k] ?? '')).join(','))].join('\n') + '\n';
}

/** Rows of one source: `n` copies of the template with distinct refs, then per-row overrides. */
export function rows(source: keyof typeof ROWS, n: number, edit: (r: Row, i: number) => void = () => {}): Row[] {
  const refKey = Object.keys(ROWS[source])[0]!;
  return Array.from({ length: n }, (_, i) => {
    const r: Row = { ...ROWS[source], [refKey]: `${ROWS[source][refKey as keyof (typeof ROWS)[typeof source]]}-${i + 1}` };
    edit(r, i);
    return r;
  });
}

/** Writes files into <root>/<asOf>/ and returns the folder. */
export function writeDrop(root: string, asOf: string, files: Record<string, string | Buffer>): string {
  const dir = path.join(root, asOf);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}
