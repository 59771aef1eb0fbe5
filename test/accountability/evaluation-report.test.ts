// The evaluation report on two hand-built snapshots (written by the real snapshot writer): network-id
// stability, nominals held with the growth alert, fairness flags and trend, feedback — worked by hand.

import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipelines/core/db.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { evaluationReport } from '../../pipelines/accountability/evaluation-report.ts';
import { renderEvaluationHtml } from '../../pipelines/accountability/render-html.ts';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

async function week(root: string, asOf: string, setup: string) {
  const ctx = await freshContext({ root });
  try {
    await ctx.db.run(setup);
    const { snapshotId } = await writeSnapshot(ctx, {
      asOf,
      inputs: [],
      referenceTables: [],
      codeVersion: 'test',
      tables: [
        { name: 'nominals', sql: 'SELECT * FROM nominals', orderBy: 'nominal_id' },
        { name: 'networks', sql: 'SELECT * FROM networks', orderBy: 'network_id' },
        { name: 'alerts', sql: 'SELECT * FROM alerts', orderBy: 'alert_type, subject_id' },
        { name: 'fairness', sql: 'SELECT * FROM fairness', orderBy: 'attribute, harm_band, "group"' },
        { name: 'fairness_history', sql: 'SELECT * FROM fairness_history', orderBy: 'as_of, attribute, harm_band, "group"' },
      ],
    });
    return { snapshotId, config: ctx.config };
  } finally {
    ctx.db.close();
  }
}

const FAIRNESS = `CREATE TABLE fairness (attribute VARCHAR, "group" VARCHAR, harm_band VARCHAR, count BIGINT, share DOUBLE, baseline_share DOUBLE,
  population_share DOUBLE, disparity_ratio DOUBLE, population_ratio DOUBLE, flagged BOOLEAN);`;

describe('evaluationReport', () => {
  it('works out stability, growth, fairness and feedback on a hand-built case', async () => {
    const root = tempDir();
    dirs.push(root);
    // week 1: 10 nominals, two networks born
    await week(root, '2026-11-09', `
      CREATE TABLE nominals AS SELECT 'N' || i AS nominal_id FROM range(10) t(i);
      CREATE TABLE networks AS SELECT * FROM (VALUES ('NW1', 'BORN'), ('NW2', 'BORN')) t(network_id, lineage_event);
      CREATE TABLE alerts (alert_type VARCHAR, subject_id VARCHAR, detail VARCHAR);
      ${FAIRNESS}
      CREATE TABLE fairness_history AS SELECT '2026-11-09'::DATE AS as_of, * FROM fairness;
      INSERT INTO fairness_history VALUES ('2026-11-09', 'sex', 'M', 'A', 12, 0.8, 0.5, NULL, 1.6, NULL, true);`);
    // week 2: 12 nominals (+20 % > 10 % threshold); NW1 continued, NW2 grew, NW3 born, NW4 split off → 2 of 4 keep their id
    const w2 = await week(root, '2026-11-16', `
      CREATE TABLE nominals AS SELECT 'N' || i AS nominal_id FROM range(12) t(i);
      CREATE TABLE networks AS SELECT * FROM (VALUES ('NW1', 'CONTINUED'), ('NW2', 'GREW'), ('NW3', 'BORN'), ('NW4', 'SPLIT')) t(network_id, lineage_event);
      CREATE TABLE alerts AS SELECT * FROM (VALUES ('NEW_NETWORK', 'NW3', '')) t(alert_type, subject_id, detail);
      ${FAIRNESS}
      INSERT INTO fairness VALUES ('sex', 'M', 'A', 12, 0.8, 0.5, NULL, 1.6, NULL, true), ('sex', 'F', 'A', 3, 0.2, 0.5, NULL, 0.4, NULL, false),
        ('ethnicity', 'W1', 'B', 20, 0.6, 0.5, NULL, 1.2, NULL, false);
      CREATE TABLE fairness_history AS SELECT '2026-11-16'::DATE AS as_of, * FROM fairness;
      INSERT INTO fairness_history VALUES ('2026-11-09', 'sex', 'M', 'A', 12, 0.8, 0.5, NULL, 1.6, NULL, true),
        ('2026-11-09', 'sex', 'F', 'D', 12, 0.8, 0.5, NULL, 1.6, NULL, true);`);
    // a serving store with one open and one closed report
    const serving = path.join(root, 'serving.duckdb');
    const s = await Db.open(serving);
    await s.run(readFileSync(path.resolve('dashboards/queries/serving-schema.sql'), 'utf8'));
    await s.run(`INSERT INTO feedback (feedback_id, submitted_at, username, role, kind, message, status) VALUES
      (1, '2026-11-16 09:00', 'a', 'analyst', 'bias', 'm', 'open'), (2, '2026-11-16 09:00', 'a', 'analyst', 'error', 'm', 'closed')`);
    s.close();

    const ctx = await freshContext({ root });
    try {
      const r = await evaluationReport(ctx, { snapshotsDir: w2.config.paths.snapshots, snapshotId: w2.snapshotId, truthDir: path.join(root, 'no-truth'), servingFile: serving });
      expect(r.truth).toBeNull();
      expect(r.resolution).toBeNull();
      expect(r.stability).toEqual([{ as_of: '2026-11-16', networks: 4, same_id: 2, same_id_share: 0.5, by_event: { BORN: 1, CONTINUED: 1, GREW: 1, SPLIT: 1 } }]);
      expect(r.nominals).toEqual({ held: 12, previous: 10, growth: 0.2, threshold: 0.1, alert: true });
      expect(r.fairness).toEqual({
        rows: 3,
        flagged: [{ attribute: 'sex', group: 'M', harm_band: 'A', count: 12, disparity_ratio: 1.6 }],
        trend: [{ as_of: '2026-11-09', flagged: 2 }, { as_of: '2026-11-16', flagged: 1 }],
      });
      expect(r.feedback).toMatchObject({ total: 2, open: 1, closed: 1 });
      expect(r.figures.find((f) => f.name === 'network_same_id_share')!.value).toBe(0.5);
      expect(r.figures.find((f) => f.name === 'nominals_growth')!.value).toBe(0.2);
      const html = renderEvaluationHtml(r, [], []);
      expect(html).toContain('grew by 20.0 % in a week, above the 10.0 % threshold');
      expect(html).toContain('1 fairness disparity flag(s)');
      expect(html).toContain('<td>network_same_id_share</td><td>0.5000</td>');
    } finally {
      ctx.db.close();
    }
  });
});
