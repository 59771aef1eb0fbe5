// Opens a snapshot and a verified Neo4j driver, publishes, closes both: the entry point for the
// `harmnet publish neo4j` command and the weekly run's optional step (publishSnapshotSafely).

import type { Log } from '../../pipelines/core/log.ts';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import { driverRunner } from './cypher-runner.ts';
import { displayUri, neo4jConnectionError, openNeo4jDriver, type Neo4jConnectionSettings } from './neo4j-connection.ts';
import { resolveNeo4jOptions, type Neo4jOptions } from './neo4j-options.ts';
import { Neo4jPublishError, publishToNeo4j, type PublishReport } from './publish-to-neo4j.ts';

export interface PublishSnapshotArgs {
  connection: Neo4jConnectionSettings;
  snapshotsDir: string;
  /** Omitted or 'latest': the newest snapshot. */
  snapshotId?: string;
  options?: Partial<Neo4jOptions>;
  log: Log;
  clock: () => Date;
}

/** Publishes a snapshot; throws HarmnetError (Neo4jPublishError with its report once writing began). */
export async function publishSnapshot(args: PublishSnapshotArgs): Promise<PublishReport> {
  const options = resolveNeo4jOptions(args.options);
  const snapshot = await openSnapshot(args.snapshotsDir, args.snapshotId);
  try {
    const driver = await openNeo4jDriver(args.connection);
    const runner = driverRunner(driver, args.connection.database);
    try {
      return await publishToNeo4j(runner, snapshot, options, {
        log: args.log,
        clock: args.clock,
        target: { uri: displayUri(args.connection.uri), database: args.connection.database },
        snapshotsDir: args.snapshotsDir,
        classify: (e) => neo4jConnectionError(e, args.connection),
      });
    } finally {
      await runner.close();
      await driver.close();
    }
  } finally {
    snapshot.db.close();
  }
}

export interface SafePublishOutcome {
  status: 'published' | 'failed' | 'skipped';
  /** One line for the run log: what was published, or why not. */
  message: string;
  report?: PublishReport;
}

/**
 * The weekly run's optional step: never throws, so the run still completes its snapshot when Neo4j
 * is down. connection null (NEO4J_URI unset) → skipped. A failure is reported and retried next run
 * (the next publish converges, whatever this one committed).
 */
export async function publishSnapshotSafely(args: Omit<PublishSnapshotArgs, 'connection'> & { connection: Neo4jConnectionSettings | null }): Promise<SafePublishOutcome> {
  if (!args.connection) return { status: 'skipped', message: 'Neo4j publish skipped: NEO4J_URI is not set' };
  try {
    const report = await publishSnapshot({ ...args, connection: args.connection });
    const w = report.written;
    const d = report.deleted;
    return {
      status: 'published',
      message: `published snapshot ${report.snapshot_id} to Neo4j at ${report.target.uri}: ${w.nominals} nominals, ${w.networks} networks, ${w.links} links, ${w.memberships} memberships; deleted ${d.nominals} nominals, ${d.networks} networks, ${d.links} links, ${d.memberships} memberships`,
      report,
    };
  } catch (e) {
    const message = e instanceof HarmnetError ? e.message : `Neo4j publish failed: ${e instanceof Error ? e.message : String(e)}`;
    args.log.warn(`${message} (will be retried next run)`);
    return { status: 'failed', message, ...(e instanceof Neo4jPublishError ? { report: e.report } : {}) };
  }
}
