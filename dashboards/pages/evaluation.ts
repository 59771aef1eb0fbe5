// Evaluation page (safeguard 20): the evaluation report of the shown snapshot (evaluationReport, truth
// only when the server has a truth folder) and the code-version changes frozen in the snapshot, escaped.

import type { FastifyRequest } from 'fastify';
import { html, trusted } from '../html.ts';
import type { Deps } from '../server.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Db, literal } from '../../pipelines/core/db.ts';
import { consoleLog } from '../../pipelines/core/log.ts';
import { evaluationReport, type EvaluationReport } from '../../pipelines/accountability/evaluation-report.ts';
import { readDeploymentLog } from '../../pipelines/accountability/evaluate-report-command.ts';
import { renderEvaluationHtml } from '../../pipelines/accountability/render-html.ts';
import type { DeploymentRow } from '../../pipelines/accountability/record-deployment.ts';
import { page } from './layout.ts';
import { DEPLOYMENT_LOG, readDeploymentMirror } from '../../pipelines/run/deployment-mirror.ts';

/** Feedback counts from this server's own serving store (it holds the file open, so it is not reopened). */
async function feedbackFromServing(deps: Deps): Promise<EvaluationReport['feedback']> {
  const rows = await deps.serving.all<{ status: string; kind: string; n: number }>(
    `SELECT status, kind, count(*)::INTEGER AS n FROM feedback GROUP BY ALL ORDER BY ALL`,
  );
  const by_status: Record<string, number> = {};
  const by_kind: Record<string, number> = {};
  for (const r of rows) {
    by_status[r.status] = (by_status[r.status] ?? 0) + r.n;
    by_kind[r.kind] = (by_kind[r.kind] ?? 0) + r.n;
  }
  const total = rows.reduce((a, r) => a + r.n, 0);
  const open = by_status['open'] ?? 0;
  return { total, open, closed: total - open, by_status, by_kind };
}

/** The code-version changes frozen in a snapshot (its `deployments` table), or null for older snapshots. */
async function deploymentsFromSnapshot(snapshotsDir: string, snapshotId: string): Promise<DeploymentRow[] | null> {
  const file = path.join(snapshotsDir, snapshotId, 'deployments.parquet');
  if (!existsSync(file)) return null;
  const db = await Db.open(':memory:');
  try {
    return await db.all<DeploymentRow>(`SELECT * FROM read_parquet(${literal(file)}) ORDER BY seq`);
  } finally {
    db.close();
  }
}

/**
 * The evaluation report of one snapshot: the snapshot-derived part computed once per snapshot and truth
 * folder (snapshots are immutable), the feedback counts read fresh on every call.
 */
export async function cachedEvaluation(deps: Deps, snapshotId: string): Promise<EvaluationReport> {
  const a = deps.accountability;
  const base = await deps.memo.get(`evaluation|${snapshotId}|${a.truthDir ?? ''}`, async () => {
    const db = await Db.open(':memory:');
    try {
      const ctx = { db, log: consoleLog({ quiet: true }), clock: deps.clock, config: a.config };
      return await evaluationReport(ctx, { snapshotsDir: a.snapshotsDir, snapshotId, truthDir: a.truthDir, servingFile: null });
    } finally {
      db.close();
    }
  });
  const feedback = await feedbackFromServing(deps);
  return {
    ...base,
    feedback,
    figures: base.figures.map((f) => (f.name === 'feedback_open' ? { ...f, value: feedback ? feedback.open : null } : f)),
  };
}

/** The <main> body of renderEvaluationHtml without its heading, for the page frame. */
function reportBody(report: EvaluationReport, deployments: DeploymentRow[]): string {
  const m = /<main>\s*<h1>[^<]*<\/h1>\s*([\s\S]*)<\/main>/.exec(renderEvaluationHtml(report, deployments));
  return m ? m[1]! : '';
}

export async function evaluationPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const sid = ctx.snap!.info.snapshot_id;
  const a = deps.accountability;
  const [report, deployments] = await Promise.all([
    cachedEvaluation(deps, sid),
    a.warehouseFile
      ? readDeploymentLog(a.warehouseFile)
      : existsSync(path.join(a.snapshotsDir, DEPLOYMENT_LOG))
        ? Promise.resolve(readDeploymentMirror(a.snapshotsDir))
        : deploymentsFromSnapshot(a.snapshotsDir, sid),
  ]);
  await deps.audit(request, { action: 'view_report', subjectType: 'report', subjectId: 'evaluation', snapshotId: sid });
  const body = html`<p class="small" id="evaluation-sources">Ground truth: ${a.truthDir ? 'a truth folder is configured for this server' : 'none configured for this server, so accuracy against truth is not measured'}.
Deployment log: ${deployments === null ? html`<strong id="deployment-log-unavailable">not available</strong> (the snapshot has no deployments table and this server was not given the warehouse file)` : (a.warehouseFile
    ? `${deployments.length} entries, read-only from the warehouse`
    : existsSync(path.join(a.snapshotsDir, DEPLOYMENT_LOG))
      ? `${deployments.length} entries (every run and code-version change), from the hash-chained log beside the snapshots`
      : `${deployments.length} code-version change(s), as frozen in this snapshot`)}.</p>
<div id="evaluation-report">${trusted(reportBody(report, deployments ?? []))}</div>`;
  return page(ctx, `Evaluation report — ${report.as_of}`, body);
}
