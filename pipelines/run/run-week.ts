// The weekly job for one as-of date: ingest → curate → resolve → network → harm → analyse → snapshot.
// Each stage runs in its own transaction and is timed into ops.run_log; the snapshot is written last.

import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { chooseDrop, listDrops } from './drops.ts';
import { PIPELINE, type WeekState, type Neo4jPublishSettings } from './stages.ts';

export interface SourceSummary {
  file: string | null;
  status: 'loaded' | 'unchanged' | 'missing' | 'refused';
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  message: string;
  sha256: string | null;
}

/** One line of `harmnet run --json` (design/cli.md). */
export interface WeekResult {
  as_of: string;
  drop_as_of: string;
  snapshot_id: string | null;
  sources: Record<string, SourceSummary>;
  stages: { name: string; seconds: number }[];
  nominals: number;
  networks: number;
  /** The optional Neo4j publish: never fails the week (reported, retried next run). */
  publish?: { status: string; message: string };
}

export interface RunWeekOptions {
  extractsDir: string;
  asOf: string;
  replace?: boolean;
  runId: string;
  codeVersion: string;
  /** Stop after this stage (no snapshot is written): for benchmarks and diagnosis. */
  until?: string;
  /** Neo4j settings read at the CLI edge; null or absent: the publish step is skipped. */
  neo4j?: Neo4jPublishSettings | null;
}

const RUN_LOG_DDL = `
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.run_log (
  run_id VARCHAR, as_of DATE, stage VARCHAR, started_at TIMESTAMP, seconds DOUBLE,
  rows_out BIGINT, status VARCHAR, message VARCHAR
);`;

export async function ensureRunLog(ctx: StageContext): Promise<void> {
  for (const stmt of RUN_LOG_DDL.split(';').map((s) => s.trim()).filter(Boolean)) await ctx.db.run(stmt);
}

export async function runWeek(ctx: StageContext, opts: RunWeekOptions): Promise<WeekResult> {
  await ensureRunLog(ctx);
  const dropAsOf = chooseDrop(listDrops(opts.extractsDir), opts.asOf);
  const state: WeekState = {
    asOf: opts.asOf,
    dropAsOf,
    dropDir: path.join(opts.extractsDir, dropAsOf),
    replace: opts.replace ?? false,
    codeVersion: opts.codeVersion,
    sources: {},
    refusedFiles: [],
    referenceTables: [],
    snapshotId: null,
    nominals: 0,
    networks: 0,
    neo4j: opts.neo4j ?? null,
    publish: undefined,
  };
  if (opts.until && !PIPELINE.some((s) => s.name === opts.until)) {
    throw new HarmnetError('USAGE', `--until: unknown stage "${opts.until}"; stages are ${PIPELINE.map((s) => s.name).join(', ')}`);
  }
  const stages: { name: string; seconds: number }[] = [];
  for (const stage of PIPELINE) {
    const started = ctx.clock();
    const t0 = performance.now();
    ctx.log.progress(`${opts.asOf}  ${stage.name}…`);
    let rowsOut: number | null = null;
    try {
      rowsOut = stage.ownTransactions
        ? await stage.run(ctx, state)
        : await ctx.db.transaction(() => stage.run(ctx, state));
    } catch (e) {
      const seconds = (performance.now() - t0) / 1000;
      await logStage(ctx, opts.runId, opts.asOf, stage.name, started, seconds, null, 'failed', (e as Error).message);
      if (e instanceof HarmnetError) throw e;
      throw new HarmnetError('RUN_FAILED', `stage ${stage.name} failed for ${opts.asOf}: ${(e as Error).message}`, { cause: e });
    }
    const seconds = (performance.now() - t0) / 1000;
    stages.push({ name: stage.name, seconds: Math.round(seconds * 1000) / 1000 });
    await logStage(ctx, opts.runId, opts.asOf, stage.name, started, seconds, rowsOut ?? null, 'ok', null);
    if (stage.name === opts.until) break;
  }
  ctx.log.progress(`${opts.asOf}  done\n`);
  return {
    as_of: opts.asOf,
    drop_as_of: dropAsOf,
    snapshot_id: state.snapshotId,
    sources: state.sources,
    stages,
    nominals: state.nominals,
    networks: state.networks,
    ...(state.publish ? { publish: state.publish } : {}),
  };
}

async function logStage(
  ctx: StageContext,
  runId: string,
  asOf: string,
  stage: string,
  started: Date,
  seconds: number,
  rowsOut: number | null,
  status: string,
  message: string | null,
): Promise<void> {
  await ctx.db.run(
    `INSERT INTO ops.run_log VALUES ($run_id, $as_of::DATE, $stage, $started::TIMESTAMP, $seconds, $rows_out, $status, $message)`,
    { run_id: runId, as_of: asOf, stage, started: started.toISOString(), seconds, rows_out: rowsOut, status, message },
  );
}
