// Loads the versioned reference tables (CCHI, ONS CSS, ONS hierarchy, intelligence grading, PHIA
// yardstick, harmnet's MOPI mapping) into schema `ref`, recording name/version/sha256/rows in ref.versions.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { ident, literal } from '../core/db.ts';

export interface ReferenceTable {
  name: string;
  file: string;
  version: string;
  /** Columns cast from text, e.g. { cchi_score_days: 'DOUBLE' }; every other column stays VARCHAR. */
  casts: Record<string, 'DOUBLE' | 'INTEGER'>;
  /** Columns that must be present (checked before loading). */
  required: string[];
}

export const REFERENCE_TABLES: readonly ReferenceTable[] = [
  { name: 'cchi', file: 'cchi_2020_cambridge_crime_harm_index.csv', version: 'CCHI 2020 (6 Oct 2020 guidelines)', casts: { cchi_score_days: 'DOUBLE' }, required: ['athena_urn', 'cchi_score_days', 'home_office_classification', 'classification_code', 'cjs_codes', 'group', 'sub_group'] },
  { name: 'ons_css', file: 'ons_css_weights_partial_2020.csv', version: 'ONS CSS weights (partial, <= 2020-12-02)', casts: { css_weight: 'DOUBLE' }, required: ['prc_offence_code', 'css_weight'] },
  { name: 'ons_hierarchy', file: 'ons_police_recorded_crime_offence_hierarchy_2017_18.csv', version: 'ONS PRC hierarchy 2017/18', casts: {}, required: ['ho_offence_code', 'offence_group'] },
  { name: 'intel_grading_3x5x2', file: 'intel_grading_3x5x2.csv', version: '3x5x2 (secondary sources)', casts: {}, required: ['dimension', 'code'] },
  { name: 'intel_grading_5x5x5', file: 'intel_grading_5x5x5.csv', version: '5x5x5 (HMRC MLR3C14000)', casts: {}, required: ['dimension', 'code'] },
  { name: 'yardstick', file: 'phia_probability_yardstick_2025.csv', version: 'PHIA Probability Yardstick 2025-03-24', casts: { rank: 'INTEGER', approx_lower_pct: 'DOUBLE', approx_upper_pct: 'DOUBLE' }, required: ['rank', 'term'] },
  { name: 'mopi_group', file: 'mopi_groups.csv', version: 'harmnet MOPI mapping v1', casts: { mopi_group: 'INTEGER' }, required: ['key_type', 'key', 'mopi_group', 'basis'] },
];

export const DEFAULT_REFERENCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data-fixtures/reference');

/** Creates ref.* from the reference CSVs in `dir`; returns one entry per table (as in ref.versions). */
export async function loadReferenceTables(ctx: StageContext, dir: string = DEFAULT_REFERENCE_DIR): Promise<{ name: string; version: string; sha256: string; rows: number }[]> {
  const { db } = ctx;
  const out: { name: string; version: string; sha256: string; rows: number }[] = [];
  await db.run('CREATE SCHEMA IF NOT EXISTS ref');
  await db.transaction(async () => {
    await db.run('CREATE OR REPLACE TABLE ref.versions (name VARCHAR, file VARCHAR, version VARCHAR, sha256 VARCHAR, rows BIGINT)');
    for (const t of REFERENCE_TABLES) {
      const file = path.join(dir, t.file);
      if (!existsSync(file)) throw new HarmnetError('REFERENCE_INVALID', `reference table ${t.name}: file not found: ${file}`);
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      const source = `read_csv(${literal(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
      const columns = (await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map((r) => r.column_name);
      const missing = t.required.filter((c) => !columns.includes(c));
      if (missing.length > 0) {
        throw new HarmnetError('REFERENCE_INVALID', `reference table ${t.name}: ${t.file} lacks column ${missing.join(', ')}`);
      }
      const select = columns
        .map((c) => (t.casts[c] ? `CAST(${ident(c)} AS ${t.casts[c]}) AS ${ident(c)}` : ident(c)))
        .join(', ');
      await db.run(`CREATE OR REPLACE TABLE ${ident('ref')}.${ident(t.name)} AS SELECT ${select} FROM ${source}`);
      const rows = Number(await db.value(`SELECT count(*) FROM ref.${ident(t.name)}`));
      await db.run('INSERT INTO ref.versions VALUES ($name, $file, $version, $sha256, $rows)', { name: t.name, file: t.file, version: t.version, sha256, rows });
      out.push({ name: t.name, version: t.version, sha256, rows });
    }
  });
  ctx.log.info(`reference: loaded ${out.length} tables`);
  return out;
}
