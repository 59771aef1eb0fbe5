import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../dashboards/snapshot-store.ts';
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
