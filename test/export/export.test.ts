// Disclosure and subject-access bundles over two real snapshots (written by writeSnapshot from warehouse
// rows): every file hashed, charts as SVG, caveats, intelligence labels, verify, tamper detection, bad input.

import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAVEATS } from '../../dashboards/caveats.ts';
import { Db } from '../../pipelines/core/db.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';
import { BUNDLE_MANIFEST, verifyBundle, type BundleManifest } from '../../pipelines/export/bundle.ts';
import { exportDisclosure } from '../../pipelines/export/export-disclosure.ts';
import { EXPORT_LOG, readExportLog } from '../../pipelines/export/export-log.ts';
import { exportSubjectAccess } from '../../pipelines/export/export-subject-access.ts';
import { ensurePartnerLog } from '../../pipelines/match/partner-log.ts';
import { main as exportMain } from '../../pipelines/cli/commands/export.ts';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeTwoWeeks } from './fixture-warehouse.ts';

const AT = new Date('2026-11-20T10:00:00Z');
let root: string;
let snapshots: string;
let ids: { week1: string; week2: string };

beforeAll(async () => {
  const ctx = await freshContext();
  root = ctx.root;
  snapshots = ctx.config.paths.snapshots;
  ids = await writeTwoWeeks(ctx);
  ctx.db.close();
}, 60_000);
afterAll(() => removeDir(root));

let n = 0;
const outDir = () => path.join(root, `out-${++n}`);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}
function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  // fixture values hold no quoted commas except link_types, which are single-valued here
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}
async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(isHarmnetError(e, code as never), `expected HarmnetError ${code}, got ${String(e)}`).toBe(true);
  expect((e as Error).message).toMatch(message);
  expect((e as Error).message).not.toContain('\n');
}
const disclose = (subject: { type: 'nominal' | 'network'; id: string }, out = outDir(), snapshotId = ids.week2) =>
  exportDisclosure({ snapshotsDir: snapshots, snapshotId, subject, outDir: out, by: 'DC Tester', at: AT, codeVersion: 'test' });

describe('disclosure bundle for a nominal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = (await disclose({ type: 'nominal', id: 'N1' })).dir;
  }, 60_000);

  it('lists every file in the manifest with its sha256, and SHA256SUMS agrees', () => {
    const m = manifestOf(dir);
    const onDisk = filesUnder(dir).filter((f) => f !== 'manifest.json' && f !== 'SHA256SUMS').sort();
    expect(m.files.map((f) => f.path)).toEqual(onDisk);
    for (const f of m.files) expect(f.sha256, f.path).toBe(sha(path.join(dir, f.path)));
    const sums = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${sha(path.join(dir, 'manifest.json'))}  manifest.json\n`);
    expect(sums.trim().split('\n')).toHaveLength(m.files.length + 1);
    expect(onDisk).toEqual(expect.arrayContaining([
      'index.html', 'CAVEATS.txt', 'charts/nominal-harm-trend.svg', 'charts/nominal-harm-trend.vl.json', 'data/harm-explanations.csv',
      'data/identities.csv', 'data/links.csv', 'data/link-evidence.csv', 'methodology/harm-scoring.md', 'methodology/networks-and-influence.md',
      'methodology/entity-resolution.md', 'methodology/snapshots.md', 'methodology/disclosure.md',
    ]));
  });

  it('ties the bundle to the snapshot id and its table hashes', () => {
    const m = manifestOf(dir);
    const snap = JSON.parse(readFileSync(path.join(snapshots, ids.week2, 'manifest.json'), 'utf8')) as { tables: Record<string, { sha256: string }> };
    expect(m.snapshots).toHaveLength(1);
    expect(m.snapshots[0]!.snapshot_id).toBe(ids.week2);
    expect(m.snapshots[0]!.tables.nominals!.sha256).toBe(snap.tables.nominals!.sha256);
    expect(Object.keys(m.snapshots[0]!.tables).sort()).toEqual(Object.keys(snap.tables).sort());
    expect(m.created_by).toBe('DC Tester');
  });

  it('explains harm record by record, proven, alleged and counted zero apart', () => {
    const rows = csvRows(path.join(dir, 'data/harm-explanations.csv'));
    expect(rows.map((r) => [r.record_ref, r.harm_class, r.cchi_days, r.decay_factor, r.outcome_factor, r.contribution_cchi])).toEqual([
      ['CR-2', 'alleged', '100', '0.8', '0.5', '40'],
      ['CR-3', 'counted zero', '50', '0.9', '0', '0'],
      ['CR-1', 'proven', '365', '0.5', '1', '182.5'],
    ]);
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toMatch(/<table id="harm-proven">[\s\S]*CR-1[\s\S]*<\/table>/);
    expect(index).toMatch(/<table id="harm-alleged">[\s\S]*CR-2[\s\S]*<\/table>/);
    expect(index).toContain('headline 222.5 CCHI days · proven 182.5 · alleged 80');
  });

  it('labels the intelligence-only link "intelligence — not evidence" in the CSV and the page', () => {
    const links = csvRows(path.join(dir, 'data/links.csv'));
    expect(links.find((l) => l.nominal_b === 'N4')!.label).toBe('intelligence — not evidence');
    expect(links.find((l) => l.nominal_b === 'N2')!.label).toBe('recorded crime');
    const evidence = csvRows(path.join(dir, 'data/link-evidence.csv'));
    expect(evidence.find((e) => e.record_ref === 'INT-7')!.label).toBe('intelligence — not evidence');
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('<span class="intel">intelligence — not evidence</span>');
  });

  it('words identity matches with the Probability Yardstick', () => {
    const rows = csvRows(path.join(dir, 'data/identities.csv'));
    expect(rows.map((r) => [r.person_ref, r.match_probability, r.same_person])).toEqual([['CN-001', '0.99', 'Almost Certain'], ['CU-001', '0.6', 'Likely or Probable']]);
  });

  it('renders the chart as SVG server-side and carries the caveats', () => {
    const svg = readFileSync(path.join(dir, 'charts/nominal-harm-trend.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Recorded harm of this nominal');
    const caveats = readFileSync(path.join(dir, 'CAVEATS.txt'), 'utf8');
    for (const c of CAVEATS) expect(caveats).toContain(c.text);
    expect(caveats).toContain('Sensitive Unused Material');
    expect(caveats).toContain('MG6D');
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toContain('Consult Force Intelligence before any disclosure');
    expect(index).not.toMatch(/<script/i);
  });

  it('index.html matches its reviewed snapshot file', async () => {
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8').replaceAll(ids.week2, '<SNAPSHOT_ID>').replaceAll(ids.week1, '<WEEK1_ID>');
    await expect(index).toMatchFileSnapshot('./__snapshots__/disclosure-nominal-index.html');
  });

  it('verifies, then names the file when one byte changes', async () => {
    const ok = await verifyBundle(dir, { snapshotsDir: snapshots });
    expect(ok.snapshots).toEqual([{ snapshot_id: ids.week2, status: 'matches' }]);
    const file = path.join(dir, 'data/links.csv');
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 1;
    writeFileSync(file, bytes);
    await rejects(verifyBundle(dir, { snapshotsDir: snapshots }), 'BUNDLE_TAMPERED', /data\/links\.csv has changed/);
  });
});

describe('disclosure bundle for a network', () => {
  let dir: string;
  beforeAll(async () => {
    dir = (await disclose({ type: 'network', id: 'NET-1' })).dir;
  }, 60_000);

  it('ranks members by harm, never ranks the victim, flags the under-18 and keeps them out of key players', () => {
    const members = csvRows(path.join(dir, 'data/members.csv'));
    expect(members.map((m) => [m.rank_in_network, m.rank_change, m.nominal_id, m.harm_band, m.under_18, m.not_ranked])).toEqual([
      ['1', 'same', 'N1', 'B', 'false', 'false'], // same order in week 1, so no rank moved
      ['2', 'same', 'N2', 'C', 'true', 'false'],
      ['3', 'same', 'N4', 'C', 'false', 'false'],
      ['', '', 'N3', '', 'false', 'true'],
    ]);
    const subject = JSON.parse(readFileSync(path.join(dir, 'data/subject.json'), 'utf8')) as { key_players: string[]; lineage: { harm_cchi: number }[] };
    expect(subject.key_players).toEqual(['N1', 'N4']); // N2 has the higher impact but is under 18
    expect(subject.lineage.map((l) => l.harm_cchi)).toEqual([230, 254.5]);
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toMatch(/<table id="members-unranked">[\s\S]*N3[\s\S]*safeguarding only — not ranked/);
  });

  it('index.html matches its reviewed snapshot file', async () => {
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8').replaceAll(ids.week2, '<SNAPSHOT_ID>').replaceAll(ids.week1, '<WEEK1_ID>');
    await expect(index).toMatchFileSnapshot('./__snapshots__/disclosure-network-index.html');
  });

  it("uses the dashboard's network-harm-trend spec for its SVG chart and verifies", async () => {
    const svg = readFileSync(path.join(dir, 'charts/network-harm-trend.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*data-chart="network-harm-trend"/);
    const spec = readFileSync(path.join(dir, 'charts/network-harm-trend.vl.json'), 'utf8');
    expect(JSON.parse(spec)).toEqual(JSON.parse(readFileSync(path.join(import.meta.dirname, '../../dashboards/charts/network-harm-trend.vl.json'), 'utf8')));
    expect((await verifyBundle(dir, { snapshotsDir: snapshots })).files).toBe(manifestOf(dir).files.length);
  });

  it('fails verify on an edited manifest, an extra file, and a removed file', async () => {
    const m = manifestOf(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'added later');
    await rejects(verifyBundle(dir), 'BUNDLE_TAMPERED', /notes\.txt is not in the manifest/);
    writeFileSync(path.join(dir, BUNDLE_MANIFEST), JSON.stringify({ ...m, subject: { type: 'network', id: 'NET-2' } }, null, 2) + '\n');
    await rejects(verifyBundle(dir), 'BUNDLE_TAMPERED', /manifest\.json was edited/);
  });
});

describe('disclosure bundle edge cases', () => {
  it('a victim-only nominal: not scored, never ranked, no harm tables or chart', async () => {
    const { dir, manifest } = await disclose({ type: 'nominal', id: 'N3' });
    expect(manifest.files.map((f) => f.path)).not.toContain('charts/nominal-harm-trend.svg');
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toContain('Not scored and never ranked');
    expect(index).not.toContain('id="harm-proven"');
    const subject = JSON.parse(readFileSync(path.join(dir, 'data/subject.json'), 'utf8')) as { nominal: Record<string, unknown> };
    expect(subject.nominal).toMatchObject({ not_ranked: true, harm_band: null, harm_rank: null, harm_cchi: null });
    expect(readFileSync(path.join(dir, 'data/harm-explanations.csv'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('an under-18 is flagged', async () => {
    const { dir } = await disclose({ type: 'nominal', id: 'N2' });
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toMatch(/<p id="flags"><span class="flag">under 18<\/span>/);
  });

  it('checks with coreutils sha256sum alone, and says when the snapshot is no longer retained', async () => {
    const { dir } = await disclose({ type: 'nominal', id: 'N4' });
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: dir }).toString()).toMatch(/index\.html: OK/);
    const elsewhere = path.join(root, 'no-snapshots-here');
    expect((await verifyBundle(dir, { snapshotsDir: elsewhere })).snapshots).toEqual([{ snapshot_id: ids.week2, status: 'not retained' }]);
  });

  it('a snapshot changed after the export is caught by verify', async () => {
    const other = await freshContext();
    const two = await writeTwoWeeks(other);
    other.db.close();
    const otherSnaps = other.config.paths.snapshots;
    const { dir } = await exportDisclosure({ snapshotsDir: otherSnaps, snapshotId: two.week2, subject: { type: 'nominal', id: 'N1' }, outDir: path.join(other.root, 'o'), by: 'x', at: AT, codeVersion: 't' });
    const { chmodSync } = await import('node:fs');
    const folder = path.join(otherSnaps, two.week2);
    chmodSync(folder, 0o755);
    const file = path.join(folder, 'edges.parquet');
    chmodSync(file, 0o644);
    const bytes = readFileSync(file);
    bytes[20] = bytes[20]! ^ 1;
    writeFileSync(file, bytes);
    await rejects(verifyBundle(dir, { snapshotsDir: otherSnaps }), 'BUNDLE_TAMPERED', /snapshot .* does not verify: .*edges\.parquet has changed/);
    removeDir(other.root);
  }, 60_000);
});

describe("the dashboards' own fixture snapshots (another column set: victim_only, list-free link_types)", () => {
  it('exports and verifies; the victim-only nominal is not ranked, the under-18 flagged, the intelligence link labelled', async () => {
    const { writeFixtureSnapshots } = await import('../dashboards/fixture-snapshot.ts');
    const dir = path.join(root, 'dash-snaps');
    const fx = await writeFixtureSnapshots(dir);
    const opts = { snapshotsDir: dir, snapshotId: fx.new, by: 'x', at: AT, codeVersion: 't' };
    const net = await exportDisclosure({ ...opts, subject: { type: 'network', id: 'NET-1' }, outDir: path.join(root, 'dash-net') });
    const members = csvRows(path.join(net.dir, 'data/members.csv'));
    expect(members.map((m) => [m.rank_in_network, m.nominal_id, m.not_ranked])).toEqual([
      ['1', 'N1', 'false'], ['2', 'N2', 'false'], ['3', 'N3', 'false'], ['4', 'N4', 'false'], ['', 'N5', 'true'],
    ]);
    expect(members.find((m) => m.nominal_id === 'N3')!.under_18).toBe('true');
    expect(csvRows(path.join(net.dir, 'data/links.csv')).find((l) => l.nominal_b === 'N3')!.label).toBe('intelligence — not evidence');
    const victim = await exportDisclosure({ ...opts, subject: { type: 'nominal', id: 'N5' }, outDir: path.join(root, 'dash-n5') });
    expect(readFileSync(path.join(victim.dir, 'index.html'), 'utf8')).toContain('Not scored and never ranked');
    expect((await verifyBundle(net.dir, { snapshotsDir: dir })).snapshots[0]!.status).toBe('matches');
  }, 60_000);
});

describe('export log', () => {
  it('records each export, hash-chained, with ids but no names', async () => {
    const before = readExportLog(snapshots).length;
    await disclose({ type: 'nominal', id: 'N4' });
    const log = readExportLog(snapshots);
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)).toMatchObject({ action: 'disclosure', subject_type: 'nominal', subject_id: 'N4', snapshot_ids: [ids.week2], by: 'DC Tester', at: AT.toISOString() });
    const text = readFileSync(path.join(snapshots, EXPORT_LOG), 'utf8');
    expect(text).not.toMatch(/ADAMS|BROWN|DAVIS|CLARK/);
  });

  it('an edited log line breaks the chain, named by line', async () => {
    const copy = path.join(root, 'log-copy');
    mkdirSync(copy);
    const lines = readFileSync(path.join(snapshots, EXPORT_LOG), 'utf8').split('\n');
    lines[0] = lines[0]!.replace('DC Tester', 'Someone Else');
    writeFileSync(path.join(copy, EXPORT_LOG), lines.join('\n'));
    const e = (() => { try { readExportLog(copy); return null; } catch (err) { return err; } })();
    expect(isHarmnetError(e, 'AUDIT_CHAIN_BROKEN')).toBe(true);
    expect((e as Error).message).toMatch(/line 2: the hash chain is broken/);
  });

  it('a network disclosure records its members, so their subject access lists it', async () => {
    const log = readExportLog(snapshots);
    expect(log.find((e) => e.subject_type === 'network')!.member_ids).toEqual(['N1', 'N2', 'N4', 'N3']);
  });
});

describe('subject access', () => {
  it('covers every retained snapshot that holds the nominal, with disclosures and no partner matches', async () => {
    await disclose({ type: 'nominal', id: 'N1', }, outDir(), ids.week1);
    const serving = path.join(root, 'serving.duckdb');
    const r = await exportSubjectAccess({ snapshotsDir: snapshots, nominalId: 'N1', outDir: outDir(), by: 'DPO', at: AT, codeVersion: 'test', servingFile: serving });
    expect(r.manifest.snapshots.map((s) => s.snapshot_id)).toEqual([ids.week1, ids.week2]);
    const figures = csvRows(path.join(r.dir, 'data/figures.csv'));
    expect(figures.map((f) => [f.as_of, f.harm_cchi, f.network_id])).toEqual([['2026-11-09', '222.5', 'NET-1'], ['2026-11-16', '222.5', 'NET-1']]);
    expect(csvRows(path.join(r.dir, 'data/networks.csv')).map((x) => [x.as_of, x.network_id, x.harm_cchi])).toEqual([['2026-11-09', 'NET-1', '230'], ['2026-11-16', 'NET-1', '254.5']]);
    const identities = csvRows(path.join(r.dir, 'data/identities.csv'));
    expect(identities).toHaveLength(4);
    const disclosures = csvRows(path.join(r.dir, 'data/disclosures.csv'));
    expect(disclosures.map((d) => [d.action, d.subject_id, d.snapshot_ids])).toEqual([
      ['disclosure', 'N1', ids.week2], ['disclosure', 'NET-1', ids.week2], ['disclosure', 'N1', ids.week1],
    ]);
    expect(disclosures[1]!.how).toBe('as a member of network NET-1');
    expect(readFileSync(path.join(r.dir, 'index.html'), 'utf8')).toMatch(/id="partner-matches">no serving database at .*: no dashboard exports or partner matches recorded/);
    expect(existsSync(path.join(r.dir, 'data/partner-matches.csv'))).toBe(false);
    expect((await verifyBundle(r.dir, { snapshotsDir: snapshots })).snapshots.map((s) => s.status)).toEqual(['matches', 'matches']);
    expect(readExportLog(snapshots).at(-1)).toMatchObject({ action: 'subject_access', subject_id: 'N1', snapshot_ids: [ids.week1, ids.week2], by: 'DPO' });
  });

  it('reads partner matches and dashboard exports from the serving database when they exist', async () => {
    const serving = path.join(root, 'serving-with-matches.duckdb');
    const db = await Db.open(serving);
    await ensurePartnerLog(db); // the match service's own tables
    await db.run(`INSERT INTO partner_request (request_id, requested_at, partner, officer, purpose, legal_basis, channel, row_count, snapshot_id, status)
      VALUES ('PM-20261117-000001', TIMESTAMP '2026-11-17 12:00:00', 'ROCU', 'DS Partner', 'operation check', 'DPA2018-S35', 'api', 2, $s, 'COMPLETED')`, { s: ids.week2 });
    await db.run(`INSERT INTO partner_match_row (request_id, line, row_ref, status, nominal_id, probability, confidence, in_network, harm_cchi, harm_band)
      VALUES ('PM-20261117-000001', 1, 'R-1', 'MATCH', 'N1', 0.99, 'Almost Certain', true, 222.5, 'B'),
             ('PM-20261117-000001', 2, 'R-2', 'MATCH', 'N4', 0.97, 'Almost Certain', true, 12, 'C')`);
    await db.runFile(path.join(import.meta.dirname, '../../dashboards/queries/serving-schema.sql')); // the server's own audit_log
    await db.run(`INSERT INTO audit_log (seq, logged_at, username, role, action, subject_type, subject_id, snapshot_id, detail, prev_hash, hash)
      VALUES (1, TIMESTAMP '2026-11-18 09:00:00', 'analyst1', 'analyst', 'export', 'network', 'NET-1', $s, 'members csv', 'x', 'y'),
             (2, TIMESTAMP '2026-11-18 09:05:00', 'analyst1', 'analyst', 'export', 'network', 'NET-9', $s, 'members csv', 'y', 'z'),
             (3, TIMESTAMP '2026-11-18 09:06:00', 'analyst1', 'analyst', 'view_nominal', 'nominal', 'N1', $s, NULL, 'z', 'w')`, { s: ids.week2 });
    db.close();
    const r = await exportSubjectAccess({ snapshotsDir: snapshots, nominalId: 'N1', outDir: outDir(), by: 'DPO', at: AT, codeVersion: 'test', servingFile: serving });
    expect(csvRows(path.join(r.dir, 'data/partner-matches.csv')).map((x) => [x.request_id, x.requested_at, x.partner, x.legal_basis, x.row_ref, x.status, x.harm_band]))
      .toEqual([['PM-20261117-000001', '2026-11-17T12:00:00', 'ROCU', 'DPA2018-S35', 'R-1', 'MATCH', 'B']]);
    expect(readFileSync(path.join(r.dir, 'index.html'), 'utf8')).toContain('1 partner match(es) recorded');
    expect(csvRows(path.join(r.dir, 'data/dashboard-exports.csv')).map((x) => x.subject_id)).toEqual(['NET-1']);
  });

  it('includes a nominal held only in an older retained snapshot', async () => {
    const r = await exportSubjectAccess({ snapshotsDir: snapshots, nominalId: 'N9', outDir: outDir(), by: 'DPO', at: AT, codeVersion: 'test' });
    expect(r.manifest.snapshots.map((s) => s.snapshot_id)).toEqual([ids.week1]);
  });
});

describe('bad input gives one clear line', () => {
  it('unknown nominal: held in no retained snapshot (MOPI removal)', async () => {
    await rejects(disclose({ type: 'nominal', id: 'N404' }), 'NOT_FOUND', /nominal "N404" does not appear in any retained snapshot/);
    await rejects(exportSubjectAccess({ snapshotsDir: snapshots, nominalId: 'N404', outDir: outDir(), by: 'DPO', at: AT, codeVersion: 'test' }), 'NOT_FOUND', /nominal "N404" does not appear in any of the 2 retained snapshot\(s\)/);
  });

  it('a nominal removed before this snapshot says where it still is', async () => {
    await rejects(disclose({ type: 'nominal', id: 'N9' }), 'NOT_FOUND', new RegExp(`nominal "N9" is not in snapshot ${ids.week2}; it is in 1 other retained snapshot\\(s\\), e\\.g\\. ${ids.week1}`));
  });

  it('unknown network and unknown snapshot', async () => {
    await rejects(disclose({ type: 'network', id: 'NET-404' }), 'NOT_FOUND', /network "NET-404" does not appear in any retained snapshot/);
    await rejects(disclose({ type: 'nominal', id: 'N1' }, outDir(), '2026-01-05-000000000000'), 'SNAPSHOT_NOT_FOUND', /snapshot "2026-01-05-000000000000" not found/);
  });

  it('out dir not empty: refused, and what is there is untouched; nothing left behind on refusal', async () => {
    const out = outDir();
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    await rejects(disclose({ type: 'nominal', id: 'N1' }, out), 'INPUT_INVALID', /is not empty; expected an empty or new folder/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    const fresh = outDir();
    await rejects(disclose({ type: 'nominal', id: 'N404' }, fresh), 'NOT_FOUND', /N404/);
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]); // no work folder left behind
  });

  it('a tampered snapshot is refused before anything is written', async () => {
    const other = await freshContext();
    const two = await writeTwoWeeks(other);
    other.db.close();
    appendFileSync(path.join(other.config.paths.snapshots, two.week2, 'x.parquet'), 'extra');
    await rejects(exportDisclosure({ snapshotsDir: other.config.paths.snapshots, snapshotId: two.week2, subject: { type: 'nominal', id: 'N1' }, outDir: path.join(other.root, 'o'), by: 'x', at: AT, codeVersion: 't' }), 'SNAPSHOT_TAMPERED', /x\.parquet is not in the manifest/);
    removeDir(other.root);
  }, 60_000);
});

describe('harmnet export (command)', () => {
  it('disclosure, verify, and a tampered bundle exits 4 naming the file; --by is required', async () => {
    const out = outDir();
    const write = process.stdout.write;
    const printed: string[] = [];
    process.stdout.write = ((s: string) => (printed.push(String(s)), true)) as typeof process.stdout.write;
    try {
      expect(await exportMain(['disclosure', '--network', 'NET-1', '--snapshot', 'latest', '--out', out, '--by', 'DC Tester', '--snapshots', snapshots, '--json'])).toBe(0);
      expect(JSON.parse(printed.at(-1)!)).toMatchObject({ snapshot_id: ids.week2, dir: path.resolve(out) });
      expect(await exportMain(['verify', out, '--snapshots', snapshots])).toBe(0);
      expect(printed.at(-1)).toMatch(/^bundle OK: disclosure of network NET-1/);
    } finally {
      process.stdout.write = write;
    }
    writeFileSync(path.join(out, 'CAVEATS.txt'), 'nothing to see');
    const e = await exportMain(['verify', out]).then(() => null, (err: unknown) => err);
    expect(isHarmnetError(e, 'BUNDLE_TAMPERED') && e.exitCode).toBe(4);
    expect((e as Error).message).toMatch(/CAVEATS\.txt has changed/);
    await rejects(exportMain(['disclosure', '--nominal', 'N1', '--snapshot', 'latest', '--out', outDir(), '--snapshots', snapshots]), 'USAGE', /--by is required/);
    await rejects(exportMain(['bogus']), 'USAGE', /unknown subcommand "bogus"/);

    await rejects(exportMain(['disclosure', '--nominal', 'N1', '--network', 'NET-1', '--snapshot', 'latest', '--out', outDir(), '--by', 'x', '--snapshots', snapshots]), 'USAGE', /exactly one of --nominal ID or --network ID/);
  }, 60_000);
});
