import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { listSnapshots, openSnapshot, readManifest, latestSnapshotId } from '../../pipelines/snapshot/read-snapshot.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

let ctx: StageContext & { root: string };
afterEach(() => {
  ctx.db.close();
  removeDir(ctx.root);
});

async function written(asOf = '2026-11-16') {
  ctx = await freshContext();
  await buildWarehouse(ctx.db);
  const out = await writeSnapshot(ctx, { asOf, tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc123' });
  return { dir: ctx.config.paths.snapshots, id: out.snapshotId, folder: out.dir };
}

/** Makes the read-only snapshot writable again so a test can damage it. */
function unlock(folder: string, file?: string) {
  chmodSync(folder, 0o755);
  if (file) chmodSync(path.join(folder, file), 0o644);
}

async function tamperedMessage(dir: string, id: string): Promise<string> {
  const e = await verifySnapshot(dir, id).then(() => null, (x: unknown) => x);
  expect(e).toMatchObject({ name: 'HarmnetError', code: 'SNAPSHOT_TAMPERED' });
  return (e as Error).message;
}

describe('verifySnapshot', () => {
  it('passes an untouched snapshot, counting its files', async () => {
    const { dir, id } = await written();
    await expect(verifySnapshot(dir, id)).resolves.toMatchObject({ ok: true, files: 5 });
  });

  it('fails naming the file when one byte of a Parquet file is flipped', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'edges.parquet');
    const file = path.join(folder, 'edges.parquet');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(file, bytes);
    const msg = await tamperedMessage(dir, id);
    expect(msg).toContain(`${file} has changed: sha256 `);
    expect(msg).not.toContain('nominals.parquet');
  });

  it('fails naming a missing file and an extra file (every problem reported at once)', async () => {
    const { dir, id, folder } = await written();
    unlock(folder);
    rmSync(path.join(folder, 'networks.parquet'));
    writeFileSync(path.join(folder, 'notes.txt'), 'added later');
    const msg = await tamperedMessage(dir, id);
    expect(msg).toContain(`${path.join(folder, 'notes.txt')} is not in the manifest (extra file)`);
    expect(msg).toContain(`${path.join(folder, 'networks.parquet')} is missing (the manifest lists 2 rows`);
    expect(msg).toContain('and 1 more');
  });

  it('fails when SHA256SUMS is edited or removed', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'SHA256SUMS');
    const file = path.join(folder, 'SHA256SUMS');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')));
    expect(await tamperedMessage(dir, id)).toBe(`${file} does not match manifest.json and the table files`);
    rmSync(file);
    expect(await tamperedMessage(dir, id)).toBe(`${file} is missing`);
  });

  it('fails naming manifest.json when a configuration value in it is edited', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'manifest.json');
    const file = path.join(folder, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.config.harm.bands.A = 300;
    writeFileSync(file, JSON.stringify(m, null, 2));
    expect(await tamperedMessage(dir, id)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was edited: its content hashes to [0-9a-f]{12} but the snapshot id says ${id.slice(11)}`));
  });

  it('fails when a table hash in the manifest is changed to match a substituted file', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'manifest.json');
    const file = path.join(folder, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.tables.nominals.rows = 4;
    writeFileSync(file, JSON.stringify(m, null, 2));
    expect(await tamperedMessage(dir, id)).toContain('manifest.json was edited');
  });

  it('a manifest that does not parse gives SNAPSHOT_MANIFEST_INVALID naming it; list flags it; latest skips it', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'manifest.json');
    writeFileSync(path.join(folder, 'manifest.json'), '{"snapshot_id": "2026-11-16-');
    await expect(verifySnapshot(dir, id)).rejects.toMatchObject({ code: 'SNAPSHOT_MANIFEST_INVALID', message: expect.stringContaining(`${path.join(folder, 'manifest.json')} does not parse as JSON`) });
    expect(listSnapshots(dir)).toMatchObject([{ snapshot_id: id, problem: expect.stringContaining('does not parse') }]);
    expect(latestSnapshotId(dir)).toBeNull();
  });

  it('a manifest with a wrong field type is invalid, naming the field', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'manifest.json');
    const file = path.join(folder, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.tables.edges.sha256 = 'abc';
    m.as_of = 'yesterday';
    writeFileSync(file, JSON.stringify(m));
    const e = (await verifySnapshot(dir, id).catch((x: unknown) => x)) as Error;
    expect(e).toMatchObject({ code: 'SNAPSHOT_MANIFEST_INVALID' });
    expect(e.message).toContain('field as_of: expected YYYY-MM-DD, got "yesterday"');
    expect(e.message).toContain('field tables.edges: expected');
  });

  it('an unknown id, or a path-like id, gives SNAPSHOT_NOT_FOUND naming the id', async () => {
    const { dir } = await written();
    await expect(verifySnapshot(dir, '2026-01-05-000000000000')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', message: expect.stringContaining('snapshot "2026-01-05-000000000000" not found') });
    await expect(verifySnapshot(dir, '../..')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect(() => readManifest(dir, 'nope')).toThrow(/snapshot "nope" not found/);
    await expect(openSnapshot(path.join(dir, 'empty'))).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', message: expect.stringContaining('no snapshots in') });
  });

  it('a snapshot folder renamed to another id is caught (manifest id must match its folder)', async () => {
    const { dir, id, folder } = await written();
    const fake = `${id.slice(0, 11)}000000000000`;
    renameSync(folder, path.join(dir, fake));
    await expect(verifySnapshot(dir, fake)).rejects.toMatchObject({ code: 'SNAPSHOT_MANIFEST_INVALID', message: expect.stringContaining(`expected "${fake}" (its folder)`) });
  });

  it('openSnapshot with verify: true refuses a same-size change that the cheap check cannot see', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'networks.parquet');
    const file = path.join(folder, 'networks.parquet');
    const bytes = readFileSync(file);
    bytes[8]! ^= 0x01;
    writeFileSync(file, bytes);
    const cheap = await openSnapshot(dir, id);
    cheap.db.close();
    await expect(openSnapshot(dir, id, { verify: true })).rejects.toMatchObject({ code: 'SNAPSHOT_TAMPERED', message: expect.stringContaining('networks.parquet has changed') });
  });

  it('openSnapshot refuses a snapshot whose table file is missing or resized', async () => {
    const { dir, id, folder } = await written();
    unlock(folder, 'nominals.parquet');
    writeFileSync(path.join(folder, 'nominals.parquet'), 'short');
    await expect(openSnapshot(dir, id)).rejects.toMatchObject({ code: 'SNAPSHOT_TAMPERED', message: expect.stringContaining('nominals.parquet is 5 bytes') });
  });
});
