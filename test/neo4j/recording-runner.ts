// A CypherRunner that records (cypher, params) instead of talking to Neo4j: the edge of the publisher,
// so tests can see every statement and parameter. It does not interpret Cypher (that is the integration test).

import type { CypherResult, CypherRunner } from '../../graph/neo4j/cypher-runner.ts';
import { ZERO_COUNTERS } from '../../graph/neo4j/cypher-runner.ts';

export interface RecordedCall {
  cypher: string;
  params: Record<string, unknown>;
}

export function recordingRunner(
  options: { failAtCall?: number; failWith?: unknown; deletions?: number[]; currentSnapshotId?: string } = {},
): CypherRunner & { calls: RecordedCall[]; reads: RecordedCall[] } {
  const reads: RecordedCall[] = [];
  const calls: RecordedCall[] = [];
  const deletions = [...(options.deletions ?? [])];
  return {
    calls,
    reads,
    async write(cypher, params): Promise<CypherResult> {
      if (options.failAtCall !== undefined && calls.length + 1 === options.failAtCall) {
        throw options.failWith ?? new Error('connection reset by peer');
      }
      calls.push({ cypher, params });
      const rows = params.rows as unknown[] | undefined;
      const records = rows ? [{ written: rows.length }] : cypher.includes('DELETE') ? [{ deleted: deletions.shift() ?? 0 }] : [];
      return { records, counters: { ...ZERO_COUNTERS } };
    },
    async read(cypher, params) {
      reads.push({ cypher, params });
      return options.currentSnapshotId ? [{ snapshot_id: options.currentSnapshotId }] : [];
    },
    async close() {},
  };
}
