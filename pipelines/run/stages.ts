// The stages of the weekly job, in data-flow order. Each stage reads earlier stages' tables and
// writes its own; the orchestrator times it and wraps it in a transaction unless it manages its own.

import type { StageContext } from '../core/context.ts';
import type { SourceSummary } from './run-week.ts';
import { loadReferenceTables } from '../reference/load-reference.ts';
import { ingestDrop } from '../ingest/ingest-drop.ts';
import { curate } from '../curate/curate.ts';
import { applyRetention } from '../curate/retention.ts';
import { resolve } from '../resolve/resolve.ts';
import { buildEdges } from '../network/build-edges.ts';
import { scoreHarm } from '../harm/score-harm.ts';
import { scoreNetworks } from '../harm/score-networks.ts';
import { analyseWeek } from '../analyse/analyse-week.ts';
import { fairnessReport } from '../accountability/fairness-report.ts';
import { writeSnapshot } from '../snapshot/write-snapshot.ts';
import { expireSnapshots } from '../snapshot/expire-snapshots.ts';
import { snapshotTables } from './snapshot-tables.ts';
import { publishSnapshotSafely } from '../../graph/neo4j/publish-snapshot.ts';
import type { neo4jSettingsFromEnv } from '../../graph/neo4j/neo4j-connection.ts';

/** What the CLI edge read from NEO4J_* (see docs/neo4j.md). */
export type Neo4jPublishSettings = ReturnType<typeof neo4jSettingsFromEnv>;

export interface WeekState {
  asOf: string;
  dropAsOf: string;
  dropDir: string;
  replace: boolean;
  codeVersion: string;
  sources: Record<string, SourceSummary>;
  refusedFiles: { file: string; message: string }[];
  referenceTables: { name: string; version: string; sha256: string; rows: number }[];
  snapshotId: string | null;
  nominals: number;
  networks: number;
  neo4j: Neo4jPublishSettings | null;
  publish: { status: string; message: string } | undefined;
}

export interface Stage {
  name: string;
  /** True when the stage opens its own transactions (ingest: one per source, so a refused source loads nothing). */
  ownTransactions?: boolean;
  /** Returns the number of rows it wrote (for the run log), or null. */
  run(ctx: StageContext, state: WeekState): Promise<number | null>;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export const PIPELINE: Stage[] = [
  {
    name: 'reference',
    async run(ctx, state) {
      state.referenceTables = await loadReferenceTables(ctx);
      return sum(state.referenceTables.map((t) => t.rows));
    },
  },
  {
    name: 'ingest',
    ownTransactions: true, // one transaction per source: a refused source loads nothing, the others still load
    async run(ctx, state) {
      const drop = await ingestDrop(ctx, state.dropDir, { replace: state.replace });
      for (const [source, r] of Object.entries(drop.sources)) {
        state.sources[source] = {
          file: r.file,
          status: r.status,
          rows_read: r.rows_read,
          rows_loaded: r.rows_loaded,
          rows_rejected: r.rows_rejected,
          message: r.message,
          sha256: r.sha256,
        };
        if (r.status === 'refused' || r.status === 'missing') ctx.log.warn(`${state.asOf}: ${source} ${r.status}: ${r.message}`);
      }
      state.refusedFiles = drop.refused_files;
      return sum(Object.values(drop.sources).map((r) => r.rows_loaded));
    },
  },
  {
    name: 'curate',
    async run(ctx, state) {
      const { counts } = await curate(ctx, { asOf: state.asOf, dropAsOf: state.dropAsOf });
      return counts['involvement'] ?? null;
    },
  },
  {
    name: 'retention',
    async run(ctx, state) {
      const deleted = await applyRetention(ctx, { asOf: state.asOf, dropAsOf: state.dropAsOf });
      return sum(deleted.map((d) => d.records));
    },
  },
  {
    name: 'resolve',
    async run(ctx, state) {
      const r = await resolve(ctx, { asOf: state.asOf });
      state.nominals = r.nominals;
      return r.nominals;
    },
  },
  {
    name: 'network',
    async run(ctx, state) {
      const r = await buildEdges(ctx, { asOf: state.asOf });
      return r.edges;
    },
  },
  {
    name: 'harm',
    async run(ctx, state) {
      const r = await scoreHarm(ctx, { asOf: state.asOf });
      return r.scored;
    },
  },
  {
    name: 'analyse',
    async run(ctx, state) {
      const r = await analyseWeek(ctx, { asOf: state.asOf });
      state.networks = r.networks;
      return r.networks;
    },
  },
  {
    name: 'network-harm',
    async run(ctx, state) {
      const r = await scoreNetworks(ctx, { asOf: state.asOf, membershipTable: 'analysis.network_member' });
      return r.networks;
    },
  },
  {
    name: 'fairness',
    async run(ctx, state) {
      const r = await fairnessReport(ctx, { asOf: state.asOf });
      if (r.flagged) ctx.log.info(`fairness: ${r.flagged} group(s) over the disparity threshold (see the fairness report)`);
      return r.rows;
    },
  },
  {
    name: 'snapshot',
    ownTransactions: true, // reads the warehouse only; the snapshot itself appears atomically by rename
    async run(ctx, state) {
      const tables = await snapshotTables(ctx.db);
      // The inputs a week was built from, not what this particular run had to do: a file already
      // loaded ('unchanged') is recorded exactly as when it was loaded, so a re-run gives the same snapshot.
      const inputs = Object.entries(state.sources).map(([source, r]) => {
        const loaded = r.status === 'loaded' || r.status === 'unchanged';
        return {
          source,
          path: r.file,
          sha256: r.sha256,
          rows_read: r.rows_read,
          rows_loaded: r.rows_loaded,
          rows_rejected: r.rows_rejected,
          status: loaded ? 'loaded' : r.status,
          message: loaded ? `${r.rows_loaded} rows loaded, ${r.rows_rejected} rejected` : r.message,
        };
      });
      const written = await writeSnapshot(ctx, {
        asOf: state.asOf,
        tables,
        inputs,
        referenceTables: state.referenceTables,
        codeVersion: state.codeVersion,
      });
      state.snapshotId = written.snapshotId;
      // Snapshots past the retention period leave now, unless on a legal hold (ids only are logged).
      const expired = await expireSnapshots(ctx, { asOf: state.asOf });
      if (expired.deleted.length) ctx.log.info(`snapshot retention: ${expired.deleted.length} expired, ${expired.held.length} held`);
      return sum(Object.values(written.tables).map((t) => t.rows));
    },
  },
  {
    name: 'publish',
    ownTransactions: true, // reads the snapshot, never the warehouse
    async run(ctx, state) {
      if (!state.neo4j?.connection || !state.snapshotId) {
        state.publish = { status: 'skipped', message: 'Neo4j publish skipped: NEO4J_URI is not set' };
        return null;
      }
      const outcome = await publishSnapshotSafely({
        connection: state.neo4j.connection,
        options: state.neo4j.options,
        snapshotsDir: ctx.config.paths.snapshots,
        snapshotId: state.snapshotId,
        log: ctx.log,
        clock: ctx.clock,
      });
      state.publish = { status: outcome.status, message: outcome.message };
      if (outcome.status === 'failed') ctx.log.warn(`${outcome.message} (the snapshot stands; the next run publishes again)`);
      return outcome.report ? outcome.report.written.nominals : null;
    },
  },
];
