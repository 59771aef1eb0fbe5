// Subject access: everything held on one nominal across every retained snapshot — identities and match
// confidence, scores and harm explanations, network memberships, links — and every disclosure or partner match.

import { existsSync } from 'node:fs';
import { Db } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { fmtNumber, html } from '../../dashboards/html.ts';
import { INTEL_LABEL, isIntelligenceOnly } from '../../dashboards/pages/common.ts';
import { SnapshotStore } from '../../dashboards/snapshot-store.ts';
import { listSnapshots } from '../snapshot/read-snapshot.ts';
import { verifySnapshot } from '../snapshot/verify-snapshot.ts';
import { yardstickTerm } from '../resolve/yardstick.ts';
import { BundleWriter, checkOutDir, snapshotRef } from './bundle.ts';
import { addMethodPages, caveatsText, htmlPage, htmlTable, toCsv } from './bundle-format.ts';
import { EXPLANATION_COLUMNS, explanationsFor, notRanked, type ExportResult } from './export-disclosure.ts';
import { appendExportEvent, readExportLog } from './export-log.ts';

type Row = Record<string, unknown>;

export interface SubjectAccessOptions {
  snapshotsDir: string;
  nominalId: string;
  outDir: string;
  by: string;
  at: Date;
  codeVersion: string;
  /** The server's database (dashboard export audit, partner matches); absent file = none recorded. */
  servingFile?: string;
}

/** The tables the partner match service writes (pipelines/match/sql/partner-log.sql), read only if present. */
export const PARTNER_MATCH_TABLE = 'partner_match_row';
export const PARTNER_REQUEST_TABLE = 'partner_request';

/** Columns a subject-access bundle lists per partner match: the request (who, why, on what basis) and what was returned. */
export const PARTNER_MATCH_COLUMNS = [
  'request_id', 'requested_at', 'partner', 'officer', 'purpose', 'legal_basis', 'channel', 'snapshot_id', 'line', 'row_ref', 'status',
  'withheld', 'probability', 'confidence', 'in_network', 'harm_cchi', 'harm_cchi_proven', 'harm_cchi_alleged', 'harm_band', 'review_status',
];

/**
 * Partner match rows that found this nominal (also rows where the match was withheld), with their request:
 * `partner_match_row` joined to `partner_request` in the serving database. Null when no match table exists.
 */
export async function partnerMatchesFor(serving: Db, nominalId: string): Promise<Row[] | null> {
  const tables = new Set((await serving.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_name IN ($a, $b)`, { a: PARTNER_MATCH_TABLE, b: PARTNER_REQUEST_TABLE },
  )).map((t) => t.table_name));
  if (!tables.has(PARTNER_MATCH_TABLE)) return null;
  const rows = tables.has(PARTNER_REQUEST_TABLE)
    ? await serving.all(
      `SELECT m.*, q.* EXCLUDE (request_id) REPLACE (strftime(q.requested_at, '%Y-%m-%dT%H:%M:%S') AS requested_at)
         FROM ${PARTNER_MATCH_TABLE} m LEFT JOIN ${PARTNER_REQUEST_TABLE} q USING (request_id)
        WHERE m.nominal_id = $id ORDER BY q.requested_at, m.request_id, m.line`, { id: nominalId })
    : await serving.all(`SELECT * FROM ${PARTNER_MATCH_TABLE} WHERE nominal_id = $id ORDER BY ALL`, { id: nominalId });
  return rows;
}

/** Dashboard exports (audit_log action 'export') of this nominal or of a network while they were a member. */
async function dashboardExportsFor(serving: Db, nominalId: string, networkIds: string[]): Promise<Row[] | null> {
  const t = await serving.value<number>(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_log'`);
  if (!Number(t)) return null;
  const rows = await serving.all(
    `SELECT seq, strftime(logged_at, '%Y-%m-%dT%H:%M:%S') AS logged_at, username, role, action, subject_type, subject_id, snapshot_id, detail
       FROM audit_log WHERE action = 'export' AND ((subject_type = 'nominal' AND subject_id = $id) OR subject_type = 'network') ORDER BY seq`,
    { id: nominalId },
  );
  const nets = new Set(networkIds);
  return rows.filter((r) => r.subject_type === 'nominal' || nets.has(String(r.subject_id)));
}

async function servingRecords(file: string | undefined, nominalId: string, networkIds: string[]) {
  if (!file || !existsSync(file)) return { note: `no serving database${file ? ` at ${file}` : ''}: no dashboard exports or partner matches recorded`, exports: [] as Row[], matches: null as Row[] | null };
  let db: Db;
  try {
    db = await Db.open(file, { access_mode: 'READ_ONLY' });
  } catch (e) {
    throw new HarmnetError('INPUT_INVALID', `--serving ${file} cannot be opened read-only (${(e as Error).message.split('\n')[0]}); a subject-access export must be complete — retry when the server is stopped, or pass a copy of the file`, { cause: e });
  }
  try {
    return { note: null, exports: (await dashboardExportsFor(db, nominalId, networkIds)) ?? [], matches: await partnerMatchesFor(db, nominalId) };
  } finally {
    db.close();
  }
}

/** Writes the subject-access bundle for one nominal; refuses a nominal held in no retained snapshot. */
export async function exportSubjectAccess(opts: SubjectAccessOptions): Promise<ExportResult> {
  const id = opts.nominalId;
  if (!opts.by.trim()) throw new HarmnetError('USAGE', 'harmnet export subject-access: --by NAME is required (every export is logged)');
  const dir = checkOutDir(opts.outDir); // refuse a non-empty folder before any work
  const retained = listSnapshots(opts.snapshotsDir).filter((s) => !s.problem);
  if (retained.length === 0) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshots in ${opts.snapshotsDir}; nothing is held`);
  const store = new SnapshotStore(opts.snapshotsDir, 0); // 0: query the Parquet files in place (one lookup each; no copy into memory)
  try {
    const figures: Row[] = [];
    const identities: Row[] = [];
    const explanations: Row[] = [];
    const networks: Row[] = [];
    const links: Row[] = [];
    const evidence: Row[] = [];
    const held: string[] = [];
    for (const s of retained) {
      await verifySnapshot(opts.snapshotsDir, s.snapshot_id);
      const snap = await store.open(s.snapshot_id);
      const n = await snap.db.one(`SELECT * REPLACE (strftime(date_of_birth, '%Y-%m-%d') AS date_of_birth) FROM nominals WHERE nominal_id = $id`, { id });
      if (!n) continue;
      held.push(s.snapshot_id);
      const at = { snapshot_id: s.snapshot_id, as_of: s.as_of };
      const unranked = notRanked(n);
      figures.push({ ...at, ...n, not_ranked: unranked });
      for (const r of await snap.db.all('SELECT * FROM nominal_sources WHERE nominal_id = $id ORDER BY source, person_ref', { id })) {
        identities.push({ ...at, ...r, same_person: r.match_probability === null ? null : yardstickTerm(Number(r.match_probability)) });
      }
      if (!unranked) for (const r of await explanationsFor(snap, [id])) explanations.push({ ...at, ...r });
      if (n.network_id) {
        const net = await snap.db.one('SELECT network_id, size, types, harm_cchi, lineage_event, parent_network_ids FROM networks WHERE network_id = $nid', { nid: String(n.network_id) });
        networks.push({ ...at, network_id: n.network_id, ...(net ?? {}) });
      }
      for (const e of await snap.db.all(
        `SELECT * REPLACE (strftime(first_seen, '%Y-%m-%d') AS first_seen, strftime(last_seen, '%Y-%m-%d') AS last_seen)
           FROM edges WHERE nominal_a = $id OR nominal_b = $id ORDER BY nominal_a, nominal_b`, { id })) {
        links.push({ ...at, ...e, intelligence_only: isIntelligenceOnly(e), label: isIntelligenceOnly(e) ? INTEL_LABEL : e.evidential_class });
      }
      for (const v of await snap.db.all(
        `SELECT * REPLACE (strftime(record_date, '%Y-%m-%d') AS record_date) FROM edge_evidence WHERE nominal_a = $id OR nominal_b = $id
          ORDER BY nominal_a, nominal_b, record_date DESC, record_ref, link_type`, { id })) {
        evidence.push({ handling_code: null, ...at, ...v, label: v.link_type === 'INTEL_ASSOCIATION' ? INTEL_LABEL : v.source });
      }
    }
    if (held.length === 0) {
      throw new HarmnetError('NOT_FOUND', `nominal "${id}" does not appear in any of the ${retained.length} retained snapshot(s) in ${opts.snapshotsDir} — never held, or removed under MOPI retention and its snapshots expired; nothing is held to export`);
    }

    const networkIds = [...new Set(networks.map((r) => String(r.network_id)))];
    const disclosures = readExportLog(opts.snapshotsDir)
      .filter((e) => (e.subject_type === 'nominal' && e.subject_id === id) || (e.subject_type === 'network' && (e.member_ids ?? []).includes(id)))
      .map((e) => ({ ...e, snapshot_ids: e.snapshot_ids.join(' '), how: e.subject_type === 'nominal' ? 'this nominal' : `as a member of network ${e.subject_id}` }));
    const serving = await servingRecords(opts.servingFile, id, networkIds);

    const bundle = new BundleWriter(dir);
    try {
      const latest = figures.at(-1)!;
      const subjectLine = `Subject access: everything held on nominal ${id} in the ${retained.length} retained snapshot(s) (${held.length} of them hold this nominal); exported by ${opts.by} at ${opts.at.toISOString()}.`;
      bundle.add('CAVEATS.txt', caveatsText(subjectLine), 'status of the bundle and the product caveats (dashboards/caveats.ts)');
      addMethodPages(bundle);
      const snapCols = ['snapshot_id', 'as_of'];
      const figureCols = [...snapCols, 'nominal_id', 'display_name', 'date_of_birth', 'sex', 'pnc_id', 'under_18', 'in_custody', 'historic', 'not_ranked', 'harm_band', 'harm_cchi', 'harm_cchi_proven', 'harm_cchi_alleged', 'harm_ons', 'network_id', 'degree', 'pagerank', 'betweenness', 'key_player_impact'];
      bundle.add('data/subject.json', JSON.stringify({ nominal_id: id, snapshots_retained: retained.map((s) => s.snapshot_id), snapshots_holding: held, latest: latest }, null, 2) + '\n', 'which retained snapshots hold this nominal, and the latest figures');
      bundle.add('data/figures.csv', toCsv(figureCols, figures), 'the nominal row in each snapshot');
      bundle.add('data/identities.csv', toCsv([...snapCols, 'source', 'person_ref', 'identity_id', 'match_probability', 'same_person'], identities), 'source identities linked, per snapshot, with Probability Yardstick wording');
      bundle.add('data/harm-explanations.csv', toCsv([...snapCols, ...EXPLANATION_COLUMNS], explanations), 'every record behind the harm score, per snapshot');
      bundle.add('data/networks.csv', toCsv([...snapCols, 'network_id', 'size', 'types', 'harm_cchi', 'lineage_event', 'parent_network_ids'], networks), 'network memberships over time');
      bundle.add('data/links.csv', toCsv([...snapCols, 'nominal_a', 'nominal_b', 'link_types', 'evidential_class', 'intelligence_only', 'label', 'weight', 'evidence_count', 'first_seen', 'last_seen'], links), 'links, per snapshot');
      bundle.add('data/link-evidence.csv', toCsv([...snapCols, 'nominal_a', 'nominal_b', 'link_type', 'label', 'source', 'record_ref', 'record_date', 'handling_code'], evidence), 'source records behind the links, per snapshot');
      bundle.add('data/disclosures.csv', toCsv(['seq', 'at', 'action', 'how', 'subject_type', 'subject_id', 'snapshot_ids', 'by', 'bundle_sha256'], disclosures), 'every harmnet export that included this nominal (export log)');
      bundle.add('data/dashboard-exports.csv', toCsv(['seq', 'logged_at', 'username', 'role', 'subject_type', 'subject_id', 'snapshot_id', 'detail'], serving.exports), 'dashboard CSV exports of this nominal or of a network they were in (audit log)');
      if (serving.matches) bundle.add('data/partner-matches.csv', toCsv(PARTNER_MATCH_COLUMNS, serving.matches), 'partner match requests that found this nominal: who asked, why, on what legal basis, and what was returned');

      const partnerNote = serving.note ?? (serving.matches === null ? 'no partner matches recorded (the serving database has no partner match table)' : `${serving.matches.length} partner match(es) recorded`);
      const body = html`
<p>${subjectLine}</p>
<p id="identity"><strong>${latest.display_name}</strong> · born ${latest.date_of_birth ?? 'unknown'} · nominal <code>${id}</code>${latest.under_18 ? html` · <span class="flag">under 18</span>` : ''}</p>
<p class="small">Source records themselves stay in their source systems; this bundle gives their references (person references, record references) as held in each snapshot. Snapshots that have expired under retention are no longer held and are not included.</p>
<h2>Scores in each snapshot</h2>
${htmlTable('figures', [['as_of', 'As of'], ['snapshot_id', 'Snapshot'], ['harm_band', 'Band'], ['harm_cchi', 'Harm'], ['harm_cchi_proven', 'Proven'], ['harm_cchi_alleged', 'Alleged'], ['network_id', 'Network'], ['not_ranked', 'Not ranked']], figures.map((f) => (f.not_ranked ? { ...f, harm_band: '—', harm_cchi: '—' } : f)), (k, r) => (typeof r[k] === 'number' ? fmtNumber(r[k], 1) : r[k]))}
<h2>Identities linked, and with what confidence</h2>
${htmlTable('identities', [['as_of', 'As of'], ['source', 'Source'], ['person_ref', 'Reference'], ['same_person', 'Same person? (Probability Yardstick)']], identities)}
<h2>Network memberships over time</h2>
${htmlTable('networks', [['as_of', 'As of'], ['network_id', 'Network'], ['size', 'Size'], ['lineage_event', 'Event']], networks)}
<h2>Links</h2>
${htmlTable('links', [['as_of', 'As of'], ['nominal_a', 'Nominal'], ['nominal_b', 'Nominal'], ['link_types', 'Link types'], ['label', 'Class'], ['evidence_count', 'Evidence']], links, (k, r) => (k === 'label' && r.intelligence_only ? html`<span class="intel">${r.label}</span>` : r[k]))}
<h2>Harm explanations</h2><p>${explanations.length} record(s) across all snapshots: see data/harm-explanations.csv (proven, alleged and counted-zero apart in the harm_class column).</p>
<h2>Disclosures and sharing</h2>
${htmlTable('disclosures', [['at', 'When'], ['action', 'Export'], ['how', 'Included as'], ['snapshot_ids', 'Snapshot(s)'], ['by', 'By']], disclosures)}
<h3>Dashboard exports</h3>${htmlTable('dashboard-exports', [['logged_at', 'When'], ['username', 'By'], ['subject_type', 'Subject'], ['subject_id', 'Id'], ['detail', 'What']], serving.exports)}
<h3>Partner matches</h3><p id="partner-matches">${partnerNote}</p>
${serving.matches?.length ? htmlTable('partner-match-rows', [['requested_at', 'When'], ['partner', 'Partner'], ['officer', 'Officer'], ['purpose', 'Purpose'], ['legal_basis', 'Legal basis'], ['status', 'Told'], ['withheld', 'Withheld'], ['harm_band', 'Band returned']], serving.matches) : ''}`;
      bundle.add('index.html', htmlPage(`Subject access — nominal ${id}`, body), 'human-readable view of this bundle (no scripts)');
      const manifest = bundle.finish({
        kind: 'subject-access', subject: { type: 'nominal', id }, created_at: opts.at.toISOString(), created_by: opts.by, code_version: opts.codeVersion,
        snapshots: held.map((s) => snapshotRef(opts.snapshotsDir, s)),
      });
      const logged = appendExportEvent(opts.snapshotsDir, {
        action: 'subject_access', subject_type: 'nominal', subject_id: id, snapshot_ids: held, by: opts.by, bundle_sha256: manifest.bundle_sha256,
      }, opts.at);
      bundle.commit();
      return { dir, manifest, logged };
    } catch (e) {
      bundle.discard();
      throw e;
    }
  } finally {
    await store.close();
  }
}
