// Every Cypher statement the publisher sends, and every documented query, checked by Neo4j's own
// Cypher parser and linter (@neo4j-cypher/language-support) for syntax and for $parameters actually sent.

import { afterAll, describe, expect, it } from 'vitest';
import { allCypherVersions, lintCypherQuery, type DbSchema } from '@neo4j-cypher/language-support';
import { freshContext, removeDir } from '../helpers/context.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import * as CYPHER from '../../graph/neo4j/neo4j-cypher.ts';
import * as EXAMPLES from '../../graph/neo4j/example-queries.ts';
import { resolveNeo4jOptions } from '../../graph/neo4j/neo4j-options.ts';
import { publishToNeo4j } from '../../graph/neo4j/publish-to-neo4j.ts';
import { recordingRunner, type RecordedCall } from './recording-runner.ts';
import { WEEK1, WEEK2, writeDemoSnapshot } from './demo-snapshot.ts';

const SCHEMA: DbSchema = {
  labels: ['Nominal', 'Network', 'Snapshot'],
  relationshipTypes: ['ASSOCIATED_WITH', 'MEMBER_OF'],
};

function problems(cypher: string, parameters: Record<string, unknown>, version: string): string[] {
  const { diagnostics } = lintCypherQuery(`CYPHER ${version} ${cypher}`, { ...SCHEMA, parameters });
  return diagnostics.filter((d) => d.severity === 1).map((d) => `${d.message} in: ${cypher.slice(0, 60)}`);
}

const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const f of cleanups.reverse()) f();
});

async function sentStatements(): Promise<{ writes: RecordedCall[]; reads: RecordedCall[] }> {
  const ctx = await freshContext();
  cleanups.push(() => removeDir(ctx.root), () => ctx.db.close());
  const dir = `${ctx.root}/snaps`;
  const week1 = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
  const week2 = await writeDemoSnapshot(ctx, dir, '2026-11-16', WEEK2);
  const snapshot = await openSnapshot(dir, week2);
  cleanups.push(() => snapshot.db.close());
  const runner = recordingRunner({ currentSnapshotId: week1, deletions: [2, 0, 1, 0] });
  await publishToNeo4j(runner, snapshot, resolveNeo4jOptions({ batchSize: 2 }), {
    log: memoryLog(), clock: () => new Date('2026-11-16T06:00:00Z'), target: { uri: 'bolt://h' }, snapshotsDir: dir,
  });
  return { writes: runner.calls, reads: runner.reads };
}

let sent: Promise<{ writes: RecordedCall[]; reads: RecordedCall[] }> | undefined;

describe.each(allCypherVersions)('Cypher %s', (version) => {
  it('the linter catches a broken statement and a parameter that is not sent (so this test can fail)', () => {
    expect(problems('MATCH (n:Nominal RETURN n', {}, version)).not.toEqual([]);
    expect(problems(CYPHER.MERGE_NOMINALS, { rows: [] }, version)).toEqual([`Parameter $snapshot_id is not defined. in: ${CYPHER.MERGE_NOMINALS.slice(0, 60)}`]);
  });

  it('every statement the publisher sent parses, with exactly the parameters it was sent', async () => {
    sent ??= sentStatements(); // one publish, linted under each Cypher version
    const { writes, reads } = await sent;
    expect(writes.length).toBeGreaterThan(20);
    // One check per distinct statement and parameter-name set (batches of one statement differ only in values).
    const distinct = new Map<string, RecordedCall>();
    for (const call of [...writes, ...reads]) distinct.set(`${call.cypher}|${Object.keys(call.params).sort().join(',')}`, call);
    expect(distinct.size).toBe(CYPHER.SCHEMA_STATEMENTS.length + 10); // 4 merges, 4 sweeps, the Snapshot node, the current-snapshot read
    for (const call of distinct.values()) expect(problems(call.cypher, call.params, version)).toEqual([]);
  });

  it('the state query and the documented analyst queries parse', () => {
    expect(problems(CYPHER.READ_STATE, {}, version)).toEqual([]);
    expect(problems(EXAMPLES.TWO_HOP_NETWORK, { nominal_id: 'N1' }, version)).toEqual([]);
    expect(problems(EXAMPLES.BRIDGES_BETWEEN_NETWORKS, { network_a: 'W1', network_b: 'W2' }, version)).toEqual([]);
    expect(problems(EXAMPLES.BROKERS_BETWEEN_NETWORKS, { network_a: 'W1', network_b: 'W2' }, version)).toEqual([]);
  });
});
