// The evaluation report for one snapshot (safeguard 20): resolution and network recovery against
// ground truth where it exists, alert precision on scripted events, network-id stability, nominals held.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { Db, literal } from '../core/db.ts';
import { evaluateResolution, type ResolutionEvaluation } from '../resolve/evaluate-resolution.ts';
import { evaluateNetworks, type EventCheck } from '../evaluate/evaluate-networks.ts';
import { listSnapshots, readManifest, snapshotFolder } from '../snapshot/read-snapshot.ts';
import { configHash } from './config-hash.ts';

/** Lineage alert types and the scripted event each corresponds to. */
export const ALERT_EVENT: Record<string, string> = { NETWORK_SPLIT: 'SPLIT', NETWORK_MERGED: 'MERGE', NETWORK_DISSOLVED: 'DISSOLVE' };
/** Lineage events under which a network keeps its id from the week before. */
export const SAME_ID_EVENTS = ['CONTINUED', 'GREW', 'SHRANK'];

export interface AlertPrecision {
  alert_type: string;
  event: string;
  alerts_raised: number;
  alerts_matching_event: number;
  precision: number | null;
  events_total: number;
  events_detected: number;
}

export interface Figure {
  name: string;
  value: number | null;
}

export interface EvaluationReport {
  snapshot_id: string;
  as_of: string;
  code_version: string;
  config_hash: string;
  truth: string | null;
  resolution: Pick<ResolutionEvaluation, 'precision' | 'recall' | 'f1' | 'clusterPrecision' | 'clusterRecall' | 'pairsPredicted' | 'pairsTrue' | 'falsePositivePairs' | 'falseNegativePairs' | 'nominals' | 'persons'> | null;
  networks: { weeks: number; nmi_mean: number; ari_mean: number; nmi_this_week: number | null; ari_this_week: number | null } | null;
  events: { total: number; detected: number; checks: EventCheck[] } | null;
  alert_precision: AlertPrecision[] | null;
  stability: { as_of: string; networks: number; same_id: number; same_id_share: number | null; by_event: Record<string, number> }[];
  nominals: { held: number; previous: number | null; growth: number | null; threshold: number; alert: boolean };
  fairness: {
    rows: number;
    flagged: { attribute: string; group: string; harm_band: string; count: number; disparity_ratio: number }[];
    /** Flags per week up to this one (from fairness_history), the trend shown to users. */
    trend: { as_of: string; flagged: number }[];
  } | null;
  feedback: { total: number; open: number; closed: number; by_status: Record<string, number>; by_kind: Record<string, number> } | null;
  data_quality: { source: string; check: string; value: number }[];
  /** Flat figures compared across code versions in the deployment log. */
  figures: Figure[];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Feedback counts from the dashboards' serving store (read-only). */
export async function feedbackCounts(servingFile: string): Promise<EvaluationReport['feedback']> {
  if (!existsSync(servingFile)) return null;
  const db = await Db.open(servingFile, { access_mode: 'READ_ONLY' });
  try {
    const exists = await db.value<number>(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'feedback'`);
    if (!Number(exists)) return null;
    const rows = await db.all<{ status: string; kind: string; n: number }>(`SELECT status, kind, count(*)::INTEGER AS n FROM feedback GROUP BY ALL ORDER BY ALL`);
    const by_status: Record<string, number> = {};
    const by_kind: Record<string, number> = {};
    for (const r of rows) {
      by_status[r.status] = (by_status[r.status] ?? 0) + r.n;
      by_kind[r.kind] = (by_kind[r.kind] ?? 0) + r.n;
    }
    const total = rows.reduce((a, r) => a + r.n, 0);
    const open = by_status['open'] ?? 0;
    return { total, open, closed: total - open, by_status, by_kind };
  } finally {
    db.close();
  }
}

/** Alert precision: of the lineage alerts raised of each type, the share that name a network a scripted event was detected on that week. */
export function alertPrecision(alerts: { as_of: string; alert_type: string; subject_id: string }[], checks: EventCheck[]): AlertPrecision[] {
  return Object.entries(ALERT_EVENT).map(([alert_type, event]) => {
    const raised = alerts.filter((a) => a.alert_type === alert_type);
    const ofType = checks.filter((c) => c.event === event);
    const detected = ofType.filter((c) => c.detected);
    const matching = raised.filter((a) =>
      detected.some((c) => c.detected_as_of === a.as_of && c.evidence.split(/[\s,]+/).includes(a.subject_id)),
    ).length;
    return {
      alert_type,
      event,
      alerts_raised: raised.length,
      alerts_matching_event: matching,
      precision: raised.length ? matching / raised.length : null,
      events_total: ofType.length,
      events_detected: detected.length,
    };
  });
}

export interface EvaluationReportOptions {
  snapshotsDir: string;
  snapshotId: string;
  /** Ground-truth folder (generator's DIR/truth); skipped when absent. */
  truthDir?: string | null;
  servingFile?: string | null;
}

export async function evaluationReport(ctx: StageContext, opts: EvaluationReportOptions): Promise<EvaluationReport> {
  const manifest = readManifest(opts.snapshotsDir, opts.snapshotId);
  const all = listSnapshots(opts.snapshotsDir).filter((s) => s.as_of <= manifest.as_of);
  const folder = (id: string) => snapshotFolder(opts.snapshotsDir, id);
  const parquet = (id: string, t: string) => path.join(folder(id), `${t}.parquet`);
  const db = await Db.open(':memory:');
  try {
    // stability and alerts across the snapshots up to this one
    await db.run(`CREATE TABLE net (as_of VARCHAR, network_id VARCHAR, lineage_event VARCHAR)`);
    await db.run(`CREATE TABLE alert (as_of VARCHAR, alert_type VARCHAR, subject_id VARCHAR)`);
    for (const s of all) {
      if (existsSync(parquet(s.snapshot_id, 'networks'))) {
        await db.run(`INSERT INTO net SELECT $as_of, network_id, lineage_event FROM read_parquet(${literal(parquet(s.snapshot_id, 'networks'))})`, { as_of: s.as_of });
      }
      if (existsSync(parquet(s.snapshot_id, 'alerts'))) {
        await db.run(`INSERT INTO alert SELECT $as_of, alert_type, subject_id FROM read_parquet(${literal(parquet(s.snapshot_id, 'alerts'))})`, { as_of: s.as_of });
      }
    }
    const events = await db.all<{ as_of: string; lineage_event: string; n: number }>(
      `SELECT as_of, coalesce(lineage_event, 'UNKNOWN') AS lineage_event, count(*)::INTEGER AS n FROM net GROUP BY ALL ORDER BY ALL`,
    );
    const stability: EvaluationReport['stability'] = [];
    for (const s of all.slice(1)) {
      const by_event: Record<string, number> = {};
      for (const e of events.filter((x) => x.as_of === s.as_of)) by_event[e.lineage_event] = e.n;
      const networks = Object.values(by_event).reduce((a, b) => a + b, 0);
      const same = SAME_ID_EVENTS.reduce((a, e) => a + (by_event[e] ?? 0), 0);
      stability.push({ as_of: s.as_of, networks, same_id: same, same_id_share: networks ? same / networks : null, by_event });
    }

    // nominals held and growth
    const count = async (id: string) => Number(await db.value(`SELECT count(*) FROM read_parquet(${literal(parquet(id, 'nominals'))})`));
    const held = await count(opts.snapshotId);
    const prevId = manifest.previous_snapshot_id && existsSync(parquet(manifest.previous_snapshot_id, 'nominals')) ? manifest.previous_snapshot_id : null;
    const previous = prevId ? await count(prevId) : null;
    const growth = previous ? (held - previous) / previous : null;
    const threshold = ctx.config.evaluation.nominalGrowthAlert;

    // fairness and data quality of this snapshot, when the tables are there
    let fairness: EvaluationReport['fairness'] = null;
    if (existsSync(parquet(opts.snapshotId, 'fairness'))) {
      const f = literal(parquet(opts.snapshotId, 'fairness'));
      const rows = Number(await db.value(`SELECT count(*) FROM read_parquet(${f})`));
      const flagged = await db.all<{ attribute: string; group: string; harm_band: string; count: number; disparity_ratio: number }>(
        `SELECT attribute, "group", harm_band, count::INTEGER AS count, disparity_ratio FROM read_parquet(${f}) WHERE flagged ORDER BY attribute, harm_band, "group"`,
      );
      const historyFile = parquet(opts.snapshotId, 'fairness_history');
      const trend = existsSync(historyFile)
        ? await db.all<{ as_of: string; flagged: number }>(
            `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, count(*) FILTER (WHERE flagged)::INTEGER AS flagged FROM read_parquet(${literal(historyFile)}) GROUP BY ALL ORDER BY 1`,
          )
        : [];
      fairness = { rows, flagged, trend };
    }
    const data_quality = existsSync(parquet(opts.snapshotId, 'data_quality'))
      ? await db.all<{ source: string; check: string; value: number }>(
          `SELECT source, "check", value FROM read_parquet(${literal(parquet(opts.snapshotId, 'data_quality'))}) ORDER BY source, "check"`,
        )
      : [];

    // ground truth, where it exists
    const truth = opts.truthDir && existsSync(path.join(opts.truthDir, 'identities.csv')) ? opts.truthDir : null;
    let resolution: EvaluationReport['resolution'] = null;
    let networks: EvaluationReport['networks'] = null;
    let eventsOut: EvaluationReport['events'] = null;
    let alert_precision: AlertPrecision[] | null = null;
    if (truth) {
      await db.run(`CREATE SCHEMA person`);
      await db.run(`CREATE VIEW person.nominal_sources AS SELECT * FROM read_parquet(${literal(parquet(opts.snapshotId, 'nominal_sources'))})`);
      const r = await evaluateResolution({ ...ctx, db }, truth);
      // a truth folder that names none of this snapshot's source records is for other data: no figures from it
      if (r.identitiesEvaluated > 0) resolution = {
        precision: r.precision, recall: r.recall, f1: r.f1, clusterPrecision: r.clusterPrecision, clusterRecall: r.clusterRecall,
        pairsPredicted: r.pairsPredicted, pairsTrue: r.pairsTrue, falsePositivePairs: r.falsePositivePairs, falseNegativePairs: r.falseNegativePairs,
        nominals: r.nominals, persons: r.persons,
      };
      if (resolution && existsSync(path.join(truth, 'networks.csv'))) {
        const n = await evaluateNetworks(opts.snapshotsDir, truth);
        const weeks = n.weeks.filter((w) => w.as_of <= manifest.as_of);
        const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
        const thisWeek = weeks.find((w) => w.as_of === manifest.as_of) ?? null;
        networks = {
          weeks: weeks.length,
          nmi_mean: mean(weeks.map((w) => w.nmi)),
          ari_mean: mean(weeks.map((w) => w.ari)),
          nmi_this_week: thisWeek?.nmi ?? null,
          ari_this_week: thisWeek?.ari ?? null,
        };
        const checks = n.events.filter((e) => e.as_of <= manifest.as_of);
        eventsOut = { total: checks.length, detected: checks.filter((c) => c.detected).length, checks };
        const alerts = await db.all<{ as_of: string; alert_type: string; subject_id: string }>(`SELECT * FROM alert ORDER BY ALL`);
        alert_precision = alertPrecision(alerts, checks);
      }
    }
    const feedback = opts.servingFile ? await feedbackCounts(opts.servingFile) : null;

    const last = stability.at(-1);
    const figures: Figure[] = [
      { name: 'resolution_precision', value: resolution?.precision ?? null },
      { name: 'resolution_recall', value: resolution?.recall ?? null },
      { name: 'network_nmi_mean', value: networks?.nmi_mean ?? null },
      { name: 'network_ari_mean', value: networks?.ari_mean ?? null },
      { name: 'events_detected_share', value: eventsOut && eventsOut.total ? eventsOut.detected / eventsOut.total : null },
      ...(alert_precision ?? []).map((a) => ({ name: `alert_precision_${a.alert_type}`, value: a.precision })),
      { name: 'network_same_id_share', value: last?.same_id_share ?? null },
      { name: 'nominals_held', value: held },
      { name: 'nominals_growth', value: growth },
      { name: 'fairness_flagged', value: fairness ? fairness.flagged.length : null },
      { name: 'feedback_open', value: feedback ? feedback.open : null },
    ].map((f) => ({ name: f.name, value: f.value === null ? null : round(f.value) }));

    return {
      snapshot_id: opts.snapshotId,
      as_of: manifest.as_of,
      code_version: manifest.code_version,
      config_hash: configHash(manifest.config),
      truth,
      resolution,
      networks,
      events: eventsOut,
      alert_precision,
      stability,
      nominals: { held, previous, growth, threshold, alert: growth !== null && growth > threshold },
      fairness,
      feedback,
      data_quality,
      figures,
    };
  } finally {
    db.close();
  }
}
