// ops.deployment_log (persistent, safeguard 20): each run's start and end and each code-version change,
// with who started it, version, config hash, outcome and the evaluation figures beside the previous version's.

import type { StageContext } from '../core/context.ts';
import type { Db } from '../core/db.ts';
import { configHash } from './config-hash.ts';
import type { Figure } from './evaluation-report.ts';

export interface DeploymentEntry {
  runId: string;
  event: 'start' | 'end';
  /** Who started the run (the CLI passes --started-by, else the OS user; the scheduler passes 'scheduler'). */
  startedBy: string;
  codeVersion: string;
  weeks?: string[];
  /** 'success' | 'failed' at the end. */
  outcome?: 'started' | 'success' | 'failed';
  message?: string;
  snapshotId?: string | null;
  /** Evaluation figures of the last snapshot (evaluationReport(...).figures), recorded at the end after a code change. */
  figures?: Figure[] | null;
}

export interface DeploymentRecorded {
  codeVersionChanged: boolean;
  previousCodeVersion: string | null;
  previousFigures: Figure[] | null;
}

export type DeploymentRow = {
  seq: number;
  recorded_at: string;
  run_id: string;
  event: string;
  started_by: string;
  code_version: string;
  config_hash: string;
  weeks: string | null;
  outcome: string | null;
  message: string | null;
  snapshot_id: string | null;
  figures_json: string | null;
  previous_code_version: string | null;
  previous_figures_json: string | null;
};

export async function ensureDeploymentLog(db: Db): Promise<void> {
  await db.run(`CREATE SCHEMA IF NOT EXISTS ops`);
  await db.run(`CREATE TABLE IF NOT EXISTS ops.deployment_log (
    seq BIGINT, recorded_at TIMESTAMP, run_id VARCHAR, event VARCHAR, started_by VARCHAR, code_version VARCHAR, config_hash VARCHAR,
    weeks VARCHAR, outcome VARCHAR, message VARCHAR, snapshot_id VARCHAR, figures_json VARCHAR,
    previous_code_version VARCHAR, previous_figures_json VARCHAR)`);
}

export async function recordDeployment(ctx: StageContext, entry: DeploymentEntry): Promise<DeploymentRecorded> {
  const { db } = ctx;
  await ensureDeploymentLog(db);
  const hash = configHash(ctx.config);
  const at = ctx.clock().toISOString();
  const lastStart = await db.one<{ code_version: string }>(
    `SELECT code_version FROM ops.deployment_log WHERE event = 'run_start' AND run_id <> $run_id ORDER BY seq DESC LIMIT 1`,
    { run_id: entry.runId },
  );
  const previousCodeVersion = lastStart?.code_version ?? null;
  const codeVersionChanged = previousCodeVersion !== entry.codeVersion;
  const insert = async (event: string, extra: Partial<Record<string, string | null>>) => {
    const seq = Number(await db.value(`SELECT coalesce(max(seq), 0) + 1 FROM ops.deployment_log`));
    await db.run(
      `INSERT INTO ops.deployment_log VALUES ($seq, $at::TIMESTAMP, $run_id, $event, $started_by, $code_version, $config_hash,
        $weeks, $outcome, $message, $snapshot_id, $figures_json, $previous_code_version, $previous_figures_json)`,
      {
        seq, at, run_id: entry.runId, event, started_by: entry.startedBy, code_version: entry.codeVersion, config_hash: hash,
        weeks: entry.weeks?.length ? `${entry.weeks[0]}..${entry.weeks.at(-1)} (${entry.weeks.length})` : null,
        outcome: entry.outcome ?? (entry.event === 'start' ? 'started' : null),
        message: entry.message ?? null, snapshot_id: entry.snapshotId ?? null,
        figures_json: null, previous_code_version: previousCodeVersion, previous_figures_json: null,
        ...extra,
      },
    );
  };
  let previousFigures: Figure[] | null = null;
  if (entry.event === 'start') {
    if (codeVersionChanged) await insert('code_version_change', { outcome: null, message: `code version ${previousCodeVersion ?? '(first run)'} → ${entry.codeVersion}` });
    await insert('run_start', {});
  } else {
    if (entry.figures) {
      // the latest figures recorded under a different code version: what this version is compared with
      const prev = await db.one<{ code_version: string; figures_json: string }>(
        `SELECT code_version, figures_json FROM ops.deployment_log WHERE figures_json IS NOT NULL AND code_version <> $v ORDER BY seq DESC LIMIT 1`,
        { v: entry.codeVersion },
      );
      previousFigures = prev ? (JSON.parse(prev.figures_json) as Figure[]) : null;
      await insert('run_end', {
        figures_json: JSON.stringify(entry.figures),
        previous_code_version: prev?.code_version ?? previousCodeVersion,
        previous_figures_json: prev?.figures_json ?? null,
      });
    } else {
      await insert('run_end', {});
    }
  }
  return { codeVersionChanged, previousCodeVersion, previousFigures };
}

/** The log for auditors, oldest first. */
export async function deploymentLog(db: Db): Promise<DeploymentRow[]> {
  const n = await db.value<number>(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ops' AND table_name = 'deployment_log'`);
  if (!Number(n)) return [];
  return db.all<DeploymentRow>(`SELECT * REPLACE (strftime(recorded_at, '%Y-%m-%dT%H:%M:%SZ') AS recorded_at) FROM ops.deployment_log ORDER BY seq`);
}
