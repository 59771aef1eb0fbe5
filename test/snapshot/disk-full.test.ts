import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { listSnapshots } from '../../pipelines/snapshot/read-snapshot.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

/** A real 1 MiB tmpfs when we may mount one (root in a container); otherwise the test is skipped. */
function mountTinyDisk(): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = tempDir('harmnet-tinydisk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmdirSync(dir);
    return null;
  }
}

const disk = mountTinyDisk();

describe.skipIf(!disk)('a snapshot write onto a full disk (1 MiB tmpfs)', () => {
  let ctx: StageContext & { root: string };
  const snapshots = path.join(disk ?? '/nonexistent', 'snapshots');

  beforeAll(async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    // ~4 MB of incompressible text: cannot fit.
    await ctx.db.run(`CREATE TABLE w.big AS SELECT i AS id, md5(i::VARCHAR) || md5((i * 31)::VARCHAR) AS noise FROM range(60000) t(i)`);
  });
  afterAll(() => {
    ctx.db.close();
    removeDir(ctx.root);
    if (disk) {
      execFileSync('umount', [disk]);
      rmdirSync(disk);
    }
  });

  it('gives SNAPSHOT_WRITE_FAILED saying the disk is full, and loses nothing already written', async () => {
    mkdirSync(snapshots);
    const small = await writeSnapshot(ctx, { asOf: '2026-11-09', tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc', snapshotsDir: snapshots });
    const tables = [...TABLES, { name: 'big', sql: 'SELECT * FROM w.big', orderBy: 'id' }];
    const err = (await writeSnapshot(ctx, { asOf: '2026-11-16', tables, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc', snapshotsDir: snapshots }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ name: 'HarmnetError', code: 'SNAPSHOT_WRITE_FAILED' });
    expect(err.message).toMatch(/^cannot write big\.parquet .*the disk is full.*no snapshot was written and earlier snapshots are untouched$/);
    // The partial work folder is gone (space given back), the earlier snapshot verifies.
    expect(readdirSync(snapshots)).toEqual([small.snapshotId]);
    expect(listSnapshots(snapshots).map((s) => s.snapshot_id)).toEqual([small.snapshotId]);
    await expect(verifySnapshot(snapshots, small.snapshotId)).resolves.toMatchObject({ ok: true });
    // And once space allows, the next write succeeds.
    const next = await writeSnapshot(ctx, { asOf: '2026-11-16', tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc', snapshotsDir: snapshots });
    expect(listSnapshots(snapshots).map((s) => s.snapshot_id)).toEqual([small.snapshotId, next.snapshotId]);
  });
});
