// `harmnet evaluate report [--snapshot ID] [--out DIR] [--truth DIR] [--json]`: writes the evaluation
// report of one snapshot (default the latest) as JSON and escaped HTML, with the deployment log.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, STATE_OPTIONS } from '../cli/args.ts';
import { configFor } from '../cli/context.ts';
import { Db } from '../core/db.ts';
import { consoleLog } from '../core/log.ts';
import { HarmnetError } from '../core/errors.ts';
import type { Config } from '../core/config.ts';
import { resolveSnapshotId } from '../snapshot/read-snapshot.ts';
import { caveatsAsText } from '../../dashboards/caveats.ts';
import { evaluationReport, type EvaluationReport } from './evaluation-report.ts';
import { deploymentLog, type DeploymentRow } from './record-deployment.ts';
import { renderEvaluationHtml } from './render-html.ts';

export const EVALUATE_REPORT_USAGE = 'harmnet evaluate report [--snapshot ID] [--out DIR] [--truth DIR] [--warehouse FILE] [--snapshots DIR] [--serving FILE] [--json]';

/** Reports go beside the snapshots folder unless --out says otherwise. */
export function defaultReportsDir(config: Readonly<Config>): string {
  return path.join(path.dirname(path.resolve(config.paths.snapshots)), 'reports');
}

/** The deployment log from the warehouse, when there is one (opened read-only). */
export async function readDeploymentLog(warehouse: string): Promise<DeploymentRow[]> {
  if (!existsSync(warehouse)) return [];
  const db = await Db.open(warehouse, { access_mode: 'READ_ONLY' });
  try {
    return await deploymentLog(db);
  } finally {
    db.close();
  }
}

/** Builds the report for a snapshot of the configured installation (used by both commands). */
export async function buildEvaluationReport(config: Readonly<Config>, opts: { snapshot?: string; truth?: string; clock?: () => Date }): Promise<EvaluationReport> {
  const snapshotId = resolveSnapshotId(config.paths.snapshots, opts.snapshot);
  const db = await Db.open(':memory:');
  try {
    const ctx = { db, log: consoleLog({ quiet: true }), clock: opts.clock ?? (() => new Date()), config };
    return await evaluationReport(ctx, {
      snapshotsDir: config.paths.snapshots,
      snapshotId,
      truthDir: opts.truth ?? path.join(config.paths.extracts, 'truth'),
      servingFile: config.paths.serving,
    });
  } finally {
    db.close();
  }
}

export async function evaluateReportCommand(argv: string[]): Promise<number> {
  const { values } = parse('evaluate report', argv, { ...STATE_OPTIONS, snapshot: { type: 'string' }, out: { type: 'string' }, truth: { type: 'string' } });
  if (values.help) {
    process.stdout.write(EVALUATE_REPORT_USAGE + '\n');
    return 0;
  }
  const config = configFor(values);
  if (!existsSync(config.paths.snapshots)) {
    throw new HarmnetError('SNAPSHOT_NOT_FOUND', `harmnet evaluate report: snapshots folder not found: ${config.paths.snapshots} (run harmnet run first, or give --snapshots DIR)`);
  }
  const report = await buildEvaluationReport(config, { snapshot: values.snapshot, truth: values.truth });
  const deployments = await readDeploymentLog(config.paths.warehouse);
  const out = values.out ?? defaultReportsDir(config);
  mkdirSync(out, { recursive: true });
  const base = path.join(out, `evaluation-${report.snapshot_id}`);
  writeFileSync(`${base}.json`, JSON.stringify({ ...report, deployments }, null, 2) + '\n');
  writeFileSync(`${base}.html`, renderEvaluationHtml(report, deployments, caveatsAsText()));
  if (values.json) {
    process.stdout.write(JSON.stringify({ snapshot_id: report.snapshot_id, json: `${base}.json`, html: `${base}.html`, figures: report.figures }) + '\n');
  } else {
    const lines = [`evaluation report for ${report.snapshot_id}: ${base}.html (and .json)`];
    for (const f of report.figures) if (f.value !== null) lines.push(`  ${f.name}: ${f.value}`);
    if (report.nominals.alert) lines.push(`  ALERT: nominals held grew ${(100 * report.nominals.growth!).toFixed(1)} % (threshold ${(100 * report.nominals.threshold).toFixed(1)} %)`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}
