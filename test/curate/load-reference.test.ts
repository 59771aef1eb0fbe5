// loadReferenceTables: every reference CSV into ref.* with typed numeric columns and a ref.versions row
// (name, file, version, sha256, rows); a missing file or column is a REFERENCE_INVALID error.

import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { DEFAULT_REFERENCE_DIR, loadReferenceTables } from '../../pipelines/reference/load-reference.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';

let ctx: StageContext;
beforeEach(async () => {
  ctx = await freshContext();
});
afterEach(() => ctx.db.close());

describe('loadReferenceTables', () => {
  it('loads the seven tables with their row counts and hashes', async () => {
    const out = await loadReferenceTables(ctx);
    expect(out.map((t) => [t.name, t.rows])).toEqual([
      ['cchi', 698], ['ons_css', 134], ['ons_hierarchy', 136], ['intel_grading_3x5x2', 10], ['intel_grading_5x5x5', 15], ['yardstick', 7], ['mopi_group', 19],
    ]);
    expect(out.every((t) => /^[0-9a-f]{64}$/.test(t.sha256))).toBe(true);
    expect(await ctx.db.value('SELECT count(*) FROM ref.versions')).toBe(7);
    expect(await ctx.db.value("SELECT cchi_score_days FROM ref.cchi WHERE athena_urn = '1.1.1.1'")).toBe(5475);
    expect(await ctx.db.value("SELECT typeof(css_weight) FROM ref.ons_css LIMIT 1")).toBe('DOUBLE');
    expect(await ctx.db.all("SELECT key_type, count(*) AS n FROM ref.mopi_group GROUP BY 1 ORDER BY 1")).toEqual([
      { key_type: 'cchi_sub_group', n: 13 }, { key_type: 'default', n: 1 }, { key_type: 'intel_topic', n: 5 },
    ]);
  });

  it('every mopi cchi_sub_group key names a real CCHI sub-group', async () => {
    await loadReferenceTables(ctx);
    expect(await ctx.db.all("SELECT key FROM ref.mopi_group WHERE key_type = 'cchi_sub_group' AND key NOT IN (SELECT sub_group FROM ref.cchi)")).toEqual([]);
  });

  it('a reference file missing a required column is refused', async () => {
    const dir = tempDir();
    try {
      for (const f of readdirSync(DEFAULT_REFERENCE_DIR).filter((f) => f.endsWith('.csv'))) copyFileSync(path.join(DEFAULT_REFERENCE_DIR, f), path.join(dir, f));
      writeFileSync(path.join(dir, 'mopi_groups.csv'), 'key_type,key,basis\ndefault,*,x\n');
      const err = await loadReferenceTables(ctx, dir).catch((e) => e);
      expect(isHarmnetError(err, 'REFERENCE_INVALID')).toBe(true);
      expect(err.message).toBe('reference table mopi_group: mopi_groups.csv lacks column mopi_group');
    } finally {
      removeDir(dir);
    }
  });
});
