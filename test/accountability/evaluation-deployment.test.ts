// Alert precision on scripted events, feedback counts from a serving store, and the deployment log
// comparing a new code version's figures with the previous version's — each on hand-built rows.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipelines/core/db.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { alertPrecision, feedbackCounts } from '../../pipelines/accountability/evaluation-report.ts';
import { deploymentLog, recordDeployment } from '../../pipelines/accountability/record-deployment.ts';
import type { EventCheck } from '../../pipelines/evaluate/evaluate-networks.ts';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';

let ctx: StageContext | undefined;
const dirs: string[] = [];
afterEach(() => {
  ctx?.db.close();
  ctx = undefined;
  dirs.splice(0).forEach(removeDir);
});

const check = (as_of: string, event: string, detected: boolean, detected_as_of: string | null, evidence: string): EventCheck => ({
  as_of, event, network_keys: 'K', person_id: '', detected, detected_as_of, evidence,
});

describe('alertPrecision', () => {
  it('counts the lineage alerts that name a network a scripted event was detected on, that week', () => {
    const alerts = [
      { as_of: '2026-11-09', alert_type: 'NETWORK_SPLIT', subject_id: 'NW-1' }, // matches the SPLIT detected 11-09 on NW-1
      { as_of: '2026-11-09', alert_type: 'NETWORK_SPLIT', subject_id: 'NW-7' }, // no scripted event
      { as_of: '2026-11-16', alert_type: 'NETWORK_SPLIT', subject_id: 'NW-1' }, // right network, wrong week
      { as_of: '2026-11-16', alert_type: 'NETWORK_DISSOLVED', subject_id: 'NW-3' }, // matches
      { as_of: '2026-11-16', alert_type: 'NEW_NETWORK', subject_id: 'NW-9' }, // not a lineage alert type
    ];
    const checks = [
      check('2026-11-09', 'SPLIT', true, '2026-11-09', 'network NW-1 SPLIT'),
      check('2026-11-16', 'DISSOLVE', true, '2026-11-16', 'network NW-3 DISSOLVED'),
      check('2026-11-16', 'MERGE', false, null, ''),
    ];
    expect(alertPrecision(alerts, checks)).toEqual([
      { alert_type: 'NETWORK_SPLIT', event: 'SPLIT', alerts_raised: 3, alerts_matching_event: 1, precision: 1 / 3, events_total: 1, events_detected: 1 },
      { alert_type: 'NETWORK_MERGED', event: 'MERGE', alerts_raised: 0, alerts_matching_event: 0, precision: null, events_total: 1, events_detected: 0 },
      { alert_type: 'NETWORK_DISSOLVED', event: 'DISSOLVE', alerts_raised: 1, alerts_matching_event: 1, precision: 1, events_total: 1, events_detected: 1 },
    ]);
  });
});

describe('feedbackCounts', () => {
  it('counts open and closed feedback in a serving store built from the dashboards schema', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'serving.duckdb');
    const db = await Db.open(file);
    await db.run(readFileSync(path.resolve('dashboards/queries/serving-schema.sql'), 'utf8'));
    await db.run(`INSERT INTO feedback (feedback_id, submitted_at, username, role, kind, page, snapshot_id, message, status) VALUES
      (1, '2026-11-16 09:00', 'a', 'analyst', 'error', '/', NULL, 'm', 'open'),
      (2, '2026-11-16 09:01', 'a', 'analyst', 'bias', '/', NULL, 'm', 'open'),
      (3, '2026-11-16 09:02', 'b', 'senior', 'error', '/', NULL, 'm', 'closed')`);
    db.close();
    expect(await feedbackCounts(file)).toEqual({ total: 3, open: 2, closed: 1, by_status: { closed: 1, open: 2 }, by_kind: { bias: 1, error: 2 } });
    expect(await feedbackCounts(path.join(dir, 'absent.duckdb'))).toBeNull();
  });
});

describe('recordDeployment', () => {
  it('logs runs and code-version changes, and compares figures with the previous version', async () => {
    ctx = await freshContext();
    const v1 = [{ name: 'resolution_precision', value: 0.98 }];
    const v2 = [{ name: 'resolution_precision', value: 0.99 }];
    const first = await recordDeployment(ctx, { runId: 'r1', event: 'start', startedBy: 'alice', codeVersion: 'v1', weeks: ['2026-11-09', '2026-11-16'] });
    expect(first).toEqual({ codeVersionChanged: true, previousCodeVersion: null, previousFigures: null });
    await recordDeployment(ctx, { runId: 'r1', event: 'end', startedBy: 'alice', codeVersion: 'v1', outcome: 'success', snapshotId: 'S1', figures: v1 });
    const same = await recordDeployment(ctx, { runId: 'r2', event: 'start', startedBy: 'scheduler', codeVersion: 'v1' });
    expect(same.codeVersionChanged).toBe(false);
    await recordDeployment(ctx, { runId: 'r2', event: 'end', startedBy: 'scheduler', codeVersion: 'v1', outcome: 'failed', message: 'RUN_FAILED' });
    const upgrade = await recordDeployment(ctx, { runId: 'r3', event: 'start', startedBy: 'bob', codeVersion: 'v2' });
    expect(upgrade).toMatchObject({ codeVersionChanged: true, previousCodeVersion: 'v1' });
    const end = await recordDeployment(ctx, { runId: 'r3', event: 'end', startedBy: 'bob', codeVersion: 'v2', outcome: 'success', figures: v2 });
    expect(end.previousFigures).toEqual(v1);
    const log = await deploymentLog(ctx.db);
    expect(log.map((r) => [r.seq, r.event, r.started_by, r.code_version, r.outcome])).toEqual([
      [1, 'code_version_change', 'alice', 'v1', null],
      [2, 'run_start', 'alice', 'v1', 'started'],
      [3, 'run_end', 'alice', 'v1', 'success'],
      [4, 'run_start', 'scheduler', 'v1', 'started'],
      [5, 'run_end', 'scheduler', 'v1', 'failed'],
      [6, 'code_version_change', 'bob', 'v2', null],
      [7, 'run_start', 'bob', 'v2', 'started'],
      [8, 'run_end', 'bob', 'v2', 'success'],
    ]);
    expect(log[1]!.weeks).toBe('2026-11-09..2026-11-16 (2)');
    expect(log[5]!.message).toBe('code version v1 → v2');
    expect(JSON.parse(log[7]!.previous_figures_json!)).toEqual(v1);
    expect(log[7]!.previous_code_version).toBe('v1');
    expect(new Set(log.map((r) => r.config_hash)).size).toBe(1);
    expect(log[0]!.recorded_at).toBe('2026-11-16T06:00:00Z');
  });
});
