// One network: headline harm (proven/alleged apart), harm trend and lineage over snapshots, the graph
// (drawn client-side by sigma.js from the JSON endpoint), members with centrality and rank change,
// key players, and the source references behind its links. Every view is audited.

import type { FastifyRequest } from 'fastify';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import { fmtNumber, html, qs } from '../html.ts';
import { renderChartSvg } from '../chart-render.ts';
import { caveatsAsText } from '../caveats.ts';
import { graphLayout } from '../graph-layout.ts';
import type { OpenSnapshot } from '../snapshot-store.ts';
import type { Deps } from '../server.ts';
import { page } from './layout.ts';
import { bandCell, flags, INTEL_LABEL, isIntelligenceOnly, isUnranked, nominalLink, previousSnapshot, snapshotHistory } from './common.ts';
import { csvCell } from '../../pipelines/core/csv-cell.ts';

type Row = Record<string, unknown>;

async function loadNetwork(snap: OpenSnapshot, id: string) {
  const network = (await snap.lookup('network', id))[0];
  if (!network) throw new HarmnetError('NOT_FOUND', `no network "${id}" in snapshot ${snap.info.snapshot_id}`);
  // the snapshot's lookup index (snapshot-store.ts LOOKUPS): members by harm, links with both ends inside
  const [members, edges] = await Promise.all([snap.lookup('members', id), snap.lookup('networkEdges', id)]);
  return { network, members, edges };
}

/** Lineage rows and harm trend of one network over the snapshots given (oldest first); cached. */
function networkHistory(deps: Deps, history: OpenSnapshot[], id: string) {
  return deps.memo.get(`network-history|${id}|${history.map((h) => h.info.snapshot_id).join(',')}`, async () => {
    const lineage: Row[] = [];
    const trend: Row[] = [];
    for (const h of history) {
      const r = (await h.lookup('network', id))[0];
      if (!r) continue;
      lineage.push({ as_of: h.info.as_of, snapshot_id: h.info.snapshot_id, size: r.size, lineage_event: r.lineage_event, parent_network_ids: r.parent_network_ids, harm_cchi: r.harm_cchi, harm_cchi_proven: r.harm_cchi_proven, harm_cchi_alleged: r.harm_cchi_alleged });
      trend.push({ as_of: h.info.as_of, kind: 'proven', harm_cchi: r.harm_cchi_proven }, { as_of: h.info.as_of, kind: 'alleged', harm_cchi: r.harm_cchi_alleged });
    }
    return { lineage, trend };
  });
}

/** The network's harm trend as SVG (Vega-Lite spec charts/network-harm-trend.vl.json), served as an image so the page does not wait for it. */
export async function networkTrendSvg(deps: Deps, id: string, query: Record<string, string | undefined>): Promise<string> {
  const snap = await deps.store.open(query.snapshot ?? null);
  await cachedNetwork(deps, snap, id); // NOT_FOUND for an unknown network
  const history = await snapshotHistory(deps.store, snap.info, 12);
  return deps.memo.get(`network-trend-svg|${id}|${history.map((h) => h.info.snapshot_id).join(',')}`, async () =>
    renderChartSvg('network-harm-trend', (await networkHistory(deps, history, id)).trend));
}

/**
 * The map of where members' scored records happened (Vega-Lite spec charts/network-record-map.vl.json) as SVG:
 * points only, no tiles; null when the snapshot has no locations for this network. Audited as a view.
 */
export async function networkRecordMapSvg(deps: Deps, request: FastifyRequest, id: string, query: Record<string, string | undefined>): Promise<string> {
  const snap = await deps.store.open(query.snapshot ?? null);
  await cachedNetwork(deps, snap, id); // NOT_FOUND for an unknown network
  const svg = await deps.memo.get(`network-map-svg|${snap.info.snapshot_id}|${id}`, async () => {
    const rows = (await snap.lookup('networkLocations', id)).filter((r) => r.latitude !== null && r.longitude !== null);
    return rows.length ? renderChartSvg('network-record-map', rows) : NO_LOCATIONS_SVG;
  });
  await deps.audit(request, { action: 'view_network', subjectType: 'network', subjectId: id, snapshotId: snap.info.snapshot_id, detail: 'record map' });
  return svg;
}

const NO_LOCATIONS_SVG = '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="No recorded locations" data-chart="network-record-map" data-points="0" width="520" height="60"><text x="10" y="35" font-family="sans-serif" font-size="13">No located records for this network in this snapshot.</text></svg>';

/** loadNetwork, kept per snapshot and network (snapshots never change). */
function cachedNetwork(deps: Deps, snap: OpenSnapshot, id: string) {
  return deps.memo.get(`network|${snap.info.snapshot_id}|${id}`, () => loadNetwork(snap, id));
}

function ranked(members: Row[]): Row[] {
  return members.filter((m) => !isUnranked(m) && !m.historic);
}

export async function networkPage(deps: Deps, request: FastifyRequest, id: string, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const snap = ctx.snap!;
  const sid = snap.info.snapshot_id;
  const { network, members, edges } = await cachedNetwork(deps, snap, id);
  await deps.audit(request, { action: 'view_network', subjectType: 'network', subjectId: id, snapshotId: sid });

  const canExport = ['lab', 'analyst'].includes(ctx.role);
  // The body depends only on the (immutable) snapshots and whether the role may export: rendered once.
  const upTo = deps.store.list().filter((x) => x.as_of <= snap.info.as_of).slice(0, 12).map((x) => x.snapshot_id).join(',');
  const all = query.all === '1';
  const body = await deps.memo.get(`network-body|${upTo}|${id}|${canExport}|${all}`, async () => {
    // long tables are cut to their first rows unless asked for in full (the page, and its graph, come sooner)
    const cut = <T,>(rows: T[]) => (all ? rows : rows.slice(0, TABLE_ROWS));
    const more = (shown: number, total: number, what: string) => (total > shown
      ? html`<p class="small more-rows">Showing the first ${shown} of ${total} ${what}. <a href="/networks/${encodeURIComponent(id)}${qs({ snapshot: sid, all: '1' })}">Show every row</a>${canExport ? ' or export the members (CSV)' : ''}.</p>`
      : '');
    const rankedMembers = ranked(members);
    const unranked = members.filter((m) => !rankedMembers.includes(m));
    const prev = await previousSnapshot(deps.store, snap.info);
    const prevRank = await deps.memo.get(`prev-rank|${prev?.info.snapshot_id ?? ''}|${id}`, async () => {
      const ranks = new Map<string, number>();
      if (!prev) return ranks;
      // members come ordered by harm (desc), then id: the ranked ones keep that order
      const before = (await prev.lookup('members', id)).filter((r) => !r.not_ranked && !r.historic);
      before.forEach((r, i) => ranks.set(String(r.nominal_id), i + 1));
      return ranks;
    });
    // No under-18 in a key-nominals list without a recorded review (safeguards.md 6): none is recorded here, so none is listed.
    const keyPlayers = rankedMembers.filter((m) => !m.under_18 && m.key_player_impact !== null)
      .sort((a, b) => Number(b.key_player_impact) - Number(a.key_player_impact)).slice(0, 3);

    const history = await snapshotHistory(deps.store, snap.info, 12);
    const { lineage } = await networkHistory(deps, history, id);
    const evidence = await deps.memo.get(`network-evidence|${sid}|${id}`, async () => (await snap.lookup('networkEvidence', id)).slice(0, 300));
    const names = new Map(members.map((m) => [String(m.nominal_id), String(m.display_name ?? m.nominal_id)]));

    const body = html`
  <p class="headline">Network <strong>${id}</strong> · ${network.types ?? 'untyped'} · ${network.size} members ·
   recorded harm <strong>${fmtNumber(network.harm_cchi)}</strong> CCHI days (proven ${fmtNumber(network.harm_cchi_proven)}, alleged ${fmtNumber(network.harm_cchi_alleged)}) · ONS ${fmtNumber(network.harm_ons)} · lineage ${network.lineage_event ?? '—'}
   ${canExport ? html` · <a href="/export/networks/${encodeURIComponent(id)}${qs({ snapshot: sid })}" id="export-link">Export members (CSV, with caveats)</a>` : ''}</p>
  <section class="panel"><h2>Graph</h2>
  <p class="legend"><span class="legend-node">Node size: recorded harm</span> · <span class="legend-band">colour: harm band (grey: not ranked)</span> ·
   <span class="legend-evidence">solid line: recorded crime / custody / safeguarding</span> · <span class="legend-intel">dashed orange line: ${INTEL_LABEL}</span></p>
  <div id="network-graph" class="graph" data-src="/api/networks/${encodeURIComponent(id)}/graph${qs({ snapshot: sid })}" data-nominal-base="/nominals/" data-snapshot="${sid}"></div>
  </section>
  <div class="grid">
  <section class="panel"><h2>Harm trend</h2><div class="chart" id="chart-network-harm"><img src="/networks/${encodeURIComponent(id)}/harm-trend.svg${qs({ snapshot: sid })}" alt="Recorded harm of this network per weekly snapshot, proven and alleged apart" width="620" height="260"></div>
  <p class="small"><a href="/charts/network-harm-trend">Chart specification (Vega-Lite)</a></p></section>
  <section class="panel"><h2>Key players</h2>
  <p class="small">Members whose removal most fragments the network (share of member pairs disconnected). Under-18s are never listed here without a recorded review.</p>
  ${keyPlayers.length ? html`<ol>${keyPlayers.map((m) => html`<li>${nominalLink(m.nominal_id, m.display_name, sid)} — impact ${fmtNumber(m.key_player_impact, 3)}</li>`)}</ol>` : html`<p>None.</p>`}
  <h2>Lineage</h2>
  <table class="data" id="lineage"><thead><tr><th>As of</th><th>Event</th><th>Size</th><th>Harm</th><th>From</th></tr></thead>
  <tbody>${lineage.map((l) => html`<tr><td>${l.as_of}</td><td>${l.lineage_event}</td><td class="num">${l.size}</td><td class="num">${fmtNumber(l.harm_cchi)}</td><td>${l.parent_network_ids}</td></tr>`)}</tbody></table></section>
  </div>
  <section class="panel below"><h2>Members ranked by recorded harm</h2>
  <table class="data" id="members"><thead><tr><th>Rank</th><th>Change</th><th>Nominal</th><th>Band</th><th>Harm (CCHI days)</th><th>Proven</th><th>Alleged</th><th>Degree</th><th>PageRank</th><th>Betweenness</th><th>Key-player impact</th><th>Flags</th></tr></thead>
  <tbody>${cut(rankedMembers).map((m, i) => {
      const before = prevRank.get(String(m.nominal_id));
      const change = before === undefined ? 'new' : before === i + 1 ? '=' : before > i + 1 ? `▲${before - (i + 1)}` : `▼${i + 1 - before}`;
      return html`<tr><td class="num">${i + 1}</td><td>${prev ? change : ''}</td><td>${nominalLink(m.nominal_id, m.display_name, sid)}</td><td>${bandCell(m.harm_band)}</td>
  <td class="num">${fmtNumber(m.harm_cchi)}</td><td class="num">${fmtNumber(m.harm_cchi_proven)}</td><td class="num">${fmtNumber(m.harm_cchi_alleged)}</td>
  <td class="num">${fmtNumber(m.degree, 0)}</td><td class="num">${fmtNumber(m.pagerank, 3)}</td><td class="num">${fmtNumber(m.betweenness, 3)}</td><td class="num">${fmtNumber(m.key_player_impact, 3)}</td><td>${flags(m)}</td></tr>`;
    })}</tbody></table>${more(cut(rankedMembers).length, rankedMembers.length, 'ranked members')}
  ${unranked.length ? html`<h3>Members not ranked</h3><p class="small">Victims, witnesses and missing persons are never scored or ranked; historic nominals drop out of ranked views.</p>
  <table class="data" id="members-unranked"><thead><tr><th>Nominal</th><th>Flags</th></tr></thead>
  <tbody>${cut(unranked).map((m) => html`<tr><td>${nominalLink(m.nominal_id, m.display_name, sid)}</td><td>${flags(m)}</td></tr>`)}</tbody></table>${more(cut(unranked).length, unranked.length, 'members not ranked')}` : ''}
  </section>
  <section class="panel below"><h2>Links and their source references</h2>
  <table class="data" id="links"><thead><tr><th>Between</th><th>Link types</th><th>Class</th><th>Evidence</th><th>First seen</th><th>Last seen</th></tr></thead>
  <tbody>${cut(edges).map((e) => html`<tr class="${isIntelligenceOnly(e) ? 'intel-only' : ''}"><td>${names.get(String(e.nominal_a))} — ${names.get(String(e.nominal_b))}</td><td>${e.link_types}</td>
  <td>${isIntelligenceOnly(e) ? html`<span class="intel-label">${INTEL_LABEL}</span>` : e.evidential_class}</td><td class="num">${e.evidence_count}</td><td>${e.first_seen}</td><td>${e.last_seen}</td></tr>`)}</tbody></table>${more(cut(edges).length, edges.length, 'links')}
  <h3>Source records</h3>
  <table class="data" id="evidence"><thead><tr><th>Record</th><th>Source</th><th>Link type</th><th>Date</th><th>Handling</th><th>Between</th></tr></thead>
  <tbody>${cut(evidence).map((v) => html`<tr><td><code>${v.record_ref}</code></td><td>${v.source}</td><td>${v.link_type}${v.link_type === 'INTEL_ASSOCIATION' ? html` <span class="intel-label">(${INTEL_LABEL})</span>` : ''}</td><td>${v.record_date}</td><td>${v.handling_code}</td><td>${names.get(String(v.nominal_a))} — ${names.get(String(v.nominal_b))}</td></tr>`)}</tbody></table>${more(cut(evidence).length, evidence.length, 'source records (of at most 300 read)')}
  </section>
  <section class="panel below"><h2>Where members' records happened</h2>
  <div class="chart" id="chart-record-map"><img src="/networks/${encodeURIComponent(id)}/record-map.svg${qs({ snapshot: sid })}" alt="Approximate location of recorded events: members' scored crime records, proven and alleged" width="620" height="440"></div>
  <p class="small caption" id="record-map-caption">Approximate location of recorded events (rounded to about 100 m) — the proven and alleged crime records behind
   members' harm scores. It is not where anyone lives. Never shown: victims', witnesses' and missing-person records, intelligence,
   records counted zero (no further action, acquittal), records of anyone under 18, records with handling code C.
   <a href="/charts/network-record-map">Chart specification (Vega-Lite)</a></p>
  </section>`;
    return body;
  });
  // the graph data is requested with the page (preload), not after its scripts have run
  return page(ctx, `Network ${id}`, body, {
    scripts: ['/vendor/graphology.umd.min.js', '/vendor/sigma.min.js', '/static/network-graph.js'],
    preload: [`/api/networks/${encodeURIComponent(id)}/graph${qs({ snapshot: sid })}`],
  });
}

/** The graph for sigma.js: nodes sized by harm and coloured by band, intelligence-only edges flagged. */
export async function networkGraphJson(deps: Deps, request: FastifyRequest, id: string, query: Record<string, string | undefined>) {
  const snap = await deps.store.open(query.snapshot ?? null);
  // existence is checked (and NOT_FOUND thrown) before anything is audited
  const graph = await cachedGraph(deps, snap, id);
  await deps.audit(request, { action: 'view_network', subjectType: 'network', subjectId: id, snapshotId: snap.info.snapshot_id, detail: 'graph data' });
  return graph;
}

/** Rows of each long table on the network page unless `?all=1` asks for every row. */
export const TABLE_ROWS = 150;

/** Graphs of large networks (layout of seconds) kept for the life of the process, apart from the small-result memo. */
const largeGraphs = new Map<string, ReturnType<typeof computeGraph>>();
export const LARGE_GRAPH_MEMBERS = 100;

function cachedGraph(deps: Deps, snap: OpenSnapshot, id: string, size?: number) {
  const key = `graph|${snap.info.snapshot_id}|${id}`;
  const hit = largeGraphs.get(key);
  if (hit) return hit;
  if (size !== undefined && size >= LARGE_GRAPH_MEMBERS) {
    const p = computeGraph(snap, id);
    largeGraphs.set(key, p);
    p.catch(() => largeGraphs.delete(key));
    return p;
  }
  return deps.memo.get(key, () => computeGraph(snap, id));
}

/**
 * Lays out, one after another, every network of at least LARGE_GRAPH_MEMBERS members of a snapshot (a
 * server warming up calls it), so no analyst waits seconds for a large network's layout.
 */
export async function prewarmLargeGraphs(deps: Deps, snap: OpenSnapshot): Promise<number> {
  const rows = await snap.db.all<{ network_id: string; size: number }>(
    'SELECT network_id, size::BIGINT AS size FROM networks WHERE size >= $min ORDER BY size DESC, network_id', { min: LARGE_GRAPH_MEMBERS });
  for (const r of rows) await cachedGraph(deps, snap, r.network_id, r.size);
  return rows.length;
}

async function computeGraph(snap: OpenSnapshot, id: string) {
  const { members, edges } = await loadNetwork(snap, id);
  const pos = await graphLayout(members.map((m) => String(m.nominal_id)), edges.map((e) => [String(e.nominal_a), String(e.nominal_b)]));
  const maxHarm = Math.max(1, ...members.map((m) => (isUnranked(m) ? 0 : Number(m.harm_cchi ?? 0))));
  return {
    snapshot_id: snap.info.snapshot_id,
    network_id: id,
    intelligence_label: INTEL_LABEL,
    nodes: members.map((m) => {
      const unrankedNode = isUnranked(m);
      return {
        id: String(m.nominal_id),
        label: String(m.display_name ?? m.nominal_id),
        x: pos.get(String(m.nominal_id))!.x,
        y: pos.get(String(m.nominal_id))!.y,
        size: unrankedNode ? 4 : 4 + 16 * Math.sqrt(Number(m.harm_cchi ?? 0) / maxHarm),
        band: unrankedNode ? null : (m.harm_band ?? null),
        harm_cchi: unrankedNode ? null : m.harm_cchi,
        under_18: !!m.under_18,
        in_custody: !!m.in_custody,
        unranked: unrankedNode,
      };
    }),
    edges: edges.map((e) => ({
      source: String(e.nominal_a),
      target: String(e.nominal_b),
      link_types: e.link_types,
      weight: e.weight,
      intelligence_only: isIntelligenceOnly(e),
      label: isIntelligenceOnly(e) ? INTEL_LABEL : String(e.evidential_class ?? ''),
    })),
  };
}


/** Members of a network as CSV, headed by the caveats and the snapshot; audited as an export. */
export async function networkExportCsv(deps: Deps, request: FastifyRequest, id: string, query: Record<string, string | undefined>) {
  const snap = await deps.store.open(query.snapshot ?? null);
  const { members } = await cachedNetwork(deps, snap, id);
  await deps.audit(request, { action: 'export', subjectType: 'network', subjectId: id, snapshotId: snap.info.snapshot_id, detail: 'members csv' });
  const lines = [
    `# harmnet export: network ${id}, snapshot ${snap.info.snapshot_id} (as of ${snap.info.as_of}), by ${request.auth!.user.username} at ${deps.clock().toISOString()}`,
    ...caveatsAsText().map((c) => `# ${c}`),
    ['nominal_id', 'display_name', 'harm_band', 'harm_cchi', 'harm_cchi_proven', 'harm_cchi_alleged', 'under_18', 'in_custody', 'not_ranked'].join(','),
    ...members.map((m) => {
      const u = isUnranked(m);
      return [m.nominal_id, m.display_name, u ? '' : m.harm_band, u ? '' : m.harm_cchi, u ? '' : m.harm_cchi_proven, u ? '' : m.harm_cchi_alleged, !!m.under_18, !!m.in_custody, u].map(csvCell).join(',');
    }),
  ];
  return { filename: `network-${id.replace(/[^A-Za-z0-9_-]/g, '_')}-${snap.info.snapshot_id}.csv`, csv: lines.join('\n') + '\n' };
}
