import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { main } from '../../pipelines/cli/main.ts';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

/** Runs `harmnet …` in-process, capturing stdout. */
async function harmnet(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(argv);
    return { code, stdout };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe('harmnet snapshot / hold', () => {
  let ctx: StageContext & { root: string };
  let dir: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    dir = ctx.config.paths.snapshots;
    a = (await writeSnapshot(ctx, { asOf: '2026-11-09', tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc' })).snapshotId;
    await ctx.db.run(`UPDATE w.nominals SET harm_cchi = 600, harm_band = 'A' WHERE nominal_id = 'N2'`);
    b = (await writeSnapshot(ctx, { asOf: '2026-11-16', tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc' })).snapshotId;
  });
  afterAll(() => {
    ctx.db.close();
    removeDir(ctx.root);
  });

  it('list --json gives every snapshot in as-of order with rows per table', async () => {
    const r = await harmnet('snapshot', 'list', '--snapshots', dir, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.snapshots.map((s: { snapshot_id: string }) => s.snapshot_id)).toEqual([a, b]);
    expect(j.snapshots[1]).toMatchObject({ as_of: '2026-11-16', previous_snapshot_id: a, rows: { nominals: 5, networks: 2, edges: 4 }, holds: [] });
  });

  it('list prints a table for people', async () => {
    const r = await harmnet('snapshot', 'list', '--snapshots', dir);
    expect(r.stdout.split('\n')[1]).toMatch(new RegExp(`^${a} +2026-11-16 06:00:00 +5 +2 `));
  });

  it('verify ID / latest succeed with --json', async () => {
    const r = await harmnet('snapshot', 'verify', 'latest', '--snapshots', dir, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ snapshot_id: b, ok: true, files: 5 });
  });

  it('diff ID1 ID2 --json reports the nominal whose harm changed', async () => {
    const r = await harmnet('snapshot', 'diff', a, b, '--snapshots', dir, '--json');
    const d = JSON.parse(r.stdout);
    expect(d.nominals.changed).toEqual([{ id: 'N2', harm_before: 100, harm_after: 600, harm_delta: 500, rank_before: 2, rank_after: 1, rank_delta: -1, changed_fields: ['harm_cchi', 'harm_band'] }]);
  });

  it('diff prints a readable summary', async () => {
    const r = await harmnet('snapshot', 'diff', a, b, '--snapshots', dir);
    // Ranks before: N1 #1, N2 #2, N3 #2, N4 #4; after: N2 #1, N1 #2, N3 #3, N4 #4 — three moved.
    expect(r.stdout).toContain('nominals: 0 added, 0 removed, 1 changed, 4 unchanged (3 moved in rank)');
    expect(r.stdout).toContain('  ~ N2  harm 100 → 600 (+500), #2 → #1; fields: harm_cchi, harm_band');
  });

  it('usage errors and unknown ids are HarmnetErrors with the right codes', async () => {
    await expect(harmnet('snapshot', 'diff', a, '--snapshots', dir)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(harmnet('snapshot', 'verify', '2026-01-05-000000000000', '--snapshots', dir)).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', exitCode: 1 });
    await expect(harmnet('snapshot', 'frobnicate', '--snapshots', dir)).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('hold add / list / remove, with list showing the hold', async () => {
    const add = await harmnet('hold', 'add', a, '--reason', 'R v Smith', '--by', 'DC Jones', '--snapshots', dir, '--json');
    expect(JSON.parse(add.stdout)).toMatchObject({ hold_id: 1, snapshot_id: a, reason: 'R v Smith', by: 'DC Jones' });
    await expect(harmnet('hold', 'add', a, '--by', 'DC Jones', '--snapshots', dir)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('--reason is required') });
    const listed = JSON.parse((await harmnet('snapshot', 'list', '--snapshots', dir, '--json')).stdout);
    expect(listed.snapshots[0].holds).toEqual([1]);
    expect(JSON.parse((await harmnet('hold', 'list', '--snapshots', dir, '--json')).stdout).holds).toHaveLength(1);
    await harmnet('hold', 'remove', a, '--reason', 'case closed', '--by', 'DC Jones', '--snapshots', dir);
    expect(JSON.parse((await harmnet('hold', 'list', '--snapshots', dir, '--json')).stdout).holds).toEqual([]);
    const log = JSON.parse((await harmnet('hold', 'list', '--log', '--snapshots', dir, '--json')).stdout).events;
    expect(log.map((e: { action: string }) => e.action)).toEqual(['hold_add', 'hold_remove']);
  });

  it('verify --all exits 4 and names the damaged snapshot and file', async () => {
    const folder = path.join(dir, a);
    chmodSync(folder, 0o755);
    chmodSync(path.join(folder, 'nominals.parquet'), 0o644);
    const bytes = readFileSync(path.join(folder, 'nominals.parquet'));
    bytes[100]! ^= 0xff;
    writeFileSync(path.join(folder, 'nominals.parquet'), bytes);
    const r = await harmnet('snapshot', 'verify', '--all', '--snapshots', dir, '--json');
    expect(r.code).toBe(4);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ verified: 2, failed: 1 });
    expect(j.results[0]).toMatchObject({ snapshot_id: a, ok: false, code: 'SNAPSHOT_TAMPERED', error: expect.stringContaining(`${path.join(folder, 'nominals.parquet')} has changed`) });
    await expect(harmnet('snapshot', 'verify', a, '--snapshots', dir)).rejects.toMatchObject({ code: 'SNAPSHOT_TAMPERED', exitCode: 4 });

    // The real program: exit code 4 and one line on stderr naming the file.
    const real = spawnSync(process.execPath, ['bin/harmnet.js', 'snapshot', 'verify', a, '--snapshots', dir], { encoding: 'utf8' });
    expect(real.status).toBe(4);
    expect(real.stderr.trim().split('\n')).toHaveLength(1);
    expect(real.stderr).toContain(`harmnet: ${path.join(folder, 'nominals.parquet')} has changed`);
  });
});
