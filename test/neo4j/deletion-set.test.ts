import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { freshContext, removeDir } from '../helpers/context.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import { deletionSet } from '../../graph/neo4j/deletion-set.ts';
import { prepareNeo4jRows } from '../../graph/neo4j/neo4j-rows.ts';
import { resolveNeo4jOptions } from '../../graph/neo4j/neo4j-options.ts';
import { publishToNeo4j } from '../../graph/neo4j/publish-to-neo4j.ts';
import { READ_CURRENT_SNAPSHOT } from '../../graph/neo4j/neo4j-cypher.ts';
import { recordingRunner } from './recording-runner.ts';
import { WEEK1, WEEK2, writeDemoSnapshot } from './demo-snapshot.ts';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

async function twoWeeks() {
  const ctx = await freshContext();
  cleanup.push(() => removeDir(ctx.root), () => ctx.db.close());
  const dir = path.join(ctx.root, 'snaps');
  const week1 = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
  const week2 = await writeDemoSnapshot(ctx, dir, '2026-11-16', WEEK2);
  const snapshot = await openSnapshot(dir, week2);
  cleanup.push(() => snapshot.db.close());
  return { dir, week1, week2, snapshot };
}

describe('deletionSet (previous published snapshot → this one)', () => {
  it('week 1 → week 2: N3 removed by MOPI takes its link and membership; N6 leaves W2 for W3', async () => {
    const { dir, week1, snapshot } = await twoWeeks();
    await prepareNeo4jRows(snapshot.db, resolveNeo4jOptions(), true);
    expect(await deletionSet(snapshot.db, dir, week1, false)).toEqual({
      previous_snapshot_id: week1,
      nominals: ['N3'],
      networks: [],
      links: [['N2', 'N3']],
      memberships: [['N3', 'W1'], ['N6', 'W2']],
    });
  });

  it('the same snapshot against itself deletes nothing', async () => {
    const { dir, week2, snapshot } = await twoWeeks();
    await prepareNeo4jRows(snapshot.db, resolveNeo4jOptions(), true);
    const d = await deletionSet(snapshot.db, dir, week2, false);
    expect([d.nominals, d.networks, d.links, d.memberships]).toEqual([[], [], [], []]);
  });

  it('safeguarding-only nominals never published are never in the set', async () => {
    const { dir, week1, snapshot } = await twoWeeks();
    await prepareNeo4jRows(snapshot.db, resolveNeo4jOptions(), true);
    const d = await deletionSet(snapshot.db, dir, week1, false);
    expect(JSON.stringify(d)).not.toContain('N4');
  });
});

describe('publishToNeo4j with a previously published snapshot', () => {
  const CTX = { clock: () => new Date('2026-11-16T06:00:00Z'), target: { uri: 'bolt://h' } };

  it('reports the expected deletion set beside what the sweep deleted, silently when they agree', async () => {
    const { dir, week1, snapshot } = await twoWeeks();
    const runner = recordingRunner({ currentSnapshotId: week1, deletions: [1, 2, 1, 0] });
    const log = memoryLog();
    const report = await publishToNeo4j(runner, snapshot, resolveNeo4jOptions(), { ...CTX, log, snapshotsDir: dir });
    expect(runner.reads.map((r) => r.cypher)).toEqual([READ_CURRENT_SNAPSHOT]);
    expect(report.previous_snapshot_id).toBe(week1);
    expect(report.expected_deleted).toEqual({ networks: 0, nominals: 1, memberships: 2, links: 1 });
    expect(report.deleted).toEqual({ networks: 0, nominals: 1, memberships: 2, links: 1 });
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  it('warns when Neo4j held more than the previous snapshot (an unfinished publish or hand-made nodes)', async () => {
    const { dir, week1, week2, snapshot } = await twoWeeks();
    const runner = recordingRunner({ currentSnapshotId: week1, deletions: [1, 2, 3, 0] });
    const log = memoryLog();
    await publishToNeo4j(runner, snapshot, resolveNeo4jOptions(), { ...CTX, log, snapshotsDir: dir });
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([
      `warning: neo4j: deleted 3 nominals (expected 1) going from ${week1} to ${week2}: Neo4j held items of an unfinished publish or added by hand`,
    ]);
  });

  it('has no expected set when the previous snapshot is not kept locally', async () => {
    const { dir, snapshot } = await twoWeeks();
    const runner = recordingRunner({ currentSnapshotId: '2020-01-06-aaaaaaaaaaaa' });
    const report = await publishToNeo4j(runner, snapshot, resolveNeo4jOptions(), { ...CTX, log: memoryLog(), snapshotsDir: dir });
    expect(report.previous_snapshot_id).toBe('2020-01-06-aaaaaaaaaaaa');
    expect(report.expected_deleted).toBeNull();
  });
});
