import { afterEach, describe, expect, it } from 'vitest';
import neo4j from 'neo4j-driver';
import { freshContext, removeDir } from '../helpers/context.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import * as CYPHER from '../../graph/neo4j/neo4j-cypher.ts';
import * as EXAMPLES from '../../graph/neo4j/example-queries.ts';
import { resolveNeo4jOptions, type Neo4jOptions } from '../../graph/neo4j/neo4j-options.ts';
import { Neo4jPublishError, publishToNeo4j } from '../../graph/neo4j/publish-to-neo4j.ts';
import { neo4jConnectionError } from '../../graph/neo4j/neo4j-connection.ts';
import { recordingRunner } from './recording-runner.ts';
import { WEEK1, writeDemoSnapshot } from './demo-snapshot.ts';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

const TARGET = { uri: 'neo4j+s://example.databases.neo4j.io', database: 'harmnet' };
const CLOCK = () => new Date('2026-11-16T06:00:00Z');

async function publish(runner: ReturnType<typeof recordingRunner>, options: Partial<Neo4jOptions> = {}) {
  const ctx = await freshContext();
  cleanup.push(() => removeDir(ctx.root), () => ctx.db.close());
  const dir = `${ctx.root}/snaps`;
  const id = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
  const snapshot = await openSnapshot(dir, id);
  cleanup.push(() => snapshot.db.close());
  const log = memoryLog();
  const report = await publishToNeo4j(runner, snapshot, resolveNeo4jOptions(options), {
    log, clock: CLOCK, target: TARGET, classify: (e) => neo4jConnectionError(e, { uri: TARGET.uri, user: 'neo4j' }),
  });
  return { report, id, log };
}

const KNOWN = new Set<string>([
  ...CYPHER.SCHEMA_STATEMENTS, CYPHER.MERGE_NETWORKS, CYPHER.MERGE_NOMINALS, CYPHER.MERGE_MEMBERSHIPS, CYPHER.MERGE_LINKS,
  CYPHER.SWEEP_LINKS, CYPHER.SWEEP_MEMBERSHIPS, CYPHER.SWEEP_NOMINALS, CYPHER.SWEEP_NETWORKS, CYPHER.WRITE_SNAPSHOT,
]);
const name = (cypher: string) =>
  Object.entries(CYPHER).find(([, v]) => v === cypher)?.[0] ?? (CYPHER.SCHEMA_STATEMENTS.includes(cypher) ? 'SCHEMA' : 'UNKNOWN');

describe('Cypher text', () => {
  it('contains no string literals at all: every value is a $parameter', () => {
    const all = [...Object.values(CYPHER), ...Object.values(EXAMPLES)].flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : []));
    expect(all.length).toBe(KNOWN.size + 2 + 3); // + READ_CURRENT_SNAPSHOT, READ_STATE and the three examples
    for (const c of all) {
      expect(c).not.toMatch(/['"`]/);
    }
    for (const c of [CYPHER.MERGE_NETWORKS, CYPHER.MERGE_NOMINALS, CYPHER.MERGE_MEMBERSHIPS, CYPHER.MERGE_LINKS]) {
      expect(c.startsWith('UNWIND $rows AS row')).toBe(true);
      expect(c).toContain('$snapshot_id');
    }
    for (const c of [CYPHER.SWEEP_LINKS, CYPHER.SWEEP_MEMBERSHIPS, CYPHER.SWEEP_NOMINALS, CYPHER.SWEEP_NETWORKS]) {
      expect(c).toMatch(/published_by IS NULL OR \w\.published_by <> \$snapshot_id/);
      expect(c).toContain('LIMIT $batch_size');
    }
  });
  it('replaces node and relationship properties wholesale so removed ones do not linger', () => {
    expect(CYPHER.MERGE_NOMINALS).toContain('SET n = row, n.published_by = $snapshot_id');
    expect(CYPHER.MERGE_NETWORKS).toContain('SET w = row, w.published_by = $snapshot_id');
    expect(CYPHER.MERGE_LINKS).toContain('SET r = row.props, r.published_by = $snapshot_id');
    expect(CYPHER.MERGE_MEMBERSHIPS).toContain('SET m = {published_by: $snapshot_id}');
  });
  it('creates constraints and indexes only if they do not exist', () => {
    for (const s of CYPHER.SCHEMA_STATEMENTS) expect(s).toMatch(/^CREATE (CONSTRAINT|INDEX) harmnet_\w+ IF NOT EXISTS FOR /);
    expect(CYPHER.SCHEMA_STATEMENTS.filter((s) => s.includes('IS UNIQUE'))).toHaveLength(3);
  });
});

describe('publishToNeo4j (statements sent through a recording runner)', () => {
  it('runs schema, then networks, nominals, memberships, links, the sweeps, and the Snapshot node last', async () => {
    const runner = recordingRunner();
    const { report, id } = await publish(runner, { batchSize: 2 });
    const sequence = runner.calls.map((c) => name(c.cypher));
    expect(sequence).toEqual([
      ...Array(CYPHER.SCHEMA_STATEMENTS.length).fill('SCHEMA'),
      'MERGE_NETWORKS',
      'MERGE_NOMINALS', 'MERGE_NOMINALS', 'MERGE_NOMINALS', // 5 nominals in batches of 2: 2, 2, 1
      'MERGE_MEMBERSHIPS', 'MERGE_MEMBERSHIPS', 'MERGE_MEMBERSHIPS',
      'MERGE_LINKS', 'MERGE_LINKS', // 3 links: 2, 1
      'SWEEP_LINKS', 'SWEEP_MEMBERSHIPS', 'SWEEP_NOMINALS', 'SWEEP_NETWORKS',
      'WRITE_SNAPSHOT',
    ]);
    const nominalBatches = runner.calls.filter((c) => c.cypher === CYPHER.MERGE_NOMINALS).map((c) => (c.params.rows as Array<{ nominal_id: string }>).map((r) => r.nominal_id));
    expect(nominalBatches).toEqual([['N1', 'N2'], ['N3', 'N5'], ['N6']]);
    for (const c of runner.calls.filter((c) => c.params.rows)) expect(c.params.snapshot_id).toBe(id);
    expect(report).toMatchObject({
      status: 'published', snapshot_id: id, as_of: '2026-11-09', batch_size: 2, snapshot_node_written: true,
      rows: { networks: 2, nominals: 5, memberships: 5, links: 3 },
      written: { networks: 2, nominals: 5, memberships: 5, links: 3 },
      deleted: { networks: 0, nominals: 0, memberships: 0, links: 0 },
      excluded: { safeguarding_only_nominals: 1, links: 1, memberships: 1 },
      transactions: runner.calls.length,
      target: { uri: TARGET.uri, database: 'harmnet' },
    });
  });

  it.each([
    [1, 5], // batch size 1: one transaction per nominal
    [4, 2], // batch+1 rows: 4 then 1
    [5, 1], // exactly one batch
    [6, 1], // batch larger than the rows
  ])('batch size %i sends the 5 nominals in %i transactions', async (batchSize, transactions) => {
    const runner = recordingRunner();
    await publish(runner, { batchSize });
    const batches = runner.calls.filter((c) => c.cypher === CYPHER.MERGE_NOMINALS).map((c) => (c.params.rows as unknown[]).length);
    expect(batches).toHaveLength(transactions);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...batches)).toBeLessThanOrEqual(batchSize);
  });

  it('sends nothing but allow-listed properties; victims never appear in any parameter', async () => {
    const runner = recordingRunner();
    await publish(runner);
    const sent = JSON.stringify(runner.calls.map((c) => c.params));
    expect(sent).not.toContain('Brien');
    expect(sent).not.toContain('1990-01-01');
    expect(sent).not.toContain('N4');
    expect(sent).not.toContain('"sex"');
  });

  it('passes data only as parameters, even a name full of quotes', async () => {
    const runner = recordingRunner();
    await publish(runner, { nominalProperties: ['display_name'] });
    for (const c of runner.calls) expect(KNOWN.has(c.cypher)).toBe(true);
    const n1 = (runner.calls.find((c) => c.cypher === CYPHER.MERGE_NOMINALS)!.params.rows as Array<Record<string, unknown>>)[0];
    expect(n1).toEqual({ nominal_id: 'N1', display_name: `Dan 'Danny' "The Quote" O'Brien` });
  });

  it('repeats a sweep until it deletes fewer than a batch, and reports what was deleted', async () => {
    // links: 2 (full batch) then 1; memberships 0; nominals 2 then 0; networks 1.
    const runner = recordingRunner({ deletions: [2, 1, 0, 2, 0, 1] });
    const { report } = await publish(runner, { batchSize: 2 });
    const sweeps = runner.calls.filter((c) => c.cypher.includes('DELETE')).map((c) => name(c.cypher));
    expect(sweeps).toEqual(['SWEEP_LINKS', 'SWEEP_LINKS', 'SWEEP_MEMBERSHIPS', 'SWEEP_NOMINALS', 'SWEEP_NOMINALS', 'SWEEP_NETWORKS']);
    for (const c of runner.calls.filter((c) => c.cypher.includes('DELETE'))) {
      expect(neo4j.isInt(c.params.batch_size)).toBe(true);
      expect(Number(c.params.batch_size)).toBe(2);
    }
    expect(report.deleted).toEqual({ links: 3, memberships: 0, nominals: 2, networks: 1 });
  });

  it('writes the Snapshot node with the published counts', async () => {
    const runner = recordingRunner();
    const { id } = await publish(runner);
    const last = runner.calls.at(-1)!;
    expect(last.cypher).toBe(CYPHER.WRITE_SNAPSHOT);
    const s = last.params.snapshot as Record<string, unknown>;
    expect(s.snapshot_id).toBe(id);
    expect(String(s.as_of)).toBe('2026-11-09');
    expect(s.last_published_at).toBe('2026-11-16T06:00:00.000Z');
    expect([s.nominals, s.networks, s.links, s.memberships, s.excluded_safeguarding_only].map(Number)).toEqual([5, 2, 3, 5, 1]);
  });

  it('a failure mid-way reports precisely what was committed and never writes the Snapshot node', async () => {
    // Call 9 schema + 1 networks + 2 nominal batches committed; the third nominal batch (call 13) fails.
    const runner = recordingRunner({ failAtCall: CYPHER.SCHEMA_STATEMENTS.length + 4 });
    const err = await publish(runner, { batchSize: 2 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Neo4jPublishError);
    const e = err as Neo4jPublishError;
    expect(e.code).toBe('NEO4J_PUBLISH_FAILED');
    expect(e.report.written).toEqual({ networks: 2, nominals: 4, memberships: 0, links: 0 });
    expect(e.report.snapshot_node_written).toBe(false);
    expect(e.report.failed_step).toBe('nominals batch 3 of 3 (rows 5-5)');
    expect(e.message).toContain('failed at nominals batch 3 of 3 (rows 5-5): connection reset by peer');
    expect(e.message).toContain('2/2 networks, 4/5 nominals, 0/5 memberships, 0/3 links written');
    expect(e.message).not.toContain('\n');
    expect(runner.calls.some((c) => c.cypher === CYPHER.WRITE_SNAPSHOT)).toBe(false);
  });

  it('a lost connection mid-way is reported as NEO4J_UNAVAILABLE with the progress', async () => {
    const lost = new neo4j.Neo4jError('Connection was closed by server', 'ServiceUnavailable', '08000', 'connection exception');
    const runner = recordingRunner({ failAtCall: 1, failWith: lost });
    const e = (await publish(runner).then(() => undefined, (x: unknown) => x)) as Neo4jPublishError;
    expect(e.code).toBe('NEO4J_UNAVAILABLE');
    expect(e.report.failed_step).toBe('schema');
    expect(e.message).toMatch(/cannot reach Neo4j at neo4j\+s:\/\/example.databases.neo4j.io/);
  });
});
