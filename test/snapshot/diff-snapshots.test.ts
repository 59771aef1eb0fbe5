import { afterEach, describe, expect, it } from 'vitest';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { diffSnapshots, changedPaths } from '../../pipelines/snapshot/diff-snapshots.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import type { Config } from '../../pipelines/core/config.ts';

let ctx: StageContext & { root: string };
afterEach(() => {
  ctx.db.close();
  removeDir(ctx.root);
});

const opts = (asOf: string) => ({ asOf, tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc' });

/**
 * Week 2 of the fixture: N2's harm rises 100 → 600 (band B → A); N3's name is corrected (a re-issued
 * record); N4 leaves; N6 (harm 50, band C) arrives; network K2 is succeeded by K3 (N5, N6); K1's harm
 * rises 700 → 1200. Ranks by harm among banded nominals —
 *   week 1: N1 500 → 1, N2 100 → 2, N3 100 → 2, N4 20 → 4 (N5 unbanded);
 *   week 2: N2 600 → 1, N1 500 → 2, N3 100 → 3, N6 50 → 4.
 */
async function weekTwo(db: StageContext['db']) {
  await db.run(`UPDATE w.nominals SET harm_cchi = 600, harm_band = 'A' WHERE nominal_id = 'N2'`);
  await db.run(`UPDATE w.nominals SET display_name = 'Cy Browne' WHERE nominal_id = 'N3'`);
  await db.run(`DELETE FROM w.nominals WHERE nominal_id = 'N4'`);
  await db.run(`UPDATE w.nominals SET network_id = 'K3' WHERE nominal_id = 'N5'`);
  await db.run(`INSERT INTO w.nominals VALUES ('N6', 'Fi Black', DATE '1999-06-06', 'F', false, 50.0, 'C', 'K3', 1)`);
  await db.run(`DELETE FROM w.networks`);
  await db.run(`INSERT INTO w.networks VALUES ('K1', 3, 1200.0, 'continued', []), ('K3', 2, 50.0, 'continued', ['K2'])`);
}

describe('diffSnapshots', () => {
  it('reports nominals and networks added, removed and changed with harm and rank deltas', async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    const a = await writeSnapshot(ctx, opts('2026-11-09'));
    await weekTwo(ctx.db);
    const b = await writeSnapshot(ctx, { ...opts('2026-11-16'), inputs: [{ ...INPUTS[0]!, sha256: 'b'.repeat(64) }, INPUTS[1]!] });
    const d = await diffSnapshots(ctx.config.paths.snapshots, a.snapshotId, b.snapshotId);

    expect(d.before).toEqual({ snapshot_id: a.snapshotId, as_of: '2026-11-09', code_version: 'abc' });
    expect(d.tables).toEqual([
      { name: 'edges', status: 'same', rows_before: 4, rows_after: 4 },
      { name: 'networks', status: 'changed', rows_before: 2, rows_after: 2 },
      { name: 'nominals', status: 'changed', rows_before: 5, rows_after: 5 },
    ]);
    expect(d.inputs_changed).toEqual(['crime']);
    expect(d.config_changed).toEqual([]);

    const n = d.nominals;
    expect(n.status).toBe('compared');
    expect(n.counts).toEqual({ before: 5, after: 5, added: 1, removed: 1, changed: 3, unchanged: 1, rank_moved: 3 });
    expect(n.added).toEqual([{ id: 'N6', harm_before: null, harm_after: 50, harm_delta: null, rank_before: null, rank_after: 4, rank_delta: null, changed_fields: [] }]);
    expect(n.removed).toEqual([{ id: 'N4', harm_before: 20, harm_after: null, harm_delta: null, rank_before: 4, rank_after: null, rank_delta: null, changed_fields: [] }]);
    expect(n.changed).toEqual([
      { id: 'N2', harm_before: 100, harm_after: 600, harm_delta: 500, rank_before: 2, rank_after: 1, rank_delta: -1, changed_fields: ['harm_cchi', 'harm_band'] },
      { id: 'N3', harm_before: 100, harm_after: 100, harm_delta: 0, rank_before: 2, rank_after: 3, rank_delta: 1, changed_fields: ['display_name'] },
      { id: 'N5', harm_before: 0, harm_after: 0, harm_delta: 0, rank_before: null, rank_after: null, rank_delta: null, changed_fields: ['network_id'] },
    ]);
    expect(n.truncated).toBe(false);

    const k = d.networks;
    expect(k.counts).toEqual({ before: 2, after: 2, added: 1, removed: 1, changed: 1, unchanged: 0, rank_moved: 0 });
    expect(k.added.map((x) => [x.id, x.harm_after, x.rank_after])).toEqual([['K3', 50, 2]]);
    expect(k.removed.map((x) => [x.id, x.harm_before, x.rank_before])).toEqual([['K2', 20, 2]]);
    expect(k.changed).toEqual([
      { id: 'K1', harm_before: 700, harm_after: 1200, harm_delta: 500, rank_before: 1, rank_after: 1, rank_delta: 0, changed_fields: ['harm_cchi', 'lineage_event'] },
    ]);
  });

  it('diff of a snapshot with itself is all unchanged', async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    const a = await writeSnapshot(ctx, opts('2026-11-09'));
    const d = await diffSnapshots(ctx.config.paths.snapshots, a.snapshotId, a.snapshotId);
    expect(d.nominals.counts).toEqual({ before: 5, after: 5, added: 0, removed: 0, changed: 0, unchanged: 5, rank_moved: 0 });
    expect(d.tables.every((t) => t.status === 'same')).toBe(true);
  });

  it('lists are cut at the limit, counts stay complete', async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    const a = await writeSnapshot(ctx, opts('2026-11-09'));
    await weekTwo(ctx.db);
    const b = await writeSnapshot(ctx, opts('2026-11-16'));
    const d = await diffSnapshots(ctx.config.paths.snapshots, a.snapshotId, b.snapshotId, { limit: 1 });
    expect(d.nominals.changed.map((c) => c.id)).toEqual(['N2']);
    expect(d.nominals.counts.changed).toBe(3);
    expect(d.nominals.truncated).toBe(true);
  });

  it('reports a table absent from a snapshot instead of failing, and config changes by path', async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    const a = await writeSnapshot(ctx, { ...opts('2026-11-09'), tables: TABLES.filter((t) => t.name !== 'networks') });
    const config = { ...ctx.config, harm: { ...ctx.config.harm, allegedWeight: 0.4 } } as Config;
    const b = await writeSnapshot({ ...ctx, config }, opts('2026-11-16'));
    const d = await diffSnapshots(ctx.config.paths.snapshots, a.snapshotId, b.snapshotId);
    expect(d.networks).toMatchObject({ status: 'absent', absent_in: [a.snapshotId], added: [], counts: { added: 0 } });
    expect(d.tables.find((t) => t.name === 'networks')).toEqual({ name: 'networks', status: 'added', rows_before: null, rows_after: 2 });
    expect(d.nominals.counts.unchanged).toBe(5);
    expect(d.config_changed).toEqual(['harm.allegedWeight']);
  });

  it('an unknown snapshot id gives SNAPSHOT_NOT_FOUND', async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    const a = await writeSnapshot(ctx, opts('2026-11-09'));
    await expect(diffSnapshots(ctx.config.paths.snapshots, a.snapshotId, '2026-11-16-abcdefabcdef')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', message: expect.stringContaining('2026-11-16-abcdefabcdef') });
  });

  it('changedPaths lists differing leaves', () => {
    expect(changedPaths({ a: 1, b: { c: [1, 2], d: 'x' } }, { a: 1, b: { c: [1, 3], e: true } })).toEqual(['b.c', 'b.d', 'b.e']);
  });
});
