// Runs one week or a back-fill range under the single-run lock, returning one result per week.

import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { acquireLock } from './lock.ts';
import { runWeek, type WeekResult } from './run-week.ts';
import type { Neo4jPublishSettings } from './stages.ts';
import { recordDeployment } from '../accountability/record-deployment.ts';
import { mirrorDeploymentLog } from './deployment-mirror.ts';
import { deploymentFigures } from '../accountability/deployment-figures.ts';
import { existsSync } from 'node:fs';

/** Distinguishes runs in one process (a fixed test clock gives every run the same timestamp). */
let runsInProcess = 0;

export async function runWeeks(
  ctx: StageContext,
  opts: { extractsDir: string; weeks: string[]; replace?: boolean; until?: string; neo4j?: Neo4jPublishSettings | null; codeVersion: string; startedBy?: string; onWeek?: (r: WeekResult) => void },
): Promise<WeekResult[]> {
  const lock = acquireLock(path.join(path.dirname(path.resolve(ctx.config.paths.warehouse)), 'run.lock'));
  try {
    const runId = `${ctx.clock().toISOString()}-${process.pid}-${++runsInProcess}`;
    const startedBy = opts.startedBy ?? 'unknown';
    // The deployment log (safeguard 20): who ran which code version, and when the version changed,
    // the evaluation figures of the new version beside the previous version's.
    const started = await recordDeployment(ctx, { runId, event: 'start', startedBy, codeVersion: opts.codeVersion, weeks: opts.weeks });
    await mirrorDeploymentLog(ctx);
    const results: WeekResult[] = [];
    try {
      for (const asOf of opts.weeks) {
        const r = await runWeek(ctx, { extractsDir: opts.extractsDir, asOf, replace: opts.replace, until: opts.until, neo4j: opts.neo4j, runId, codeVersion: opts.codeVersion });
        opts.onWeek?.(r);
        results.push(r);
      }
    } catch (e) {
      await recordDeployment(ctx, { runId, event: 'end', startedBy, codeVersion: opts.codeVersion, outcome: 'failed', message: (e as Error).message });
      await mirrorDeploymentLog(ctx);
      throw e;
    }
    const snapshotId = results.at(-1)?.snapshot_id ?? null;
    const truthDir = path.join(opts.extractsDir, 'truth');
    const small = (results.at(-1)?.nominals ?? 0) <= ctx.config.evaluation.autoEvaluateMaxNominals;
    const evaluate = started.codeVersionChanged && snapshotId !== null && small;
    const figures = evaluate ? await deploymentFigures(ctx, { snapshotId, truthDir: existsSync(truthDir) ? truthDir : null }) : null;
    const message = started.codeVersionChanged && !small
      ? `evaluation figures not computed in the run (more than ${ctx.config.evaluation.autoEvaluateMaxNominals} nominals): run harmnet evaluate report`
      : undefined;
    await recordDeployment(ctx, { runId, event: 'end', startedBy, codeVersion: opts.codeVersion, outcome: 'success', snapshotId, figures, message });
    await mirrorDeploymentLog(ctx);
    return results;
  } finally {
    lock.release();
  }
}
