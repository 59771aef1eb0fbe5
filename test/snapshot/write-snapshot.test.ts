import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';
import { splitTopLevel, writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { listSnapshots, openSnapshot, readManifest, latestSnapshotId } from '../../pipelines/snapshot/read-snapshot.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

const dirs: string[] = [];
const ctxs: StageContext[] = [];
afterEach(() => {
  for (const c of ctxs.splice(0)) c.db.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

async function setup(now?: string) {
  const ctx = await freshContext({ now });
  ctxs.push(ctx);
  dirs.push(ctx.root);
  await buildWarehouse(ctx.db);
  return ctx;
}

const opts = (asOf: string, snapshotsDir?: string) => ({ asOf, tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc123', snapshotsDir });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('writeSnapshot', () => {
  it('writes one Parquet file per table and a manifest with every field of snapshot.md', async () => {
    const ctx = await setup();
    const out = await writeSnapshot(ctx, opts('2026-11-16'));
    expect(out.snapshotId).toMatch(/^2026-11-16-[0-9a-f]{12}$/);
    expect(out.dir).toBe(path.resolve(ctx.config.paths.snapshots, out.snapshotId));
    expect(readdirSync(out.dir).sort()).toEqual(['SHA256SUMS', 'edges.parquet', 'manifest.json', 'networks.parquet', 'nominals.parquet']);
    // Checkable with standard tools, without harmnet.
    expect(readFileSync(path.join(out.dir, 'SHA256SUMS'), 'utf8')).toBe(
      [`${sha(path.join(out.dir, 'edges.parquet'))}  edges.parquet`, `${sha(path.join(out.dir, 'manifest.json'))}  manifest.json`,
       `${sha(path.join(out.dir, 'networks.parquet'))}  networks.parquet`, `${sha(path.join(out.dir, 'nominals.parquet'))}  nominals.parquet`, ''].join('\n'),
    );
    expect(spawnSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: out.dir, encoding: 'utf8' })).toMatchObject({ status: 0, stdout: expect.stringContaining('nominals.parquet: OK') });
    expect(out.tables).toEqual({
      edges: { rows: 4, sha256: sha(path.join(out.dir, 'edges.parquet')) },
      networks: { rows: 2, sha256: sha(path.join(out.dir, 'networks.parquet')) },
      nominals: { rows: 5, sha256: sha(path.join(out.dir, 'nominals.parquet')) },
    });
    const m = JSON.parse(readFileSync(path.join(out.dir, 'manifest.json'), 'utf8'));
    expect(m.snapshot_id).toBe(out.snapshotId);
    expect(m.as_of).toBe('2026-11-16');
    expect(m.created_at).toBe('2026-11-16T06:00:00.000Z');
    expect(m.code_version).toBe('abc123');
    expect(m.config).toEqual(JSON.parse(JSON.stringify(ctx.config)));
    expect(m.reference_tables).toEqual(REFERENCE);
    expect(m.inputs).toEqual(INPUTS);
    expect(m.tables.nominals).toEqual({ file: 'nominals.parquet', rows: 5, bytes: statSync(path.join(out.dir, 'nominals.parquet')).size, sha256: out.tables.nominals!.sha256 });
    expect(m.previous_snapshot_id).toBeNull();
  });

  it('writes rows in the given order, readable through openSnapshot views', async () => {
    const ctx = await setup();
    await ctx.db.run(`INSERT INTO w.nominals VALUES ('N0', 'Zed', DATE '2000-01-01', 'F', false, 1.0, 'C', 'K2', 1)`);
    const { snapshotId } = await writeSnapshot(ctx, opts('2026-11-16'));
    const { db, manifest } = await openSnapshot(ctx.config.paths.snapshots);
    try {
      expect(manifest.snapshot_id).toBe(snapshotId);
      const ids = (await db.all<{ nominal_id: string }>('SELECT nominal_id FROM nominals')).map((r) => r.nominal_id);
      expect(ids).toEqual(['N0', 'N1', 'N2', 'N3', 'N4', 'N5']);
      expect(await db.value('SELECT harm_cchi FROM nominals WHERE nominal_id = $id', { id: 'N1' })).toBe(500);
      expect(await db.all('SELECT link_types FROM edges WHERE nominal_a = $a AND nominal_b = $b', { a: 'N2', b: 'N3' })).toEqual([{ link_types: ['CO_OFFENDING', 'CO_ARREST'] }]);
    } finally {
      db.close();
    }
  });

  it('gives byte-identical Parquet files and the same id for the same content, whatever the insert order', async () => {
    const ctx1 = await setup('2026-11-16T06:00:00Z');
    const ctx2 = await setup('2026-11-17T09:30:00Z'); // a different wall clock must not change the id
    // The second warehouse inserted in reverse order: ORDER BY makes the files identical anyway.
    await ctx2.db.run('CREATE OR REPLACE TABLE w.nominals AS SELECT * FROM w.nominals ORDER BY nominal_id DESC');
    await ctx2.db.run('CREATE OR REPLACE TABLE w.edges AS SELECT * FROM w.edges ORDER BY weight');
    const a = await writeSnapshot(ctx1, opts('2026-11-16', path.join(ctx1.root, 'snaps-a')));
    // Same config (the resolved config holds paths, which are part of what the id covers).
    const b = await writeSnapshot({ ...ctx2, config: ctx1.config }, opts('2026-11-16', path.join(ctx2.root, 'snaps-b')));
    expect(b.snapshotId).toBe(a.snapshotId);
    for (const f of ['nominals.parquet', 'networks.parquet', 'edges.parquet']) {
      expect(sha(path.join(b.dir, f)), f).toBe(sha(path.join(a.dir, f)));
    }
    const other = await writeSnapshot(ctx2, opts('2026-11-16', path.join(ctx2.root, 'snaps-c')));
    expect(other.snapshotId).not.toBe(a.snapshotId); // other config (paths) → other id, same table bytes
    expect(other.tables).toEqual(a.tables);
  });

  it('is byte-identical across several row groups written from differently built databases', async () => {
    // 250k rows > 2 row groups of 122,880: the layout must not depend on threads or insert order.
    const make = async (order: string) => {
      const ctx = await setup();
      await ctx.db.run(`CREATE TABLE w.big AS SELECT i AS id, md5(i::VARCHAR) AS h, i / 7.0 AS x FROM range(250000) t(i) ORDER BY ${order}`);
      return ctx;
    };
    const c1 = await make('id');
    const c2 = await make('h');
    const tables = [{ name: 'big', sql: 'SELECT * FROM w.big', orderBy: 'id' }];
    const a = await writeSnapshot(c1, { ...opts('2026-11-16', path.join(c1.root, 'a')), tables });
    const b = await writeSnapshot({ ...c2, config: c1.config }, { ...opts('2026-11-16', path.join(c2.root, 'b')), tables });
    expect(sha(path.join(b.dir, 'big.parquet'))).toBe(sha(path.join(a.dir, 'big.parquet')));
    expect(b.snapshotId).toBe(a.snapshotId);
    const { db } = await openSnapshot(path.join(c1.root, 'a'));
    try {
      expect(await db.value(`SELECT count(*) FROM parquet_metadata(${"'"}${path.join(a.dir, 'big.parquet')}${"'"}) WHERE column_id = 0`)).toBe(3);
    } finally {
      db.close();
    }
  });

  it('changes the id when content, config inputs or code version change', async () => {
    const ctx = await setup();
    const dir = path.join(ctx.root, 's');
    const base = await writeSnapshot(ctx, opts('2026-11-16', dir));
    const code = await writeSnapshot(ctx, { ...opts('2026-11-16', dir), codeVersion: 'def456' });
    const input = await writeSnapshot(ctx, { ...opts('2026-11-16', dir), inputs: [{ ...INPUTS[0]!, rows_rejected: 2 }, INPUTS[1]!] });
    await ctx.db.run(`UPDATE w.nominals SET harm_cchi = 501 WHERE nominal_id = 'N1'`);
    const data = await writeSnapshot(ctx, opts('2026-11-16', dir));
    const ids = [base, code, input, data].map((x) => x.snapshotId);
    expect(new Set(ids).size).toBe(4);
    expect(data.tables.nominals!.sha256).not.toBe(base.tables.nominals!.sha256);
    expect(data.tables.edges!.sha256).toBe(base.tables.edges!.sha256);
  });

  it('is idempotent: identical content returns the existing snapshot untouched', async () => {
    const ctx = await setup();
    const first = await writeSnapshot(ctx, opts('2026-11-16'));
    const mtime = statSync(path.join(first.dir, 'manifest.json')).mtimeMs;
    const again = await writeSnapshot({ ...ctx, clock: () => new Date('2026-12-01T00:00:00Z') }, opts('2026-11-16'));
    expect(again).toEqual(first);
    expect(statSync(path.join(first.dir, 'manifest.json')).mtimeMs).toBe(mtime);
    expect(readManifest(ctx.config.paths.snapshots, first.snapshotId).created_at).toBe('2026-11-16T06:00:00.000Z');
    expect(listSnapshots(ctx.config.paths.snapshots)).toHaveLength(1);
    expect(readdirSync(ctx.config.paths.snapshots)).toEqual([first.snapshotId]);
  });

  it('two concurrent writers of identical content end with one snapshot and agree on its id', async () => {
    const ctx1 = await setup();
    const ctx2 = await setup();
    const dir = path.join(ctx1.root, 'shared');
    const [a, b] = await Promise.all([
      writeSnapshot(ctx1, opts('2026-11-16', dir)),
      writeSnapshot({ ...ctx2, config: ctx1.config }, opts('2026-11-16', dir)),
    ]);
    expect(a.snapshotId).toBe(b.snapshotId);
    expect(readdirSync(dir)).toEqual([a.snapshotId]);
    await expect(verifySnapshot(dir, a.snapshotId)).resolves.toMatchObject({ ok: true });
  });

  it('re-writing content whose existing snapshot was damaged fails loudly instead of returning it', async () => {
    const ctx = await setup();
    const first = await writeSnapshot(ctx, opts('2026-11-16'));
    chmodSync(first.dir, 0o755);
    chmodSync(path.join(first.dir, 'edges.parquet'), 0o644);
    writeFileSync(path.join(first.dir, 'edges.parquet'), 'damaged');
    await expect(writeSnapshot(ctx, opts('2026-11-16'))).rejects.toMatchObject({
      code: 'SNAPSHOT_TAMPERED',
      message: expect.stringMatching(new RegExp(`^snapshot ${first.snapshotId} already exists but fails verification .*edges\\.parquet has changed`)),
    });
    expect(readdirSync(ctx.config.paths.snapshots)).toEqual([first.snapshotId]);
  });

  it('links each snapshot to the latest earlier one, also when weeks are written out of order', async () => {
    const ctx = await setup();
    const dir = ctx.config.paths.snapshots;
    const w2 = await writeSnapshot(ctx, opts('2026-11-16'));
    const w1 = await writeSnapshot(ctx, opts('2026-11-09'));
    await ctx.db.run(`DELETE FROM w.nominals WHERE nominal_id = 'N5'`);
    const w3 = await writeSnapshot(ctx, opts('2026-11-23'));
    expect(readManifest(dir, w2.snapshotId).previous_snapshot_id).toBeNull();
    expect(readManifest(dir, w1.snapshotId).previous_snapshot_id).toBeNull();
    expect(readManifest(dir, w3.snapshotId).previous_snapshot_id).toBe(w2.snapshotId);
    expect(listSnapshots(dir).map((s) => s.snapshot_id)).toEqual([w1.snapshotId, w2.snapshotId, w3.snapshotId]);
    expect(latestSnapshotId(dir)).toBe(w3.snapshotId);
    expect(listSnapshots(dir)[2]!.rows).toEqual({ edges: 4, networks: 2, nominals: 4 });
  });

  it('leaves the snapshot read-only (files 0444, folder 0555) and still verifiable', async () => {
    const ctx = await setup();
    const out = await writeSnapshot(ctx, opts('2026-11-16'));
    expect(statSync(out.dir).mode & 0o777).toBe(0o555);
    for (const f of readdirSync(out.dir)) expect(statSync(path.join(out.dir, f)).mode & 0o777).toBe(0o444);
    await expect(verifySnapshot(ctx.config.paths.snapshots, out.snapshotId)).resolves.toMatchObject({ ok: true, files: 5 });
  });

  it('refuses bad options before writing anything', async () => {
    const ctx = await setup();
    const dir = ctx.config.paths.snapshots;
    await expect(writeSnapshot(ctx, opts('16/11/2026'))).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('asOf must be YYYY-MM-DD, got "16/11/2026"') });
    await expect(writeSnapshot(ctx, { ...opts('2026-11-16'), tables: [{ name: '../evil', sql: 'SELECT 1', orderBy: '1' }] })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(writeSnapshot(ctx, { ...opts('2026-11-16'), tables: [{ name: 'x', sql: 'SELECT 1 AS a', orderBy: ' ' }] })).rejects.toThrow(/no orderBy/);
    expect(existsSync(dir)).toBe(false);
  });

  it('a failing table query gives SNAPSHOT_WRITE_FAILED, leaves no partial folder and keeps earlier snapshots', async () => {
    const ctx = await setup();
    const dir = ctx.config.paths.snapshots;
    const good = await writeSnapshot(ctx, opts('2026-11-09'));
    const tables = [...TABLES, { name: 'zz_broken', sql: 'SELECT * FROM w.no_such_table', orderBy: 'x' }];
    const err = await writeSnapshot(ctx, { ...opts('2026-11-16'), tables }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'HarmnetError', code: 'SNAPSHOT_WRITE_FAILED' });
    expect((err as Error).message).toMatch(/cannot write zz_broken\.parquet .*no_such_table/);
    expect(readdirSync(dir)).toEqual([good.snapshotId]);
    await expect(verifySnapshot(dir, good.snapshotId)).resolves.toMatchObject({ ok: true });
    // The DuckDB settings changed for the COPY are restored.
    expect(await ctx.db.value(`SELECT current_setting('threads')`)).toBe(2);
  });

  it('refuses an orderBy that is not a total order (the bytes would depend on physical row order)', async () => {
    const ctx = await setup();
    const tables = [{ name: 'nominals', sql: 'SELECT * FROM w.nominals', orderBy: 'harm_band DESC NULLS LAST' }];
    await expect(writeSnapshot(ctx, { ...opts('2026-11-16'), tables })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: 'writeSnapshot: orderBy "harm_band DESC NULLS LAST" is not a total order for table "nominals": 5 rows but only 4 distinct keys (add a unique tie-breaker)',
    });
    // With a tie-breaker it is total; directions are allowed.
    const ok = [{ name: 'nominals', sql: 'SELECT * FROM w.nominals', orderBy: 'harm_band DESC NULLS LAST, nominal_id' }];
    const out = await writeSnapshot(ctx, { ...opts('2026-11-16'), tables: ok });
    const { db } = await openSnapshot(ctx.config.paths.snapshots, out.snapshotId);
    try {
      expect((await db.all<{ nominal_id: string }>('SELECT nominal_id FROM nominals')).map((r) => r.nominal_id)).toEqual(['N4', 'N2', 'N3', 'N1', 'N5']);
    } finally {
      db.close();
    }
    expect(readdirSync(ctx.config.paths.snapshots).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('splitTopLevel splits an ORDER BY list only on top-level commas', () => {
    expect(splitTopLevel(`coalesce(a, b) DESC, "x,y", c`)).toEqual(['coalesce(a, b) DESC', ' "x,y"', ' c']);
  });

  it('a snapshots path that is a file gives SNAPSHOT_WRITE_FAILED naming it', async () => {
    const ctx = await setup();
    const file = path.join(ctx.root, 'not-a-dir');
    writeFileSync(file, 'x');
    await expect(writeSnapshot(ctx, opts('2026-11-16', file))).rejects.toMatchObject({ code: 'SNAPSHOT_WRITE_FAILED', message: expect.stringContaining(file) });
  });

  it('removes stale hidden work folders of dead writers, never those of live ones', async () => {
    const ctx = await setup();
    const dir = ctx.config.paths.snapshots;
    mkdirSync(path.join(dir, '.tmp-2026-11-09-999999999'), { recursive: true });
    writeFileSync(path.join(dir, '.tmp-2026-11-09-999999999', 'nominals.parquet'), 'partial');
    mkdirSync(path.join(dir, `.tmp-2026-11-02-${process.ppid}`));
    const out = await writeSnapshot(ctx, opts('2026-11-16'));
    expect(readdirSync(dir).sort()).toEqual([`.tmp-2026-11-02-${process.ppid}`, out.snapshotId]);
    expect(listSnapshots(dir).map((s) => s.snapshot_id)).toEqual([out.snapshotId]);
  });
});
