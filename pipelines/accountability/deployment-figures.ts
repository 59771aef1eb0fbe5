// The evaluation figures recorded in the deployment log after a code-version change: the evaluation
// report of the run's last snapshot, computed in its own in-memory DuckDB (the warehouse is not touched).

import type { StageContext } from '../core/context.ts';
import { Db } from '../core/db.ts';
import { evaluationReport, type Figure } from './evaluation-report.ts';

export async function deploymentFigures(ctx: StageContext, opts: { snapshotId: string; truthDir?: string | null; servingFile?: string | null }): Promise<Figure[]> {
  const db = await Db.open(':memory:');
  try {
    const report = await evaluationReport({ ...ctx, db }, {
      snapshotsDir: ctx.config.paths.snapshots,
      snapshotId: opts.snapshotId,
      truthDir: opts.truthDir ?? null,
      servingFile: opts.servingFile ?? null,
    });
    return report.figures;
  } finally {
    db.close();
  }
}
