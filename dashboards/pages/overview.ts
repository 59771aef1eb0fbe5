// Overview (tasking): harm trend by network type, networks by harm with change, new/split/merged
// networks, alerts, band A/B releases from prison due, and data freshness per source.

import type { FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtNumber, html, trusted } from '../html.ts';
import { renderChartSvg } from '../chart-render.ts';
import type { Deps } from '../server.ts';
import { canOpen, page } from './layout.ts';
import { bandCell, networkLink, nominalLink, snapshotHistory } from './common.ts';
import { networkRows } from './networks.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const HARM_BY_TYPE_SQL = readFileSync(path.join(here, '..', 'queries', 'harm-by-network-type.sql'), 'utf8');

export async function overviewPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const snap = ctx.snap!;
  const sid = snap.info.snapshot_id;
  const history = await snapshotHistory(deps.store, snap.info, 12);
  const chart = await deps.memo.get(`chart|harm-trend-by-network-type|${history.map((h) => h.info.snapshot_id).join(',')}`, async () => {
    const trend: Record<string, unknown>[] = [];
    for (const h of history) {
      for (const r of await h.db.all(HARM_BY_TYPE_SQL)) trend.push({ as_of: h.info.as_of, network_type: r.network_type, harm_cchi: r.harm_cchi });
    }
    return renderChartSvg('harm-trend-by-network-type', trend);
  });
  const networks = await networkRows(deps, snap);
  const byHarm = [...networks].sort((a, b) => Number(b.harm_cchi ?? 0) - Number(a.harm_cchi ?? 0)).slice(0, 10);
  const rising = networks.filter((n) => n.harm_change !== null && Number(n.harm_change) > 0).sort((a, b) => Number(b.harm_change) - Number(a.harm_change)).slice(0, 10);
  const changed = networks.filter((n) => ['BORN', 'SPLIT', 'MERGED'].includes(String(n.lineage_event)));
  const alerts = await snap.db.all('SELECT alert_type, subject_id, detail, evidence FROM alerts ORDER BY alert_type, subject_id');
  const releases = await snap.db.all(
    `SELECT nominal_id, display_name, harm_band, network_id, strftime(expected_release_date, '%Y-%m-%d') AS expected_release_date
       FROM nominals
      WHERE harm_band IN ('A', 'B') AND NOT not_ranked AND in_custody
        AND expected_release_date BETWEEN $as_of::DATE AND $as_of::DATE + INTERVAL 28 DAY
      ORDER BY expected_release_date, nominal_id`,
    { as_of: snap.info.as_of },
  );
  // accountability (docs/accountability.md): a fairness flag banner, and the data-quality rows on the freshness panel
  const fairnessFlags = snap.info.tables.fairness
    ? Number(await snap.db.value(`SELECT count(*) FROM fairness WHERE flagged`))
    : 0;
  const quality = await snap.db.all(`SELECT source, "check", value FROM data_quality ORDER BY source, "check"`);
  const body = html`${fairnessFlags > 0
  ? html`<div class="banner fairness-banner" role="alert" id="fairness-banner">Fairness monitoring: <strong>${fairnessFlags}</strong> cohort cell${fairnessFlags === 1 ? '' : 's'} in this snapshot
passed the disparity threshold. A flag is a prompt to look, not proof of bias.${canOpen(ctx.role, '/fairness') ? html` <a href="/fairness?snapshot=${encodeURIComponent(sid)}">See the fairness report</a>` : ''}</div>`
  : ''}
<section class="panel"><h2>Harm trend by network type</h2><div class="chart" id="chart-harm-by-type">${trusted(chart)}</div>
<p class="small">Recorded harm only. <a href="/charts/harm-trend-by-network-type">Chart specification (Vega-Lite)</a></p></section>
<div class="grid">
<section class="panel"><h2>Networks by recorded harm</h2>
<table class="data" id="top-networks"><thead><tr><th>Network</th><th>Type</th><th>Size</th><th>Harm (CCHI days)</th><th>Proven</th><th>Alleged</th><th>Change</th></tr></thead>
<tbody>${byHarm.map((n) => html`<tr><td>${networkLink(n.network_id, sid)}</td><td>${n.types}</td><td>${n.size}</td><td class="num">${fmtNumber(n.harm_cchi)}</td><td class="num">${fmtNumber(n.harm_cchi_proven)}</td><td class="num">${fmtNumber(n.harm_cchi_alleged)}</td><td class="num">${n.harm_change === null ? 'new' : fmtNumber(n.harm_change)}</td></tr>`)}</tbody></table>
<p><a href="/networks${ctx.snapshot ? `?snapshot=${encodeURIComponent(sid)}` : ''}">All networks</a></p></section>
<section class="panel"><h2>Rising in harm since the previous snapshot</h2>
${rising.length ? html`<ul>${rising.map((n) => html`<li>${networkLink(n.network_id, sid)}: +${fmtNumber(n.harm_change)} CCHI days (now ${fmtNumber(n.harm_cchi)})</li>`)}</ul>` : html`<p>None.</p>`}
<h2>New, split and merged networks</h2>
${changed.length ? html`<ul>${changed.map((n) => html`<li>${networkLink(n.network_id, sid)}: ${n.lineage_event}${n.parent_network_ids ? ` from ${n.parent_network_ids}` : ''}</li>`)}</ul>` : html`<p>None this week.</p>`}</section>
</div>
<section class="panel"><h2>Alerts</h2>
${alerts.length ? html`<table class="data" id="alerts"><thead><tr><th>Alert</th><th>Subject</th><th>Detail</th><th>Evidence</th></tr></thead>
<tbody>${alerts.map((a) => html`<tr><td>${a.alert_type}</td><td>${a.subject_id}</td><td>${a.detail}</td><td>${a.evidence}</td></tr>`)}</tbody></table>` : html`<p>No alerts.</p>`}</section>
<section class="panel"><h2>Band A/B releases from prison due in the next 4 weeks</h2>
${releases.length ? html`<table class="data"><thead><tr><th>Nominal</th><th>Band</th><th>Network</th><th>Expected release</th></tr></thead>
<tbody>${releases.map((r) => html`<tr><td>${nominalLink(r.nominal_id, r.display_name, sid)}</td><td>${bandCell(r.harm_band)}</td><td>${r.network_id ? networkLink(r.network_id, sid) : ''}</td><td>${r.expected_release_date}</td></tr>`)}</tbody></table>` : html`<p>None due (from PINS${snap.info.inputs.some((i) => i.source === 'pins' && !['loaded', 'unchanged'].includes(i.status)) ? ' — which is not loaded this week' : ''}).</p>`}</section>
<section class="panel"><h2>Data freshness per source</h2>
<table class="data" id="freshness"><thead><tr><th>Source</th><th>Status</th><th>Rows loaded</th><th>Rows rejected</th><th>File</th></tr></thead>
<tbody>${snap.info.inputs.map((i) => html`<tr class="status-${i.status}"><td>${i.source}</td><td>${i.status}</td><td class="num">${fmtNumber(i.rows_loaded, 0)}</td><td class="num">${fmtNumber(i.rows_rejected, 0)}</td><td>${i.path}</td></tr>`)}</tbody></table>
<details id="data-quality"><summary>Data quality (${quality.length} checks)</summary>
${quality.length ? html`<table class="data" id="data-quality-table"><thead><tr><th>Source</th><th>Check</th><th>Value</th></tr></thead>
<tbody>${quality.map((r) => html`<tr><td>${r.source}</td><td>${r.check}</td><td class="num">${fmtNumber(r.value, 4)}</td></tr>`)}</tbody></table>` : html`<p>No data-quality rows in this snapshot.</p>`}</details>
<p class="small">Snapshot created ${snap.info.created_at}.</p></section>`;
  return page(ctx, 'Overview', body);
}
