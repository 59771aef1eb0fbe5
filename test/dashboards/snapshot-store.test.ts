import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_NAMES, SnapshotStore } from '../../dashboards/snapshot-store.ts';
import { tempDir } from '../helpers/context.ts';
import { writeFixtureSnapshots, type FixtureIds } from './fixture-snapshot.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';

let dir: string;
let ids: FixtureIds;
beforeAll(async () => {
  dir = tempDir();
  ids = await writeFixtureSnapshots(dir);
});
afterAll(() => removeTree(dir));

describe('snapshot store', () => {
  it('answers every page lookup the same from the in-memory index, indexed tables, packed rows and plain Parquet views', async () => {
    const stores = [new SnapshotStore(dir), new SnapshotStore(dir, undefined, 0), new SnapshotStore(dir, 0, 0), new SnapshotStore(dir, 0, 0, 0)];
    try {
      const snaps = await Promise.all(stores.map((st) => st.open()));
      expect(snaps.map((x) => x.mode)).toEqual(['maps', 'indexed', 'packed', 'parquet']);
      const answers = async (i: number) => {
        const out: Record<string, unknown> = {};
        for (const name of LOOKUP_NAMES) for (const key of ['N1', 'N3', 'N6', 'NET-1', 'NET-2', 'nobody']) out[`${name}|${key}`] = await snaps[i]!.lookup(name, key);
        return out;
      };
      const fromMaps = await answers(0);
      // hand-checkable anchors: NET-1 members by harm (N1 400, N2 100, N3 20, N4 5, then N5 not scored)
      expect((fromMaps['members|NET-1'] as { nominal_id: string }[]).map((m) => m.nominal_id)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5']);
      expect(fromMaps['nominal|nobody']).toEqual([]);
      for (const k of ['links|N1', 'evidence|N1', 'sources|N1', 'explanations|N1', 'networkEdges|NET-1', 'networkEvidence|NET-1', 'network|NET-1']) expect((fromMaps[k] as unknown[]).length, k).toBeGreaterThan(0);
      expect((fromMaps['nominal|N1'] as { display_name: string }[])[0]!.display_name).toBe('Alpha ADAMS');
      expect(await answers(1)).toEqual(fromMaps);
      expect(await answers(2)).toEqual(fromMaps);
      expect(await answers(3)).toEqual(fromMaps);
    } finally {
      for (const st of stores) await st.close();
    }
  });

  it('lists complete snapshots newest first and ignores in-progress directories', () => {
    const store = new SnapshotStore(dir);
    expect(store.list().map((s) => s.snapshot_id)).toEqual([ids.new, ids.old]);
    expect(store.list()[0]!.inputs.find((i) => i.source === 'pins')!.status).toBe('missing');
  });

  it('opens the latest by default and reads its Parquet through DuckDB views, defaulting absent columns', async () => {
    const store = new SnapshotStore(dir);
    const snap = await store.open();
    expect(snap.info.snapshot_id).toBe(ids.new);
    expect(await snap.db.value('SELECT sum(harm_cchi) FROM networks')).toBe(612);
    expect(await snap.db.value('SELECT count(*) FROM nominals WHERE rank_change IS NULL')).toBe(8);
    const old = await store.open(ids.old);
    expect(await old.db.value('SELECT sum(harm_cchi) FROM networks')).toBe(306);
    expect(await store.open(ids.old)).toBe(old);
    await expect(store.open('../etc')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await store.close();
  });
});

describe('snapshot store without materialising', () => {
  it('answers the same from Parquet views as from memory', async () => {
    const viaParquet = new SnapshotStore(dir, 0);
    const inMemory = new SnapshotStore(dir);
    const sql = 'SELECT nominal_id, harm_cchi, victim_only, rank_change FROM nominals ORDER BY nominal_id';
    const a = await (await viaParquet.open()).db.all(sql);
    expect(a).toEqual(await (await inMemory.open()).db.all(sql));
    expect(a).toHaveLength(8);
    await viaParquet.close();
    await inMemory.close();
  });
});
