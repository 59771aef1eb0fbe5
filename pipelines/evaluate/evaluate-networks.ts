// `harmnet evaluate networks`: recovered networks against the generator's planted ones, week by week
// (NMI and adjusted Rand index over planted members), and whether each scripted event was detected.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { Db, literal } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { addDays } from '../core/dates.ts';
import { listSnapshots } from '../snapshot/read-snapshot.ts';
import { adjustedRandIndex, normalisedMutualInformation } from '../../graph/evaluate/partition-agreement.ts';

export interface WeekAgreement {
  as_of: string;
  planted_members: number;
  planted_networks: number;
  nmi: number;
  ari: number;
  /** Per planted network: the best Jaccard overlap with one recovered network. */
  best_jaccard: Record<string, number>;
}

export interface EventCheck {
  as_of: string;
  event: string;
  network_keys: string;
  person_id: string;
  detected: boolean;
  detected_as_of: string | null;
  evidence: string;
}

export interface NetworkEvaluation {
  snapshots: number;
  weeks: WeekAgreement[];
  nmi_mean: number;
  ari_mean: number;
  events: EventCheck[];
  events_detected: number;
  events_total: number;
}

/** Weeks after the scripted date within which a detection counts (the drop dated by the event, or the next). */
export const DETECTION_WINDOW_WEEKS = 1;


async function loadSnapshots(db: Db, snapshotsDir: string): Promise<string[]> {
  const snaps = listSnapshots(snapshotsDir);
  if (snaps.length === 0) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshots in ${snapshotsDir}`);
  await db.run(`CREATE TABLE nominal_w (as_of VARCHAR, nominal_id VARCHAR, network_id VARCHAR, in_custody BOOLEAN)`);
  await db.run(`CREATE TABLE source_w (as_of VARCHAR, nominal_id VARCHAR, source VARCHAR, person_ref VARCHAR)`);
  await db.run(`CREATE TABLE network_w (as_of VARCHAR, network_id VARCHAR, lineage_event VARCHAR, parent_network_ids VARCHAR, harm_cchi DOUBLE)`);
  await db.run(`CREATE TABLE alert_w (as_of VARCHAR, alert_type VARCHAR, subject_id VARCHAR, detail VARCHAR, evidence VARCHAR)`);
  for (const s of snaps) {
    const file = (t: string) => literal(path.join(snapshotsDir, s.snapshot_id, `${t}.parquet`));
    const p = { as_of: s.as_of };
    await db.run(`INSERT INTO nominal_w SELECT $as_of, nominal_id, network_id, coalesce(in_custody, false) FROM read_parquet(${file('nominals')})`, p);
    await db.run(`INSERT INTO source_w SELECT $as_of, nominal_id, source, person_ref FROM read_parquet(${file('nominal_sources')})`, p);
    await db.run(
      `INSERT INTO network_w SELECT $as_of, network_id, lineage_event, parent_network_ids, harm_cchi FROM read_parquet(${file('networks')})`,
      p,
    );
    if (existsSync(path.join(snapshotsDir, s.snapshot_id, 'alerts.parquet'))) {
      await db.run(`INSERT INTO alert_w SELECT $as_of, alert_type, subject_id, detail, evidence FROM read_parquet(${file('alerts')})`, p);
    }
  }
  return snaps.map((s) => s.as_of);
}

async function loadTruth(db: Db, truthDir: string): Promise<void> {
  for (const f of ['identities', 'networks', 'events']) {
    const file = path.join(truthDir, `${f}.csv`);
    if (!existsSync(file)) throw new HarmnetError('TRUTH_NOT_FOUND', `ground truth file not found: ${file}`);
    await db.run(`CREATE TABLE truth_${f} AS SELECT * FROM read_csv(${literal(file)}, header = true, all_varchar = true)`);
  }
  // The nominal holding most of a person's refs each week (ties broken by nominal id).
  await db.run(`
    CREATE TABLE person_nominal AS
    WITH votes AS (
      SELECT s.as_of, t.person_id, s.nominal_id, count(*) AS refs
      FROM source_w AS s JOIN truth_identities AS t USING (source, person_ref)
      GROUP BY ALL
    )
    SELECT as_of, person_id, arg_max(nominal_id, (refs, nominal_id)) AS nominal_id FROM votes GROUP BY ALL`);
}

async function weekAgreement(db: Db, asOf: string): Promise<WeekAgreement | null> {
  const rows = await db.all<{ person_id: string; network_key: string; network_id: string | null }>(
    `SELECT t.person_id, t.network_key, n.network_id
     FROM truth_networks AS t
     LEFT JOIN person_nominal AS p ON p.as_of = t.as_of AND p.person_id = t.person_id
     LEFT JOIN nominal_w AS n ON n.as_of = p.as_of AND n.nominal_id = p.nominal_id
     WHERE t.as_of = $as_of ORDER BY t.person_id`,
    { as_of: asOf },
  );
  if (rows.length === 0) return null;
  const truth = rows.map((r) => r.network_key);
  const pred = rows.map((r) => r.network_id ?? `none:${r.person_id}`);
  const planted = new Map<string, Set<string>>();
  const recovered = new Map<string, Set<string>>();
  for (const r of rows) {
    (planted.get(r.network_key) ?? planted.set(r.network_key, new Set()).get(r.network_key)!).add(r.person_id);
    if (r.network_id) (recovered.get(r.network_id) ?? recovered.set(r.network_id, new Set()).get(r.network_id)!).add(r.person_id);
  }
  // Recovered networks are judged on all their members, not only the planted ones they contain.
  const sizes = new Map(
    (await db.all<{ network_id: string; n: number }>(`SELECT network_id, count(*) AS n FROM nominal_w WHERE as_of = $as_of AND network_id IS NOT NULL GROUP BY 1`, { as_of: asOf })).map(
      (r) => [r.network_id, Number(r.n)],
    ),
  );
  const best_jaccard: Record<string, number> = {};
  for (const [key, members] of [...planted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let best = 0;
    for (const [id, got] of recovered) {
      let inter = 0;
      for (const m of members) if (got.has(m)) inter++;
      const union = members.size + (sizes.get(id) ?? got.size) - inter;
      best = Math.max(best, union ? inter / union : 0);
    }
    best_jaccard[key] = Math.round(best * 1000) / 1000;
  }
  return {
    as_of: asOf,
    planted_members: rows.length,
    planted_networks: planted.size,
    nmi: normalisedMutualInformation(truth, pred),
    ari: adjustedRandIndex(truth, pred),
    best_jaccard,
  };
}

/** The recovered network holding most members of planted network `key` in week `asOf`. */
async function networkOf(db: Db, key: string, asOf: string): Promise<string | null> {
  const r = await db.one<{ network_id: string }>(
    `SELECT n.network_id, count(*) AS c
     FROM truth_networks AS t
     JOIN person_nominal AS p ON p.as_of = $as_of AND p.person_id = t.person_id
     JOIN nominal_w AS n ON n.as_of = p.as_of AND n.nominal_id = p.nominal_id
     WHERE t.network_key = $key AND t.as_of = (SELECT max(as_of) FROM truth_networks WHERE network_key = $key AND as_of <= $as_of)
       AND n.network_id IS NOT NULL
     GROUP BY 1 ORDER BY c DESC, n.network_id LIMIT 1`,
    { key, as_of: asOf },
  );
  return r?.network_id ?? null;
}

async function checkEvent(db: Db, e: { as_of: string; event: string; network_keys: string; person_id: string }, weeks: string[]): Promise<EventCheck> {
  const window = weeks.filter((w) => w >= e.as_of && w <= addDays(e.as_of, 7 * DETECTION_WINDOW_WEEKS));
  const before = weeks.filter((w) => w < e.as_of).at(-1) ?? null;
  const out: EventCheck = { ...e, person_id: e.person_id ?? '', detected: false, detected_as_of: null, evidence: '' };
  const hit = (w: string, evidence: string) => Object.assign(out, { detected: true, detected_as_of: w, evidence });
  const custody = async (w: string) =>
    (await db.value<boolean>(
      `SELECT n.in_custody FROM person_nominal AS p JOIN nominal_w AS n ON n.as_of = p.as_of AND n.nominal_id = p.nominal_id WHERE p.as_of = $w AND p.person_id = $p`,
      { w, p: e.person_id },
    )) ?? null;
  switch (e.event) {
    case 'IMPRISONED':
      for (const w of window) if ((await custody(w)) === true) return hit(w, 'nominal shown in custody (PINS)');
      break;
    case 'RELEASED':
      for (const w of window) if ((await custody(w)) === false && before && (await custody(before)) === true) return hit(w, 'nominal no longer in custody after release');
      break;
    case 'GROWTH':
      for (const w of window) {
        const id = await networkOf(db, e.network_keys, w);
        if (!id) continue;
        const net = await db.one<{ lineage_event: string; harm_cchi: number }>(`SELECT lineage_event, harm_cchi FROM network_w WHERE as_of = $w AND network_id = $id`, { w, id });
        const prevHarm = before ? await db.value<number>(`SELECT harm_cchi FROM network_w WHERE as_of = $b AND network_id = $id`, { b: before, id }) : null;
        if (net?.lineage_event === 'GREW') {
          const rising = prevHarm !== null && prevHarm !== undefined && net.harm_cchi > prevHarm;
          return hit(w, `network ${id} GREW; harm ${rising ? 'rose' : 'did not rise'} (${prevHarm == null ? '?' : prevHarm.toFixed(1)} → ${net.harm_cchi.toFixed(1)} CCHI days)`);
        }
      }
      break;
    case 'SPLIT': {
      const parentKey = e.network_keys.split('>')[0]!;
      const parent = before ? await networkOf(db, parentKey, before) : null;
      if (!parent) break;
      for (const w of window) {
        const r = await db.one<{ detail: string; evidence: string }>(`SELECT detail, evidence FROM alert_w WHERE as_of = $w AND alert_type = 'NETWORK_SPLIT' AND subject_id = $id`, { w, id: parent });
        if (r) return hit(w, `network ${parent} SPLIT: ${r.detail}; alert evidence ${r.evidence}`);
      }
      break;
    }
    case 'MERGE': {
      const parentKeys = e.network_keys.split('>')[0]!.split(';');
      const parents = before ? await Promise.all(parentKeys.map((k) => networkOf(db, k, before))) : [];
      if (parents.length === 0 || parents.some((p) => !p)) break;
      for (const w of window) {
        const merged = await db.all<{ network_id: string; parent_network_ids: string }>(
          `SELECT network_id, parent_network_ids FROM network_w WHERE as_of = $w AND lineage_event = 'MERGED'`,
          { w },
        );
        const m = merged.find((n) => parents.every((p) => (n.parent_network_ids ?? '').split(/[;,]\s*/).includes(p!)));
        if (m) return hit(w, `networks ${parents.join(', ')} MERGED into ${m.network_id}`);
      }
      break;
    }
    case 'DISSOLVE': {
      const id = before ? await networkOf(db, e.network_keys, before) : null;
      if (!id) break;
      for (const w of window) {
        const r = await db.one<{ detail: string; evidence: string }>(`SELECT detail, evidence FROM alert_w WHERE as_of = $w AND alert_type = 'NETWORK_DISSOLVED' AND subject_id = $id`, { w, id });
        if (r) return hit(w, `network ${id} DISSOLVED: ${r.detail}; alert evidence ${r.evidence}`);
      }
      break;
    }
    default:
      out.evidence = `unknown event type ${e.event}`;
  }
  return out;
}

export async function evaluateNetworks(snapshotsDir: string, truthDir: string): Promise<NetworkEvaluation> {
  const db = await Db.open(':memory:');
  try {
    const weeks = await loadSnapshots(db, snapshotsDir);
    await loadTruth(db, truthDir);
    const agreements: WeekAgreement[] = [];
    for (const w of weeks) {
      const a = await weekAgreement(db, w);
      if (a) agreements.push(a);
    }
    const events = await db.all<{ as_of: string; event: string; network_keys: string; person_id: string }>(
      `SELECT as_of, event, network_keys, coalesce(person_id, '') AS person_id FROM truth_events
       WHERE as_of BETWEEN $first AND $last ORDER BY as_of, event, network_keys, person_id`,
      { first: weeks[0]!, last: weeks.at(-1)! },
    );
    const checks: EventCheck[] = [];
    for (const e of events) checks.push(await checkEvent(db, e, weeks));
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    return {
      snapshots: weeks.length,
      weeks: agreements,
      nmi_mean: mean(agreements.map((a) => a.nmi)),
      ari_mean: mean(agreements.map((a) => a.ari)),
      events: checks,
      events_detected: checks.filter((c) => c.detected).length,
      events_total: checks.length,
    };
  } finally {
    db.close();
  }
}
