// Snapshot retention: snapshots older than config.retention.snapshotRetentionWeeks are deleted unless
// under a legal hold. Each deletion is a rename out of sight, then removal; the report holds ids only.

import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { removeTree } from './durable-fs.ts';
import { activeHolds } from './legal-holds.ts';
import { listSnapshots } from './read-snapshot.ts';
import { appendRetentionEvent } from './retention-log.ts';
import { removeStaleWorkFolders } from './write-snapshot.ts';

export interface ExpiryReport {
  deleted: string[];
  held: string[];
  /** Snapshots with as_of before this date were due. */
  cutoff: string;
}

export async function expireSnapshots(ctx: StageContext, opts: { snapshotsDir?: string; asOf: string; dryRun?: boolean }): Promise<ExpiryReport> {
  const snapshotsDir = opts.snapshotsDir ?? ctx.config.paths.snapshots;
  const weeks = ctx.config.retention.snapshotRetentionWeeks;
  if (!Number.isInteger(weeks) || weeks < 1) {
    throw new HarmnetError('CONFIG_INVALID', `config retention.snapshotRetentionWeeks must be a whole number of weeks ≥ 1, got ${weeks}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new HarmnetError('INPUT_INVALID', `expireSnapshots: asOf must be YYYY-MM-DD, got "${opts.asOf}"`);
  const cutoff = retentionCutoff(opts.asOf, weeks);
  const report: ExpiryReport = { deleted: [], held: [], cutoff };
  if (!existsSync(snapshotsDir)) return report;
  if (!opts.dryRun) removeStaleWorkFolders(ctx, snapshotsDir); // finishes deletions a crash interrupted
  const held = new Set(activeHolds(snapshotsDir).map((h) => h.snapshot_id));
  for (const s of listSnapshots(snapshotsDir)) {
    if (s.as_of >= cutoff) continue;
    if (held.has(s.snapshot_id)) {
      report.held.push(s.snapshot_id);
      continue;
    }
    if (!opts.dryRun) {
      const doomed = path.join(snapshotsDir, `.deleting-${s.snapshot_id}-${process.pid}`);
      renameSync(path.join(snapshotsDir, s.snapshot_id), doomed);
      removeTree(doomed);
    }
    report.deleted.push(s.snapshot_id);
  }
  if (!opts.dryRun && (report.deleted.length > 0 || report.held.length > 0)) {
    appendRetentionEvent(snapshotsDir, { action: 'expire', as_of: opts.asOf, cutoff, retention_weeks: weeks, deleted: report.deleted, held: report.held }, ctx.clock());
  }
  ctx.log.info(
    `retention: ${report.deleted.length} snapshot(s) older than ${weeks} weeks (before ${cutoff}) ${opts.dryRun ? 'due for deletion' : 'deleted'}, ${report.held.length} kept under legal hold`,
  );
  return report;
}

/** asOf minus `weeks` × 7 days, as YYYY-MM-DD (UTC calendar arithmetic). */
export function retentionCutoff(asOf: string, weeks: number): string {
  const d = new Date(`${asOf}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - weeks * 7);
  return d.toISOString().slice(0, 10);
}
