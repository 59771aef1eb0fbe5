// Mirrors ops.deployment_log into `<snapshots>/deployment-log.jsonl` (hash-chained, like the retention
// and export logs), so auditors read every run from beside the snapshots: the server never opens the warehouse.

import type { StageContext } from '../core/context.ts';
import { chainedLog } from '../core/chained-log.ts';
import { deploymentLog, type DeploymentRow } from '../accountability/record-deployment.ts';

export const DEPLOYMENT_LOG = 'deployment-log.jsonl';

const log = (snapshotsDir: string) => chainedLog<{ deployment: DeploymentRow }>(snapshotsDir, DEPLOYMENT_LOG, 'AUDIT_CHAIN_BROKEN');

/** Appends the warehouse's deployment-log rows not yet mirrored. */
export async function mirrorDeploymentLog(ctx: StageContext): Promise<number> {
  const mirror = log(ctx.config.paths.snapshots);
  const done = mirror.read().at(-1)?.deployment.seq ?? 0;
  const rows = (await deploymentLog(ctx.db)).filter((r) => Number(r.seq) > done);
  for (const row of rows) mirror.append({ deployment: row }, ctx.clock());
  return rows.length;
}

/** Every run and code-version change, as mirrored beside the snapshots (checks the chain). */
export function readDeploymentMirror(snapshotsDir: string): DeploymentRow[] {
  return log(snapshotsDir).read().map((e) => e.deployment);
}
