import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { listSnapshots } from '../../pipelines/snapshot/read-snapshot.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { activeHolds, addHold, removeHold } from '../../pipelines/snapshot/legal-holds.ts';
import { expireSnapshots, retentionCutoff } from '../../pipelines/snapshot/expire-snapshots.ts';
import { readRetentionLog, RETENTION_LOG } from '../../pipelines/snapshot/retention-log.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import type { Config } from '../../pipelines/core/config.ts';

let ctx: StageContext & { root: string };
afterEach(() => {
  ctx.db.close();
  removeDir(ctx.root);
});

const AT = new Date('2026-11-20T10:00:00Z');

/** Snapshots for four weekly as-of dates, each with different content (one more nominal each week). */
async function fourWeeks(weeks = 2) {
  const log = memoryLog();
  ctx = await freshContext({ log });
  ctx = { ...ctx, config: { ...ctx.config, retention: { ...ctx.config.retention, snapshotRetentionWeeks: weeks } } as Config };
  await buildWarehouse(ctx.db);
  const ids: string[] = [];
  for (const [i, asOf] of ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'].entries()) {
    await ctx.db.run(`INSERT INTO w.nominals VALUES ($id, 'X', DATE '2000-01-01', 'F', false, 1.0, 'C', 'K2', 1)`, { id: `M${i}` });
    ids.push((await writeSnapshot(ctx, { asOf, tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc' })).snapshotId);
  }
  return { dir: ctx.config.paths.snapshots, ids, log };
}

describe('legal holds', () => {
  it('are added, listed and removed, each change logged with who, why and when', async () => {
    const { dir, ids } = await fourWeeks();
    const h1 = addHold(dir, { snapshotId: ids[0]!, reason: 'R v Smith disclosure', by: 'DC 1234 Jones', at: AT });
    const h2 = addHold(dir, { snapshotId: ids[0]!, reason: 'Op Falcon review', by: 'DS 99 Patel', at: AT });
    addHold(dir, { snapshotId: ids[1]!, reason: 'Op Falcon review', by: 'DS 99 Patel', at: AT });
    expect(h1).toEqual({ hold_id: 1, snapshot_id: ids[0], reason: 'R v Smith disclosure', by: 'DC 1234 Jones', at: '2026-11-20T10:00:00.000Z' });
    expect(activeHolds(dir).map((h) => [h.hold_id, h.snapshot_id])).toEqual([[1, ids[0]], [2, ids[0]], [3, ids[1]]]);

    expect(() => removeHold(dir, { snapshotId: ids[0]!, reason: 'case closed', by: 'DC 1234 Jones', at: AT })).toThrow(/has 2 legal holds \(1, 2\); say which with --hold ID/);
    removeHold(dir, { snapshotId: ids[0]!, holdId: h2.hold_id, reason: 'review complete', by: 'DS 99 Patel', at: AT });
    expect(activeHolds(dir).map((h) => h.hold_id)).toEqual([1, 3]);

    const log = readRetentionLog(dir);
    expect(log.map((e) => [e.seq, e.action])).toEqual([[1, 'hold_add'], [2, 'hold_add'], [3, 'hold_add'], [4, 'hold_remove']]);
    expect(log[3]).toMatchObject({ hold_id: 2, reason: 'review complete', by: 'DS 99 Patel', at: '2026-11-20T10:00:00.000Z' });
  });

  it('refuses an unknown snapshot, an empty reason and removing a hold that is not there', async () => {
    const { dir, ids } = await fourWeeks();
    expect(() => addHold(dir, { snapshotId: '2020-01-06-000000000000', reason: 'x', by: 'y', at: AT })).toThrow(/snapshot "2020-01-06-000000000000" not found/);
    expect(() => addHold(dir, { snapshotId: ids[0]!, reason: '  ', by: 'y', at: AT })).toThrow(/needs --reason/);
    expect(() => removeHold(dir, { snapshotId: ids[0]!, reason: 'x', by: 'y', at: AT })).toThrow(/no active legal hold on snapshot/);
    expect(readRetentionLog(dir)).toEqual([]);
  });

  it('the log is hash-chained: an edited line is detected; a cut-short last line is ignored and replaced', async () => {
    const { dir, ids } = await fourWeeks();
    addHold(dir, { snapshotId: ids[0]!, reason: 'case A', by: 'officer 1', at: AT });
    addHold(dir, { snapshotId: ids[1]!, reason: 'case B', by: 'officer 2', at: AT });
    const file = path.join(dir, RETENTION_LOG);
    const original = readFileSync(file, 'utf8');

    appendFileSync(file, '{"seq":3,"action":"hold_a'); // a crash mid-append
    expect(activeHolds(dir)).toHaveLength(2);
    addHold(dir, { snapshotId: ids[2]!, reason: 'case C', by: 'officer 3', at: AT });
    expect(readRetentionLog(dir).map((e) => e.seq)).toEqual([1, 2, 3]);

    writeFileSync(file, original.replace('case A', 'case Z'));
    expect(() => activeHolds(dir)).toThrow(/retention-log\.jsonl line 2: the hash chain is broken/);
  });
});

describe('expireSnapshots', () => {
  it('deletes snapshots older than the retention period except held ones, and logs ids only', async () => {
    const { dir, ids, log } = await fourWeeks(2);
    addHold(dir, { snapshotId: ids[0]!, reason: 'R v Smith disclosure', by: 'DC 1234 Jones', at: AT });
    // as of 2026-11-23 with 2 weeks: cutoff 2026-11-09, so 10-26 (held) and 11-02 are due.
    expect(retentionCutoff('2026-11-23', 2)).toBe('2026-11-09');
    const report = await expireSnapshots(ctx, { snapshotsDir: dir, asOf: '2026-11-23' });
    expect(report).toEqual({ deleted: [ids[1]], held: [ids[0]], cutoff: '2026-11-09' });
    expect(listSnapshots(dir).map((s) => s.snapshot_id)).toEqual([ids[0], ids[2], ids[3]]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    for (const id of [ids[0]!, ids[2]!, ids[3]!]) await expect(verifySnapshot(dir, id)).resolves.toMatchObject({ ok: true });
    expect(log.lines).toContain('retention: 1 snapshot(s) older than 2 weeks (before 2026-11-09) deleted, 1 kept under legal hold');
    expect(log.lines.join('\n')).not.toMatch(/Jones|Smith|Alex/);
    expect(readRetentionLog(dir).at(-1)).toMatchObject({ action: 'expire', as_of: '2026-11-23', cutoff: '2026-11-09', retention_weeks: 2, deleted: [ids[1]], held: [ids[0]] });

    // Released hold: deleted at the next expiry.
    removeHold(dir, { snapshotId: ids[0]!, reason: 'case closed', by: 'DC 1234 Jones', at: AT });
    expect(await expireSnapshots(ctx, { snapshotsDir: dir, asOf: '2026-11-23' })).toEqual({ deleted: [ids[0]], held: [], cutoff: '2026-11-09' });
  });

  it('finishes a deletion that a crash interrupted (a hidden .deleting- folder of a dead process)', async () => {
    const { dir, ids } = await fourWeeks(2);
    renameSync(path.join(dir, ids[0]!), path.join(dir, `.deleting-${ids[0]}-999999999`));
    expect(listSnapshots(dir).map((s) => s.snapshot_id)).toEqual(ids.slice(1));
    await expireSnapshots(ctx, { snapshotsDir: dir, asOf: '2026-11-16' });
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a snapshot exactly at the cutoff is kept; dry run deletes nothing', async () => {
    const { dir, ids } = await fourWeeks(2);
    const report = await expireSnapshots(ctx, { snapshotsDir: dir, asOf: '2026-11-16', dryRun: true });
    expect(report).toEqual({ deleted: [ids[0]], held: [], cutoff: '2026-11-02' });
    expect(listSnapshots(dir)).toHaveLength(4);
  });

  it('refuses a retention period below one week', async () => {
    await fourWeeks(0);
    await expect(expireSnapshots(ctx, { asOf: '2026-11-23' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
