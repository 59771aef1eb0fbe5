// Snapshots: every complete weekly snapshot with its as-of date, inputs' status and row counts, links to
// the overview as it stood then, re-verification, a diff between any two, and CPIA disclosure bundles (lab, auditors).

import type { FastifyRequest } from 'fastify';
import { HarmnetError, isHarmnetError } from '../../pipelines/core/errors.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { diffSnapshots, type EntityDiff } from '../../pipelines/snapshot/diff-snapshots.ts';
import { fmtNumber, html, qs } from '../html.ts';
import type { Deps } from '../server.ts';
import { canOpen, csrfField, page, sourcesNotLoaded } from './layout.ts';
import { exportDisclosure } from '../../pipelines/export/export-disclosure.ts';
import { codeVersion } from '../../pipelines/core/code-version.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';
import { tarGz } from '../tar-gz.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Disclosure bundles made for download, by token: kept in memory for their maker for an hour, at most DISCLOSURE_KEEP. */
interface MadeBundle { username: string; type: string; id: string; snapshotId: string; filename: string; bytes: Buffer; sha256: string; until: number }
const made = new Map<string, MadeBundle>();
const DISCLOSURE_KEEP = 20;
const DISCLOSURE_TTL_MS = 3600_000;
const SUBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Makes a CPIA disclosure bundle (pipelines/export/export-disclosure.ts, the same as `harmnet export
 * disclosure`: verified snapshot, export log, hashed files) for one nominal or network of a snapshot,
 * packs it as one .tar.gz for its maker to download, and audits it as an export. Returns the download path.
 */
export async function makeDisclosure(deps: Deps, request: FastifyRequest, snapshotId: string, form: Record<string, string | undefined>): Promise<string> {
  const type = form.subject_type;
  const id = String(form.subject_id ?? '').trim();
  if (type !== 'nominal' && type !== 'network') throw new HarmnetError('INPUT_INVALID', 'choose whether the bundle is for a nominal or a network');
  if (!SUBJECT_ID.test(id)) throw new HarmnetError('INPUT_INVALID', `give the ${type} id exactly as shown on its page (letters, digits, - _ . :), got "${id.slice(0, 40)}"`);
  const snap = await deps.store.open(snapshotId); // SNAPSHOT_NOT_FOUND for an unknown id
  const a = request.auth!;
  const work = mkdtempSync(path.join(os.tmpdir(), 'harmnet-disclosure-'));
  try {
    const out = path.join(work, 'bundle');
    const at = deps.clock();
    const r = await exportDisclosure({
      snapshotsDir: deps.store.snapshotsDir, snapshotId: snap.info.snapshot_id, subject: { type, id }, outDir: out,
      by: `${a.user.username} (${a.role}, dashboards)`, at, codeVersion: codeVersion(),
    });
    const root = `disclosure-${type}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}-${snap.info.snapshot_id}`;
    const bytes = tarGz(out, root, Math.floor(at.getTime() / 1000));
    await deps.audit(request, { action: 'export', subjectType: type, subjectId: id, snapshotId: snap.info.snapshot_id, detail: `disclosure bundle ${r.manifest.bundle_sha256}` });
    const now = Date.now();
    for (const [k, v] of made) if (v.until < now) made.delete(k);
    while (made.size >= DISCLOSURE_KEEP) made.delete(made.keys().next().value!);
    const token = randomBytes(18).toString('base64url');
    made.set(token, { username: a.user.username, type, id, snapshotId: snap.info.snapshot_id, filename: `${root}.tar.gz`, bytes, sha256: r.manifest.bundle_sha256, until: now + DISCLOSURE_TTL_MS });
    return `/disclosures/${token}`;
  } finally {
    removeTree(work);
  }
}

/** The bundle made by this user under `token` (404 for anyone else, or once expired); each download audited. */
export async function downloadDisclosure(deps: Deps, request: FastifyRequest, token: string): Promise<{ filename: string; bytes: Buffer }> {
  const b = made.get(token);
  if (!b || b.username !== request.auth!.user.username || b.until < Date.now()) throw new HarmnetError('NOT_FOUND', 'no such disclosure bundle (they are kept for an hour for the person who made them); make it again from the snapshots page');
  await deps.audit(request, { action: 'export', subjectType: b.type, subjectId: b.id, snapshotId: b.snapshotId, detail: `disclosure bundle ${b.sha256} downloaded` });
  return { filename: b.filename, bytes: b.bytes };
}

export async function snapshotsPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const showLinks = canOpen(ctx.role, '/overview');
  const canDisclose = canOpen(ctx.role, '/snapshots/:id/disclosure', 'POST');
  const body = html`<p>Each snapshot is the frozen output of one weekly run and is never modified: any past view can be reproduced from it.</p>
<table class="data" id="snapshots-table"><thead><tr><th>Snapshot</th><th>As of</th><th>Created</th><th>Previous</th><th>Sources not loaded</th><th>Nominals</th><th>Networks</th><th>Integrity</th><th>Change</th></tr></thead>
<tbody>${ctx.snapshots.map((s) => {
    const missing = sourcesNotLoaded(s);
    return html`<tr><td>${showLinks ? html`<a href="/overview${qs({ snapshot: s.snapshot_id })}">${s.snapshot_id}</a>` : s.snapshot_id}</td><td>${s.as_of}</td><td>${s.created_at}</td><td>${s.previous_snapshot_id ?? '—'}</td>
<td>${missing.length ? missing.map((m) => `${m.source} (${m.status})`).join(', ') : 'none'}</td><td class="num">${fmtNumber(s.tables.nominals?.rows, 0)}</td><td class="num">${fmtNumber(s.tables.networks?.rows, 0)}</td>
<td><a href="/snapshots/${encodeURIComponent(s.snapshot_id)}/verify">verify</a></td>
<td>${s.previous_snapshot_id && showLinks ? html`<a href="/snapshots/diff${qs({ a: s.previous_snapshot_id, b: s.snapshot_id })}">since previous</a>` : ''}</td></tr>`;
  })}</tbody></table>
${ctx.snapshots.length === 0 ? html`<p>No snapshots yet: run the weekly job (<code>harmnet run</code>).</p>` : ''}
${canDisclose && ctx.snapshot ? html`<section class="panel" id="disclosure"><h2>Disclosure bundle (CPIA)</h2>
<p class="small">What the dashboard showed for one nominal or network at one snapshot — figures, harm explained to source records,
links with evidence, charts, method pages and caveats — hashed and logged, as <code>harmnet export disclosure</code> makes it.
The bundle is Sensitive Material: consult Force Intelligence before any disclosure and share it only with a legal basis.
Every bundle made and downloaded is in the audit log and the export log.</p>
<form method="post" action="/snapshots/${encodeURIComponent(ctx.snapshot.snapshot_id)}/disclosure" class="disclosure">${csrfField(ctx)}
<label>Snapshot <strong>${ctx.snapshot.snapshot_id}</strong> (as of ${ctx.snapshot.as_of})</label>
<label>For <select name="subject_type"><option value="nominal">a nominal</option><option value="network">a network</option></select></label>
<label>Id <input name="subject_id" required maxlength="128" placeholder="e.g. N00000005"></label>
<button type="submit" id="make-disclosure">Make and download the bundle (.tar.gz)</button></form>
</section>` : ''}`;
  return page(ctx, 'Snapshots', body);
}

/** Re-hashes every file of one snapshot against its manifest (pipelines/snapshot verifySnapshot). */
export async function verifyPage(deps: Deps, request: FastifyRequest, id: string): Promise<string> {
  const ctx = await deps.pageContext(request, id);
  let result;
  try {
    const r = await verifySnapshot(deps.store.snapshotsDir, id);
    result = html`<p id="verify-result" class="ok"><strong>Verified</strong>: ${r.files} files, ${fmtNumber(r.bytes, 0)} bytes, every hash matches the manifest.</p>`;
  } catch (e) {
    if (!isHarmnetError(e) || e.code !== 'SNAPSHOT_TAMPERED') throw e;
    result = html`<p id="verify-result" class="broken"><strong>FAILED</strong>: ${e.message}. Do not rely on this snapshot; tell the analytics lab.</p>`;
  }
  return page(ctx, `Verify snapshot ${id}`, html`${result}<p><a href="/snapshots">All snapshots</a></p>`);
}

function entityTable(d: EntityDiff, label: string, link: (id: string) => string) {
  const rows = [...d.added.map((c) => ({ c, kind: 'added' })), ...d.removed.map((c) => ({ c, kind: 'removed' })), ...d.changed.map((c) => ({ c, kind: 'changed' }))]
    .sort((x, y) => Math.abs(Number(y.c.harm_delta ?? 0)) - Math.abs(Number(x.c.harm_delta ?? 0)) || x.c.id.localeCompare(y.c.id))
    .slice(0, 25);
  return html`<h2>${label}</h2>
<p>${d.status === 'absent' ? `not compared: missing in ${d.absent_in.join(', ')}` : `${d.counts.added} added, ${d.counts.removed} removed, ${d.counts.changed} changed, ${d.counts.rank_moved} moved in rank, ${d.counts.unchanged} unchanged.`}</p>
${rows.length ? html`<table class="data"><thead><tr><th>${label === 'Networks' ? 'Network' : 'Nominal'}</th><th>Change</th><th>Harm before</th><th>Harm after</th><th>Difference</th><th>Fields changed</th></tr></thead>
<tbody>${rows.map(({ c, kind }) => html`<tr><td><a href="${link(c.id)}">${c.id}</a></td><td>${kind}</td><td class="num">${fmtNumber(c.harm_before)}</td><td class="num">${fmtNumber(c.harm_after)}</td><td class="num">${fmtNumber(c.harm_delta)}</td><td>${c.changed_fields.join(', ')}</td></tr>`)}</tbody></table>
<p class="small">The 25 largest changes in harm. Ranks and bands of victims and witnesses are never shown.</p>` : ''}`;
}

/** What changed between two snapshots (pipelines/snapshot diffSnapshots), largest harm changes first. */
export async function diffPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.b ?? null);
  const a = query.a;
  const b = ctx.snapshot!.snapshot_id;
  if (!a) throw new HarmnetError('INPUT_INVALID', 'choose the earlier snapshot to compare with (a=…)');
  await deps.store.open(a); // SNAPSHOT_NOT_FOUND for an unknown id
  const d = await deps.memo.get(`diff|${a}|${b}`, () => diffSnapshots(deps.store.snapshotsDir, a, b, { limit: 200 }));
  const body = html`<p>From <strong>${d.before.snapshot_id}</strong> (as of ${d.before.as_of}) to <strong>${d.after.snapshot_id}</strong> (as of ${d.after.as_of}).</p>
<p id="diff-inputs">Inputs changed: ${d.inputs_changed.join(', ') || 'none'} · configuration changed: ${d.config_changed.join(', ') || 'none'} · reference tables changed: ${d.reference_tables_changed.join(', ') || 'none'}.</p>
${entityTable(d.networks, 'Networks', (id) => `/networks/${encodeURIComponent(id)}${qs({ snapshot: b })}`)}
${entityTable(d.nominals, 'Nominals', (id) => `/nominals/${encodeURIComponent(id)}${qs({ snapshot: b })}`)}`;
  return page(ctx, 'What changed between two snapshots', body);
}
