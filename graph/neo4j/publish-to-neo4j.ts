// Publishes one opened snapshot to Neo4j: schema, then batched UNWIND/MERGE of networks, nominals,
// memberships and links marked with the snapshot id, a batched sweep of everything unmarked, and last the Snapshot node.

import type { Db } from '../../pipelines/core/db.ts';
import { HarmnetError, isHarmnetError } from '../../pipelines/core/errors.ts';
import type { Log } from '../../pipelines/core/log.ts';
import { snapshotFolder, type Manifest } from '../../pipelines/snapshot/read-snapshot.ts';
import neo4j from 'neo4j-driver';
import { batchRanges } from './batch-ranges.ts';
import { addCounters, ZERO_COUNTERS, type CypherRunner, type WriteCounters } from './cypher-runner.ts';
import { deletionCounts, deletionSet } from './deletion-set.ts';
import {
  MERGE_LINKS, MERGE_MEMBERSHIPS, MERGE_NETWORKS, MERGE_NOMINALS, READ_CURRENT_SNAPSHOT, SCHEMA_STATEMENTS,
  SWEEP_LINKS, SWEEP_MEMBERSHIPS, SWEEP_NETWORKS, SWEEP_NOMINALS, WRITE_SNAPSHOT,
} from './neo4j-cypher.ts';
import { DEFAULT_NOMINAL_PROPERTIES, type Neo4jOptions } from './neo4j-options.ts';
import { cypherRows, ENTITIES, prepareNeo4jRows, readRows, type Entity } from './neo4j-rows.ts';

export interface PublishReport {
  status: 'published' | 'failed';
  snapshot_id: string;
  as_of: string;
  target: { uri: string; database: string | null };
  batch_size: number;
  nominal_properties: string[];
  include_safeguarding_only: boolean;
  /** Rows the snapshot gives Neo4j, per entity. */
  rows: Record<Entity, number>;
  /** Rows of the snapshot deliberately not published. */
  excluded: { safeguarding_only_nominals: number; links: number; memberships: number };
  /** Rows committed so far, per entity (equal to `rows` when published). */
  written: Record<Entity, number>;
  /** Nodes and relationships deleted because the snapshot no longer has them. */
  deleted: Record<Entity, number>;
  /** The snapshot Neo4j recorded as current before this publish (null: none, e.g. a first publish). */
  previous_snapshot_id: string | null;
  /**
   * The deletion set computed from the previous and this snapshot (null when the previous snapshot
   * is not in the local snapshots folder). A difference from `deleted` means Neo4j held nodes or
   * links of an unfinished publish or added by hand; the publish still converges, with a warning.
   */
  expected_deleted: Record<Entity, number> | null;
  /** Committed write transactions. */
  transactions: number;
  /** Neo4j's own update counters, summed over committed transactions. */
  counters: WriteCounters;
  schema_statements: number;
  snapshot_node_written: boolean;
  /** Set when failed: the step that failed and why. */
  failed_step?: string;
  error?: string;
}

/** Thrown when a publish fails after it started writing; `report` says precisely what was committed. */
export class Neo4jPublishError extends HarmnetError {
  constructor(
    readonly report: PublishReport,
    cause: unknown,
    code: 'NEO4J_PUBLISH_FAILED' | 'NEO4J_UNAVAILABLE' | 'NEO4J_UNAUTHORIZED' = 'NEO4J_PUBLISH_FAILED',
  ) {
    super(code, failureMessage(report), { cause });
  }
}

function failureMessage(r: PublishReport): string {
  const done = ENTITIES.map((e) => `${r.written[e]}/${r.rows[e]} ${e}`).join(', ');
  const del = ENTITIES.map((e) => `${r.deleted[e]} ${e}`).join(', ');
  return `publish of snapshot ${r.snapshot_id} to Neo4j at ${r.target.uri} failed at ${r.failed_step}: ${r.error}; ` +
    `committed before the failure: ${done} written, ${del} deleted, Snapshot node not written — ` +
    `Neo4j mixes this snapshot with the previous one until a publish completes (publish again to converge)`;
}

const MERGE: Record<Entity, string> = { networks: MERGE_NETWORKS, nominals: MERGE_NOMINALS, memberships: MERGE_MEMBERSHIPS, links: MERGE_LINKS };
/** Relationships first, then nodes (so node deletes find nothing of ours left to detach). */
const SWEEPS: Array<[Entity, string]> = [['links', SWEEP_LINKS], ['memberships', SWEEP_MEMBERSHIPS], ['nominals', SWEEP_NOMINALS], ['networks', SWEEP_NETWORKS]];

const zeroes = (): Record<Entity, number> => ({ networks: 0, nominals: 0, memberships: 0, links: 0 });

export interface PublishContext {
  log: Log;
  clock: () => Date;
  /** For the report and messages only (no credentials). */
  target: { uri: string; database?: string };
  /** The local snapshots folder, to compute the deletion set against the previously published snapshot. */
  snapshotsDir?: string;
  /** Maps a driver error to a HarmnetError when it is a connection/auth failure. */
  classify?: (e: unknown) => HarmnetError | undefined;
}

/**
 * Publishes the snapshot open in `snapshot.db` through `runner`. Idempotent: the same snapshot twice
 * leaves the same nodes, relationships and properties (only the Snapshot node's last_published_at moves).
 */
export async function publishToNeo4j(
  runner: CypherRunner,
  snapshot: { db: Db; manifest: Manifest },
  options: Readonly<Neo4jOptions>,
  ctx: PublishContext,
): Promise<PublishReport> {
  const { db, manifest } = snapshot;
  const snapshotId = manifest.snapshot_id;
  const isDefault = sameList(options.nominalProperties, ['nominal_id', ...DEFAULT_NOMINAL_PROPERTIES.filter((p) => p !== 'nominal_id')]);
  const prepared = await prepareNeo4jRows(db, options, isDefault);
  const report: PublishReport = {
    status: 'failed',
    snapshot_id: snapshotId,
    as_of: manifest.as_of,
    target: { uri: ctx.target.uri, database: ctx.target.database ?? null },
    batch_size: options.batchSize,
    nominal_properties: prepared.tables.nominals.columns.map((c) => c.name),
    include_safeguarding_only: options.includeSafeguardingOnly,
    rows: Object.fromEntries(ENTITIES.map((e) => [e, prepared.tables[e].rows])) as Record<Entity, number>,
    excluded: prepared.excluded,
    written: zeroes(),
    deleted: zeroes(),
    previous_snapshot_id: null,
    expected_deleted: null,
    transactions: 0,
    counters: { ...ZERO_COUNTERS },
    schema_statements: 0,
    snapshot_node_written: false,
  };
  let step = 'schema';
  const write = async (cypher: string, params: Record<string, unknown>) => {
    const result = await runner.write(cypher, params);
    report.transactions++;
    report.counters = addCounters(report.counters, result.counters);
    return result;
  };
  try {
    step = 'reading the current Snapshot node';
    const current = (await runner.read(READ_CURRENT_SNAPSHOT, {})).map((r) => String(r.snapshot_id));
    report.previous_snapshot_id = current.at(-1) ?? null;
    if (report.previous_snapshot_id === snapshotId) {
      report.expected_deleted = zeroes();
    } else if (report.previous_snapshot_id && ctx.snapshotsDir && isLocalSnapshot(ctx.snapshotsDir, report.previous_snapshot_id)) {
      step = `computing the deletion set from ${report.previous_snapshot_id}`;
      const set = await deletionSet(db, ctx.snapshotsDir, report.previous_snapshot_id, options.includeSafeguardingOnly);
      report.expected_deleted = deletionCounts(set);
    }
    step = 'schema';
    for (const statement of SCHEMA_STATEMENTS) {
      await write(statement, {});
      report.schema_statements++;
    }
    for (const entity of ENTITIES) {
      const t = prepared.tables[entity];
      const ranges = batchRanges(t.rows, options.batchSize);
      for (const [i, r] of ranges.entries()) {
        step = `${entity} batch ${i + 1} of ${ranges.length} (rows ${r.from}-${r.to})`;
        const rows = cypherRows(entity, t, await readRows(db, t, r.from, r.to));
        const result = await write(MERGE[entity], { rows, snapshot_id: snapshotId });
        const written = Number(result.records[0]?.written ?? 0);
        report.written[entity] += written;
        if (written !== rows.length) {
          throw new HarmnetError('NEO4J_PUBLISH_FAILED', `Neo4j wrote ${written} of ${rows.length} rows (an endpoint node is missing)`);
        }
        ctx.log.progress(`neo4j: ${entity} ${report.written[entity]}/${t.rows}`);
      }
    }
    for (const [entity, cypher] of SWEEPS) {
      for (let round = 1; ; round++) {
        step = `deleting ${entity} absent from the snapshot (round ${round})`;
        const result = await write(cypher, { snapshot_id: snapshotId, batch_size: neo4j.int(options.batchSize) });
        const deleted = Number(result.records[0]?.deleted ?? 0);
        report.deleted[entity] += deleted;
        if (deleted < options.batchSize) break;
      }
    }
    if (report.expected_deleted) {
      const differs = ENTITIES.filter((e) => report.deleted[e] !== report.expected_deleted![e]);
      if (differs.length > 0) {
        ctx.log.warn(
          `neo4j: deleted ${differs.map((e) => `${report.deleted[e]} ${e} (expected ${report.expected_deleted![e]})`).join(', ')} ` +
            `going from ${report.previous_snapshot_id} to ${snapshotId}: Neo4j held items of an unfinished publish or added by hand`,
        );
      }
    }
    step = 'Snapshot node';
    await write(WRITE_SNAPSHOT, {
      snapshot_id: snapshotId,
      snapshot: {
        snapshot_id: snapshotId,
        as_of: new neo4j.types.Date(Number(manifest.as_of.slice(0, 4)), Number(manifest.as_of.slice(5, 7)), Number(manifest.as_of.slice(8, 10))),
        last_published_at: ctx.clock().toISOString(),
        code_version: manifest.code_version ?? null,
        previous_snapshot_id: manifest.previous_snapshot_id ?? null,
        nominals: neo4j.int(report.written.nominals),
        networks: neo4j.int(report.written.networks),
        links: neo4j.int(report.written.links),
        memberships: neo4j.int(report.written.memberships),
        excluded_safeguarding_only: neo4j.int(report.excluded.safeguarding_only_nominals),
        include_safeguarding_only: options.includeSafeguardingOnly,
        nominal_properties: report.nominal_properties,
      },
    });
    report.snapshot_node_written = true;
    report.status = 'published';
    ctx.log.info(
      `neo4j: published ${snapshotId}: ${ENTITIES.map((e) => `${report.written[e]} ${e}`).join(', ')}; ` +
        `deleted ${ENTITIES.map((e) => `${report.deleted[e]} ${e}`).join(', ')}`,
    );
    return report;
  } catch (e) {
    report.failed_step = step;
    const known = ctx.classify?.(e);
    report.error = (known ?? (e as Error)).message?.replace(/\s+/g, ' ') ?? String(e);
    const code = known && (known.code === 'NEO4J_UNAVAILABLE' || known.code === 'NEO4J_UNAUTHORIZED') ? known.code : 'NEO4J_PUBLISH_FAILED';
    throw new Neo4jPublishError(report, e, code);
  }
}

function isLocalSnapshot(dir: string, id: string): boolean {
  try {
    snapshotFolder(dir, id);
    return true;
  } catch (e) {
    // Not kept locally (expired, or published from another machine): no expected set, nothing else changes.
    if (isHarmnetError(e, 'SNAPSHOT_NOT_FOUND')) return false;
    throw e;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
