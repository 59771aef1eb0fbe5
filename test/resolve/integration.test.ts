// End to end on the generator's demo data: generate → ingest → curate → resolve, measured against the
// planted truth; two consecutive weeks, so nominal ids must also survive a weekly re-run.

import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';

const ready = ['data-fixtures/generator/generate.ts', 'pipelines/ingest/ingest-drop.ts', 'pipelines/curate/curate.ts', 'pipelines/reference/load-reference.ts'].every((f) =>
  existsSync(path.resolve(f)),
);

describe.skipIf(!ready)('entity resolution on the generated demo data (needs generator, ingest and curate)', () => {
  it('precision ≥ 0.995 and recall ≥ 0.95; nominal ids stable from one week to the next', async () => {
    const { generate } = await import('../../data-fixtures/generator/generate.ts');
    const { loadReferenceTables } = await import('../../pipelines/reference/load-reference.ts');
    const { ingestDrop } = await import('../../pipelines/ingest/ingest-drop.ts');
    const { curate } = await import('../../pipelines/curate/curate.ts');
    const { resolve } = await import('../../pipelines/resolve/resolve.ts');
    const { evaluateResolution } = await import('../../pipelines/resolve/evaluate-resolution.ts');
    const out = tempDir('harmnet-resolve-it-');
    try {
      const g = await generate({ out, weeks: 2 });
      const ctx = await freshContext();
      await loadReferenceTables(ctx);
      const ids: Map<string, string>[] = [];
      for (const asOf of g.as_of) {
        await ingestDrop(ctx, path.join(out, asOf));
        await curate(ctx, { asOf, dropAsOf: asOf });
        const r = await resolve(ctx, { asOf });
        expect(r.nominals).toBeLessThan(r.identities);
        const rows = await ctx.db.all<{ identity_id: string; nominal_id: string }>('SELECT identity_id, nominal_id FROM person.nominal_sources');
        ids.push(new Map(rows.map((x) => [x.identity_id, x.nominal_id])));
      }
      const ev = await evaluateResolution(ctx, path.join(out, 'truth'));
      expect(ev.identitiesWithoutTruth).toBe(0);
      expect(ev.precision).toBeGreaterThanOrEqual(0.995);
      expect(ev.recall).toBeGreaterThanOrEqual(0.95);
      expect(ev.clusterPrecision).toBeGreaterThanOrEqual(0.99);
      // Stability: identities seen in both weeks keep their nominal id (allowing real merges/splits).
      const [w1, w2] = ids as [Map<string, string>, Map<string, string>];
      let both = 0;
      let same = 0;
      for (const [identity, nominal] of w1) {
        if (!w2.has(identity)) continue;
        both++;
        if (w2.get(identity) === nominal) same++;
      }
      expect(both).toBeGreaterThan(1000);
      expect(same / both).toBeGreaterThanOrEqual(0.99);
      ctx.db.close();
    } finally {
      removeDir(out);
    }
  });
});
