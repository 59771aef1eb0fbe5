// The weekly job end to end on generated demo extracts: real generator, real DuckDB file, every stage,
// snapshots on disk. Checks the run's contract (cli.md) rather than any one stage's figures.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../../data-fixtures/generator/generate.ts';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { runWeeks } from '../../pipelines/run/run-weeks.ts';
import { PIPELINE } from '../../pipelines/run/stages.ts';
import type { WeekResult } from '../../pipelines/run/run-week.ts';
import { listSnapshots, readManifest } from '../../pipelines/snapshot/read-snapshot.ts';
import { TEST_NOW, tempDir } from '../helpers/context.ts';
import { readDeploymentMirror } from '../../pipelines/run/deployment-mirror.ts';
import { neo4jSettingsFromEnv } from '../../graph/neo4j/neo4j-connection.ts';

const WEEKS = ['2026-11-02', '2026-11-09'];
let extracts: string;
let root: string;
let results: WeekResult[];
let ctx: StageContext;

beforeAll(async () => {
  root = tempDir();
  extracts = path.join(root, 'extracts');
  await generate({ out: extracts, weeks: 3, log: silentLog });
  const config = resolveConfig({ root });
  ctx = { db: await Db.open(config.paths.warehouse), log: silentLog, clock: () => new Date(TEST_NOW), config };
  results = await runWeeks(ctx, { extractsDir: extracts, weeks: WEEKS, codeVersion: 'test', startedBy: 'DS Test' });
});

describe('harmnet run (weekly job)', () => {
  it('reports one result per week in the cli.md shape, every stage timed', () => {
    expect(results.map((r) => r.as_of)).toEqual(WEEKS);
    for (const r of results) {
      expect(Object.keys(r.sources).sort()).toEqual(['crime', 'custody', 'intel', 'missing', 'pins']);
      expect(r.stages.map((s) => s.name)).toEqual(PIPELINE.map((s) => s.name));
      expect(r.nominals).toBeGreaterThan(1000);
      expect(r.networks).toBeGreaterThan(5);
      expect(r.snapshot_id).toMatch(new RegExp(`^${r.as_of}-[0-9a-f]{12}$`));
    }
  });

  it('accounts for every row read: loaded + rejected = data lines in the file', () => {
    for (const r of results) {
      for (const [source, s] of Object.entries(r.sources)) {
        expect(s.status, source).toBe('loaded');
        expect(s.rows_loaded + s.rows_rejected).toBe(s.rows_read);
        const lines = readFileSync(s.file!, 'utf8').split('\n').filter((l) => l.length > 0).length - 1;
        expect(s.rows_read, source).toBe(lines); // the generator writes no quoted newlines
      }
    }
  });

  it('writes the run log: one ok row per stage per week', async () => {
    const rows = await ctx.db.all<{ as_of: string; n: number }>(
      `SELECT as_of::VARCHAR AS as_of, count(*) AS n FROM ops.run_log WHERE status = 'ok' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual(WEEKS.map((w) => ({ as_of: w, n: PIPELINE.length })));
  });

  it('records the run in the deployment log: who, which code version, outcome', async () => {
    const rows = await ctx.db.all<{ event: string; started_by: string; code_version: string; outcome: string | null; snapshot_id: string | null }>(
      `SELECT event, started_by, code_version, outcome, snapshot_id FROM ops.deployment_log ORDER BY seq`,
    );
    // the first run of a code version also records the version change
    expect(rows.map((r) => r.event)).toEqual(['code_version_change', 'run_start', 'run_end']);
    expect(new Set(rows.map((r) => `${r.started_by}/${r.code_version}`))).toEqual(new Set(['DS Test/test']));
    expect(rows[2]!.outcome).toBe('success');
    expect(rows[2]!.snapshot_id).toBe(results[1]!.snapshot_id);
    // the version change is frozen into the snapshots, where auditors read it (the server never opens the warehouse)
    const manifest = readManifest(ctx.config.paths.snapshots, results[1]!.snapshot_id!);
    expect(manifest.tables['deployments']?.rows).toBe(1);
    // and every run is mirrored, hash-chained, beside the snapshots for the dashboards' auditors
    expect(readDeploymentMirror(ctx.config.paths.snapshots).map((r) => r.event)).toEqual(['code_version_change', 'run_start', 'run_end']);
  });

  it('leaves one snapshot per week, each pointing at the one before', () => {
    const snaps = listSnapshots(ctx.config.paths.snapshots);
    expect(snaps.map((s) => s.as_of)).toEqual(WEEKS);
    expect(snaps[1]!.previous_snapshot_id).toBe(snaps[0]!.snapshot_id);
  });

  it('re-running a week is a no-op for ingest (same file hashes) and gives the same snapshot', async () => {
    const [again] = await runWeeks(ctx, { extractsDir: extracts, weeks: [WEEKS[1]!], codeVersion: 'test' });
    expect(Object.values(again!.sources).map((s) => s.status)).toEqual(Array(5).fill('unchanged'));
    expect(again!.snapshot_id).toBe(results[1]!.snapshot_id);
  });

  it('builds a past week "as at" its date from a later cumulative drop', async () => {
    const [past] = await runWeeks(ctx, { extractsDir: extracts, weeks: ['2026-10-26'], codeVersion: 'test', until: 'curate' });
    expect(past!.drop_as_of).toBe('2026-11-02');
    const latest = await ctx.db.value<string>(`SELECT max(recorded_date)::VARCHAR FROM curated.involvement`);
    expect(latest <= '2026-10-26').toBe(true);
  });

  it('still completes the week when Neo4j is unreachable: publish reported failed, snapshot written', async () => {
    // Nothing listens on port 1: a real refused connection, not a fake server.
    const neo4j = neo4jSettingsFromEnv({ NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'x' });
    const [week] = await runWeeks(ctx, { extractsDir: extracts, weeks: [WEEKS[1]!], codeVersion: 'test', neo4j });
    expect(week!.publish?.status).toBe('failed');
    expect(week!.publish?.message).toMatch(/127\.0\.0\.1:1/);
    expect(week!.snapshot_id).toBe(results[1]!.snapshot_id);
  });
});
