// CPIA disclosure bundle: what the dashboard showed for one nominal or network at one snapshot — figures,
// harm explained to source records, links with evidence, SVG charts, method pages, caveats — all hashed.

import { HarmnetError } from '../core/errors.ts';
import { fmtNumber, html } from '../../dashboards/html.ts';
import { INTEL_LABEL, isIntelligenceOnly, isUnranked } from '../../dashboards/pages/common.ts';
import { SnapshotStore, type OpenSnapshot } from '../../dashboards/snapshot-store.ts';
import { listSnapshots, resolveSnapshotId } from '../snapshot/read-snapshot.ts';
import { verifySnapshot } from '../snapshot/verify-snapshot.ts';
import { yardstickTerm } from '../resolve/yardstick.ts';
import { BundleWriter, checkOutDir, snapshotRef, type BundleManifest } from './bundle.ts';
import { addMethodPages, caveatsText, htmlPage, htmlTable, toCsv } from './bundle-format.ts';
import { appendExportEvent, type LoggedExport } from './export-log.ts';
import { renderExportChartSvg, exportChartSpec } from './render-export-chart.ts';

type Row = Record<string, unknown>;

export interface DisclosureOptions {
  snapshotsDir: string;
  /** A snapshot id, or "latest". */
  snapshotId: string;
  subject: { type: 'nominal' | 'network'; id: string };
  outDir: string;
  /** Who exported (recorded in the bundle manifest and the export log). */
  by: string;
  at: Date;
  codeVersion: string;
}

export interface ExportResult {
  dir: string;
  manifest: BundleManifest;
  logged: LoggedExport;
}

/** Outcomes the dashboard shows as proven / counted zero; everything else is alleged (as dashboards/pages/nominal.ts). */
const PROVEN = new Set(['CONVICTED', 'CHARGED', 'CAUTIONED']);
const ZERO = new Set(['NFA', 'ACQUITTED']);
const HISTORY_WEEKS = 12;

export const EXPLANATION_COLUMNS = [
  'nominal_id', 'harm_class', 'source', 'record_ref', 'record_date', 'offence_code', 'outcome', 'handling_code', 'cchi_days', 'ons_weight',
  'decay_factor', 'outcome_factor', 'contribution_cchi', 'contribution_ons',
];
const LINK_COLUMNS = ['nominal_a', 'name_a', 'nominal_b', 'name_b', 'link_types', 'evidential_class', 'intelligence_only', 'label', 'weight', 'evidence_count', 'first_seen', 'last_seen'];
const EVIDENCE_COLUMNS = ['nominal_a', 'nominal_b', 'link_type', 'label', 'source', 'record_ref', 'record_date', 'handling_code'];

export function harmClass(outcome: unknown): 'proven' | 'alleged' | 'counted zero' {
  const o = String(outcome ?? '');
  return PROVEN.has(o) ? 'proven' : ZERO.has(o) ? 'counted zero' : 'alleged';
}

/** Never ranked: victims, witnesses, missing persons (safeguarding only) and the unscored. */
export function notRanked(n: Row): boolean {
  return isUnranked(n) || n.safeguarding_only === true;
}

const labelFor = (e: Row) => (isIntelligenceOnly(e) ? INTEL_LABEL : String(e.evidential_class ?? ''));

/** Refuses (clearly) a subject not in the snapshot, saying whether it is held in any retained snapshot at all. */
async function subjectMissing(snapshotsDir: string, store: SnapshotStore, snapshotId: string, type: string, id: string): Promise<HarmnetError> {
  const table = type === 'nominal' ? 'nominals' : 'networks';
  const key = type === 'nominal' ? 'nominal_id' : 'network_id';
  const elsewhere: string[] = [];
  for (const s of listSnapshots(snapshotsDir).filter((x) => !x.problem)) {
    const snap = await store.open(s.snapshot_id);
    if (await snap.db.one(`SELECT 1 FROM ${table} WHERE ${key} = $id`, { id })) elsewhere.push(s.snapshot_id);
  }
  return new HarmnetError(
    'NOT_FOUND',
    elsewhere.length
      ? `${type} "${id}" is not in snapshot ${snapshotId}; it is in ${elsewhere.length} other retained snapshot(s), e.g. ${elsewhere.at(-1)}`
      : `${type} "${id}" does not appear in any retained snapshot in ${snapshotsDir} (never held, or removed under MOPI retention and its snapshots expired); nothing to export`,
  );
}

/** Snapshots up to and including `snap`'s as_of, oldest first, at most HISTORY_WEEKS (as the dashboard's history). */
async function history(store: SnapshotStore, snap: OpenSnapshot): Promise<OpenSnapshot[]> {
  const infos = store.list().filter((s) => s.as_of <= snap.info.as_of).slice(0, HISTORY_WEEKS).reverse();
  return Promise.all(infos.map((s) => store.open(s.snapshot_id)));
}

export async function explanationsFor(snap: OpenSnapshot, ids: string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const id of [...ids].sort()) {
    const rows = await snap.db.all(
      `SELECT * REPLACE (strftime(record_date, '%Y-%m-%d') AS record_date) FROM harm_explanations WHERE nominal_id = $id
        ORDER BY record_date DESC, record_ref, offence_code`,
      { id },
    );
    out.push(...rows.map((r) => ({ handling_code: null, ...r, harm_class: harmClass(r.outcome) })));
  }
  return out;
}

async function edgesAndEvidence(snap: OpenSnapshot, where: string, params: Record<string, string>): Promise<{ links: Row[]; evidence: Row[] }> {
  const links = (await snap.db.all(
    `SELECT e.* REPLACE (strftime(e.first_seen, '%Y-%m-%d') AS first_seen, strftime(e.last_seen, '%Y-%m-%d') AS last_seen),
            a.display_name AS name_a, b.display_name AS name_b
       FROM edges e LEFT JOIN nominals a ON a.nominal_id = e.nominal_a LEFT JOIN nominals b ON b.nominal_id = e.nominal_b
      WHERE ${where} ORDER BY e.nominal_a, e.nominal_b`, params,
  )).map((e) => ({ ...e, intelligence_only: isIntelligenceOnly(e), label: labelFor(e) }));
  const evidence = (await snap.db.all(
    `SELECT v.* REPLACE (strftime(v.record_date, '%Y-%m-%d') AS record_date) FROM edge_evidence v JOIN edges e USING (nominal_a, nominal_b)
      WHERE ${where} ORDER BY v.nominal_a, v.nominal_b, v.record_date DESC, v.record_ref, v.link_type`, params,
  )).map((v) => ({ ...v, label: v.link_type === 'INTEL_ASSOCIATION' ? INTEL_LABEL : String(v.evidential_class ?? v.source ?? '') }));
  return { links, evidence };
}

const num = (k: string, r: Row): unknown => {
  const v = r[k];
  return typeof v === 'number' ? fmtNumber(v, Number.isInteger(v) ? 0 : 3) : v;
};
const linkCell = (k: string, r: Row): unknown => (k === 'label' && r.intelligence_only ? html`<span class="intel">${r.label}</span>` : num(k, r));

/** Writes the bundle, appends the export log, returns the bundle manifest. */
export async function exportDisclosure(opts: DisclosureOptions): Promise<ExportResult> {
  const { type, id } = opts.subject;
  if (!opts.by.trim()) throw new HarmnetError('USAGE', 'harmnet export disclosure: --by NAME is required (every export is logged)');
  const snapshotId = resolveSnapshotId(opts.snapshotsDir, opts.snapshotId);
  const dir = checkOutDir(opts.outDir); // refuse a non-empty folder before any work
  await verifySnapshot(opts.snapshotsDir, snapshotId); // SNAPSHOT_NOT_FOUND / SNAPSHOT_TAMPERED before anything is written
  const store = new SnapshotStore(opts.snapshotsDir, 0); // 0: query the Parquet files in place (one lookup each; no copy into memory)
  try {
    const snap = await store.open(snapshotId);
    const table = type === 'nominal' ? 'nominals' : 'networks';
    const key = type === 'nominal' ? 'nominal_id' : 'network_id';
    const subject = await snap.db.one(`SELECT * FROM ${table} WHERE ${key} = $id`, { id });
    if (!subject) throw await subjectMissing(opts.snapshotsDir, store, snapshotId, type, id);

    const bundle = new BundleWriter(dir);
    try {
      const hist = await history(store, snap);
      const subjectLine = `Disclosure bundle: ${type} ${id} as shown by snapshot ${snapshotId} (as of ${snap.info.as_of}); exported by ${opts.by} at ${opts.at.toISOString()}.`;
      bundle.add('CAVEATS.txt', caveatsText(subjectLine), 'status of the bundle and the product caveats (dashboards/caveats.ts)');
      addMethodPages(bundle);

      const page = type === 'nominal'
        ? await nominalBundle(bundle, snap, hist, subject)
        : await networkBundle(bundle, snap, hist, subject);
      bundle.add('index.html', htmlPage(`${type === 'nominal' ? 'Nominal' : 'Network'} ${id} — snapshot ${snapshotId}`, html`<p>${subjectLine}</p>${page.body}`), 'human-readable view of this bundle (no scripts)');

      const manifest = bundle.finish({
        kind: 'disclosure', subject: { type, id }, created_at: opts.at.toISOString(), created_by: opts.by, code_version: opts.codeVersion,
        snapshots: [snapshotRef(opts.snapshotsDir, snapshotId)],
      });
      const logged = appendExportEvent(opts.snapshotsDir, {
        action: 'disclosure', subject_type: type, subject_id: id, snapshot_ids: [snapshotId], by: opts.by, bundle_sha256: manifest.bundle_sha256,
        ...(page.memberIds ? { member_ids: page.memberIds } : {}),
      }, opts.at);
      bundle.commit();
      return { dir, manifest, logged };
    } catch (e) {
      bundle.discard(); // no half-written bundle is left behind
      throw e;
    }
  } finally {
    await store.close();
  }
}

async function nominalBundle(bundle: BundleWriter, snap: OpenSnapshot, hist: OpenSnapshot[], n: Row) {
  const id = String(n.nominal_id);
  const unranked = notRanked(n);
  const explanations = unranked ? [] : await explanationsFor(snap, [id]);
  const sources = (await snap.db.all('SELECT * FROM nominal_sources WHERE nominal_id = $id ORDER BY source, person_ref', { id }))
    .map((s) => ({ ...s, same_person: s.match_probability === null ? null : yardstickTerm(Number(s.match_probability)) }));
  const { links, evidence } = await edgesAndEvidence(snap, 'e.nominal_a = $id OR e.nominal_b = $id', { id });
  const over: Row[] = [];
  for (const h of hist) {
    const r = await h.db.one('SELECT * FROM nominals WHERE nominal_id = $id', { id }); // *: older snapshots may lack optional columns
    if (r) {
      over.push({
        as_of: h.info.as_of, snapshot_id: h.info.snapshot_id, network_id: r.network_id, harm_band: r.harm_band, harm_cchi: r.harm_cchi,
        harm_cchi_proven: r.harm_cchi_proven, harm_cchi_alleged: r.harm_cchi_alleged, degree: r.degree, pagerank: r.pagerank, betweenness: r.betweenness,
        not_ranked: notRanked(r),
      });
    }
  }

  const figures: Row = { ...n, not_ranked: unranked };
  if (unranked) for (const k of ['harm_band', 'harm_rank']) figures[k] = null; // never ranked, even if a rank leaked in
  bundle.add('data/subject.json', JSON.stringify({ nominal: figures, history: over }, null, 2) + '\n', "the nominal's figures at this snapshot and over the last 12 snapshots");
  bundle.add('data/identities.csv', toCsv(['nominal_id', 'source', 'person_ref', 'match_probability', 'same_person'], sources), 'source identities linked, with Probability Yardstick wording');
  bundle.add('data/harm-explanations.csv', toCsv(EXPLANATION_COLUMNS, explanations), 'every record behind the harm score (proven, alleged, counted zero)');
  bundle.add('data/links.csv', toCsv(LINK_COLUMNS, links), 'links to other nominals');
  bundle.add('data/link-evidence.csv', toCsv(EVIDENCE_COLUMNS, evidence), 'the source records behind each link');

  let chart = html`<p>No harm chart: this nominal is not scored or ranked.</p>`;
  if (!unranked) {
    const trend = over.filter((r) => !r.not_ranked).flatMap((r) => [
      { as_of: r.as_of, kind: 'proven', harm_cchi: r.harm_cchi_proven }, { as_of: r.as_of, kind: 'alleged', harm_cchi: r.harm_cchi_alleged },
    ]);
    bundle.add('charts/nominal-harm-trend.svg', await renderExportChartSvg('nominal-harm-trend', trend), 'harm trend chart (SVG)');
    bundle.add('charts/nominal-harm-trend.vl.json', JSON.stringify(exportChartSpec('nominal-harm-trend'), null, 2) + '\n', 'its Vega-Lite specification');
    chart = html`<img src="charts/nominal-harm-trend.svg" alt="Recorded harm of this nominal per weekly snapshot, proven and alleged apart">`;
  }

  const byClass = (c: string) => explanations.filter((r) => r.harm_class === c);
  const expCols: [string, string][] = [['record_ref', 'Source record'], ['record_date', 'Date'], ['offence_code', 'Offence'], ['outcome', 'Outcome'], ['handling_code', 'Handling'], ['cchi_days', 'CCHI days'], ['ons_weight', 'ONS weight'], ['decay_factor', 'Decay'], ['outcome_factor', 'Outcome factor'], ['contribution_cchi', 'Contribution (CCHI)'], ['contribution_ons', 'Contribution (ONS)']];
  const body = html`
<h2>Figures</h2>
<p id="identity"><strong>${n.display_name}</strong> · born ${n.date_of_birth ?? 'unknown'} · ${n.sex ?? ''} · nominal <code>${id}</code>${n.network_id ? ` · network ${n.network_id}` : ''}</p>
<p id="flags">${n.under_18 ? html`<span class="flag">under 18</span>` : ''}${n.in_custody ? html`<span class="flag">in custody per PINS — not active</span>` : ''}${n.historic ? html`<span class="flag">historic — not ranked</span>` : ''}${unranked ? html`<span class="flag">safeguarding only — not ranked</span>` : ''}</p>
${unranked
  ? html`<p id="not-scored">Not scored and never ranked: this person appears only as a victim, witness or missing person. Being victimised never raises a score.</p>`
  : html`<p id="harm-summary">Band ${n.harm_band ?? '—'} · headline ${fmtNumber(n.harm_cchi)} CCHI days · proven ${fmtNumber(n.harm_cchi_proven)} · alleged ${fmtNumber(n.harm_cchi_alleged)} (counted at half weight in the headline) · ONS ${fmtNumber(n.harm_ons)}. Harm describes recorded offences only; it is not a prediction.</p>
<h3>Proven (convicted, charged, cautioned)</h3>${htmlTable('harm-proven', expCols, byClass('proven'), num)}
<h3>Alleged (under investigation or open)</h3>${htmlTable('harm-alleged', expCols, byClass('alleged'), num)}
<h3>Counted zero (NFA, acquitted)</h3>${htmlTable('harm-zero', expCols, byClass('counted zero'), num)}`}
<h2>Harm over time</h2>${chart}
${htmlTable('history', [['as_of', 'As of'], ['network_id', 'Network'], ['harm_band', 'Band'], ['harm_cchi', 'Harm'], ['degree', 'Degree'], ['pagerank', 'PageRank']], over.map((r) => (r.not_ranked ? { ...r, harm_band: '—', harm_cchi: '—' } : r)), num)}
<h2>Identities linked to this nominal</h2>
${htmlTable('identities', [['source', 'Source'], ['person_ref', 'Reference'], ['same_person', 'Same person? (Probability Yardstick)'], ['match_probability', 'Match probability']], sources, num)}
<h2>Links, with their evidence</h2>
${htmlTable('links', [['nominal_a', 'Nominal'], ['name_a', 'Name'], ['nominal_b', 'Nominal'], ['name_b', 'Name'], ['link_types', 'Link types'], ['label', 'Class'], ['weight', 'Weight'], ['first_seen', 'First seen'], ['last_seen', 'Last seen']], links, linkCell)}
<h3>Source records behind the links</h3>
${htmlTable('evidence', [['record_ref', 'Record'], ['source', 'Source'], ['link_type', 'Link type'], ['label', 'Class'], ['record_date', 'Date'], ['handling_code', 'Handling'], ['nominal_a', 'Between'], ['nominal_b', 'and']], evidence, (k, r) => (k === 'label' && r.link_type === 'INTEL_ASSOCIATION' ? html`<span class="intel">${INTEL_LABEL}</span>` : num(k, r)))}
<p class="small">Links labelled “${INTEL_LABEL}” rest on intelligence reports alone. Files: data/*.csv and data/subject.json hold every figure shown here.</p>`;
  return { body, memberIds: undefined };
}

async function networkBundle(bundle: BundleWriter, snap: OpenSnapshot, hist: OpenSnapshot[], network: Row) {
  const id = String(network.network_id);
  const members = (await snap.db.all(`SELECT * FROM nominals WHERE network_id = $id ORDER BY harm_cchi DESC NULLS LAST, nominal_id`, { id }))
    .map((m): Row => ({ ...m, not_ranked: notRanked(m) }));
  // Rank change against the previous snapshot, as the dashboard's members table shows it.
  const prev = hist.length > 1 ? hist.at(-2)! : undefined;
  const prevRank = new Map<string, number>();
  if (prev) {
    const before = (await prev.db.all(`SELECT * FROM nominals WHERE network_id = $id ORDER BY harm_cchi DESC, nominal_id`, { id }))
      .filter((m) => !notRanked(m) && !m.historic);
    before.forEach((m, i) => prevRank.set(String(m.nominal_id), i + 1));
  }
  const change = (nid: string, rank: number) => {
    if (!prev) return '';
    const b = prevRank.get(nid);
    return b === undefined ? 'new' : b === rank ? 'same' : b > rank ? `up ${b - rank}` : `down ${rank - b}`; // words: a CSV cell never starts with "="
  };
  const changeSymbol = (k: string, r: Row): unknown => {
    if (k !== 'rank_change') return num(k, r);
    const c = String(r.rank_change ?? '');
    return c === 'same' ? '=' : c.startsWith('up ') ? `▲${c.slice(3)}` : c.startsWith('down ') ? `▼${c.slice(5)}` : c; // the dashboard's symbols
  };
  const ranked = members.filter((m) => !m.not_ranked && !m.historic)
    .map((m, i): Row => ({ ...m, rank_in_network: i + 1, rank_change: change(String(m.nominal_id), i + 1) }));
  const unranked = members.filter((m) => m.not_ranked || m.historic).map((m) => ({ ...m, harm_band: null, harm_rank: null, harm_cchi: m.not_ranked ? null : m.harm_cchi }));
  // No under-18 in a key-nominals list without a recorded review (safeguards.md 6): none is recorded, so none is listed.
  const keyPlayers = ranked.filter((m) => !m.under_18 && m.key_player_impact !== null)
    .sort((a, b) => Number(b.key_player_impact) - Number(a.key_player_impact) || String(a.nominal_id).localeCompare(String(b.nominal_id))).slice(0, 3);
  const explanations = await explanationsFor(snap, ranked.map((m) => String(m.nominal_id)));
  const where = `e.nominal_a IN (SELECT nominal_id FROM nominals WHERE network_id = $id) AND e.nominal_b IN (SELECT nominal_id FROM nominals WHERE network_id = $id)`;
  const { links, evidence } = await edgesAndEvidence(snap, where, { id });
  const lineage: Row[] = [];
  const trend: Row[] = [];
  for (const h of hist) {
    const r = await h.db.one('SELECT size, lineage_event, parent_network_ids, harm_cchi, harm_cchi_proven, harm_cchi_alleged FROM networks WHERE network_id = $id', { id });
    if (!r) continue;
    lineage.push({ as_of: h.info.as_of, snapshot_id: h.info.snapshot_id, ...r });
    trend.push({ as_of: h.info.as_of, kind: 'proven', harm_cchi: r.harm_cchi_proven }, { as_of: h.info.as_of, kind: 'alleged', harm_cchi: r.harm_cchi_alleged });
  }

  const memberCols = ['rank_in_network', 'rank_change', 'nominal_id', 'display_name', 'under_18', 'in_custody', 'historic', 'not_ranked', 'harm_band', 'harm_cchi', 'harm_cchi_proven', 'harm_cchi_alleged', 'harm_ons', 'degree', 'weighted_degree', 'pagerank', 'eigenvector', 'betweenness', 'key_player_impact'];
  bundle.add('data/subject.json', JSON.stringify({ network, lineage, key_players: keyPlayers.map((m) => m.nominal_id) }, null, 2) + '\n', "the network's figures, lineage and key players");
  bundle.add('data/members.csv', toCsv(memberCols, [...ranked, ...unranked]), 'members: ranked by recorded harm, then those never ranked');
  bundle.add('data/harm-explanations.csv', toCsv(EXPLANATION_COLUMNS, explanations), "every record behind ranked members' harm scores");
  bundle.add('data/links.csv', toCsv(LINK_COLUMNS, links), 'links between members');
  bundle.add('data/link-evidence.csv', toCsv(EVIDENCE_COLUMNS, evidence), 'the source records behind each link');
  bundle.add('charts/network-harm-trend.svg', await renderExportChartSvg('network-harm-trend', trend), 'harm trend chart (SVG, the dashboard spec)');
  bundle.add('charts/network-harm-trend.vl.json', JSON.stringify(exportChartSpec('network-harm-trend'), null, 2) + '\n', 'its Vega-Lite specification (dashboards/charts)');

  const flagsOf = (m: Row) => [m.under_18 ? 'under 18' : '', m.in_custody ? 'in custody (PINS) — not active' : '', m.historic ? 'historic — not ranked' : '', m.not_ranked ? 'safeguarding only — not ranked' : ''].filter(Boolean).join('; ');
  const body = html`
<h2>Figures</h2>
<p id="harm-summary">Network <code>${id}</code> · ${network.size} members · types ${Array.isArray(network.types) ? network.types.join(', ') : network.types ?? '—'} · headline harm ${fmtNumber(network.harm_cchi)} CCHI days · proven ${fmtNumber(network.harm_cchi_proven)} · alleged ${fmtNumber(network.harm_cchi_alleged)} · ONS ${fmtNumber(network.harm_ons)}. Recorded harm only — not a prediction.</p>
${network.type_reasons ? html`<p class="small">Why these types: ${network.type_reasons}</p>` : ''}
<h2>Harm trend and lineage</h2><img src="charts/network-harm-trend.svg" alt="Recorded harm of this network per weekly snapshot, proven and alleged apart">
${htmlTable('lineage', [['as_of', 'As of'], ['lineage_event', 'Event'], ['size', 'Size'], ['harm_cchi', 'Harm'], ['parent_network_ids', 'From']], lineage, num)}
<h2>Key players</h2><p class="small">Members whose removal most fragments the network. Under-18s are never listed here without a recorded review.</p>
${htmlTable('key-players', [['nominal_id', 'Nominal'], ['display_name', 'Name'], ['key_player_impact', 'Impact']], keyPlayers, num)}
<h2>Members ranked by recorded harm</h2>
${htmlTable('members', [['rank_in_network', 'Rank'], ['rank_change', 'Change'], ['nominal_id', 'Nominal'], ['display_name', 'Name'], ['harm_band', 'Band'], ['harm_cchi', 'Harm'], ['harm_cchi_proven', 'Proven'], ['harm_cchi_alleged', 'Alleged'], ['degree', 'Degree'], ['pagerank', 'PageRank'], ['betweenness', 'Betweenness'], ['flags', 'Flags']], ranked.map((m) => ({ ...m, flags: flagsOf(m) })), changeSymbol)}
<h3>Members not ranked</h3><p class="small">Victims, witnesses and missing persons are never scored or ranked; historic nominals drop out of ranked views.</p>
${htmlTable('members-unranked', [['nominal_id', 'Nominal'], ['display_name', 'Name'], ['flags', 'Flags']], unranked.map((m) => ({ ...m, flags: flagsOf(m) })), num)}
<h2>Harm explained, record by record (ranked members)</h2>
${htmlTable('harm-explanations', [['nominal_id', 'Nominal'], ['harm_class', 'Proven / alleged'], ['record_ref', 'Source record'], ['record_date', 'Date'], ['offence_code', 'Offence'], ['outcome', 'Outcome'], ['handling_code', 'Handling'], ['cchi_days', 'CCHI days'], ['ons_weight', 'ONS weight'], ['decay_factor', 'Decay'], ['outcome_factor', 'Outcome factor'], ['contribution_cchi', 'Contribution (CCHI)'], ['contribution_ons', 'Contribution (ONS)']], explanations, num)}
<h2>Links, with their evidence</h2>
${htmlTable('links', [['nominal_a', 'Nominal'], ['name_a', 'Name'], ['nominal_b', 'Nominal'], ['name_b', 'Name'], ['link_types', 'Link types'], ['label', 'Class'], ['weight', 'Weight'], ['evidence_count', 'Evidence'], ['first_seen', 'First seen'], ['last_seen', 'Last seen']], links, linkCell)}
<h3>Source records behind the links</h3>
${htmlTable('evidence', [['record_ref', 'Record'], ['source', 'Source'], ['link_type', 'Link type'], ['label', 'Class'], ['record_date', 'Date'], ['handling_code', 'Handling'], ['nominal_a', 'Between'], ['nominal_b', 'and']], evidence, (k, r) => (k === 'label' && r.link_type === 'INTEL_ASSOCIATION' ? html`<span class="intel">${INTEL_LABEL}</span>` : num(k, r)))}`;
  return { body, memberIds: members.map((m) => String(m.nominal_id)) };
}

