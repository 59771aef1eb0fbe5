// Networks: a table of every network in the snapshot, sortable by any column and filterable by type,
// top band, trend and size — server-side, so it works without scripts.

import type { FastifyRequest } from 'fastify';
import { fmtNumber, html, qs } from '../html.ts';
import type { OpenSnapshot } from '../snapshot-store.ts';
import type { Deps } from '../server.ts';
import { page } from './layout.ts';
import { bandCell, networkLink, previousSnapshot } from './common.ts';

export interface NetworkRow extends Record<string, unknown> {
  network_id: string;
  size: number;
  types: string | null;
  harm_cchi: number | null;
  harm_cchi_proven: number | null;
  harm_cchi_alleged: number | null;
  lineage_event: string | null;
  top_band: string | null;
  harm_change: number | null;
  trend: 'rising' | 'falling' | 'steady' | 'new';
}

/** Networks of a snapshot with the best band among ranked members and the change since the previous snapshot. */
export async function networkRows(deps: Deps, snap: OpenSnapshot): Promise<NetworkRow[]> {
  const prevInfo = deps.store.list().find((s) => s.as_of < snap.info.as_of);
  return deps.memo.get(`networkRows|${snap.info.snapshot_id}|${prevInfo?.snapshot_id ?? ''}`, () => computeNetworkRows(deps, snap));
}

async function computeNetworkRows(deps: Deps, snap: OpenSnapshot): Promise<NetworkRow[]> {
  const rows = await snap.db.all<NetworkRow>(
    `SELECT n.network_id, n.size, n.types, n.harm_cchi, n.harm_cchi_proven, n.harm_cchi_alleged, n.harm_ons, n.lineage_event,
            n.parent_network_ids, b.top_band
       FROM networks n
       LEFT JOIN (SELECT network_id, min(harm_band) AS top_band FROM nominals
                   WHERE harm_band IS NOT NULL AND NOT not_ranked
                   GROUP BY network_id) b USING (network_id)
      ORDER BY n.network_id`,
  );
  const prev = await previousSnapshot(deps.store, snap.info);
  const prevHarm = new Map<string, number>();
  if (prev) for (const r of await prev.db.all<{ network_id: string; harm_cchi: number }>('SELECT network_id, harm_cchi FROM networks')) prevHarm.set(r.network_id, Number(r.harm_cchi ?? 0));
  for (const r of rows) {
    const before = prevHarm.get(r.network_id);
    r.harm_change = before === undefined ? null : Math.round((Number(r.harm_cchi ?? 0) - before) * 10) / 10;
    r.trend = r.harm_change === null ? 'new' : r.harm_change > 0 ? 'rising' : r.harm_change < 0 ? 'falling' : 'steady';
  }
  return rows;
}

const SORTABLE: Record<string, string> = {
  network_id: 'Network', types: 'Type', size: 'Size', top_band: 'Top band', harm_cchi: 'Harm (CCHI days)',
  harm_cchi_proven: 'Proven', harm_cchi_alleged: 'Alleged', harm_change: 'Change', lineage_event: 'Lineage',
};

export async function networksPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const snap = ctx.snap!;
  const sid = snap.info.snapshot_id;
  const all = await networkRows(deps, snap);
  const sort = query.sort && query.sort in SORTABLE ? query.sort : 'harm_cchi';
  const dir = query.dir === 'asc' ? 'asc' : 'desc';
  const minSize = Number(query.min_size ?? 0) || 0;
  const types = [...new Set(all.flatMap((n) => String(n.types ?? '').split(',').map((t) => t.trim()).filter(Boolean)))].sort();
  const rows = all
    .filter((n) => !query.type || String(n.types ?? '').split(',').map((t) => t.trim()).includes(query.type))
    .filter((n) => !query.band || n.top_band === query.band)
    .filter((n) => !query.trend || n.trend === query.trend)
    .filter((n) => Number(n.size) >= minSize)
    .sort((a, b) => {
      const x = a[sort];
      const y = b[sort];
      const c = typeof x === 'number' || typeof y === 'number' ? Number(x ?? -Infinity) - Number(y ?? -Infinity) : String(x ?? '').localeCompare(String(y ?? ''));
      return (dir === 'asc' ? c : -c) || a.network_id.localeCompare(b.network_id);
    });
  const base = { snapshot: sid, type: query.type, band: query.band, trend: query.trend, min_size: query.min_size };
  const head = Object.entries(SORTABLE).map(([col, label]) => {
    const next = sort === col && dir === 'desc' ? 'asc' : 'desc';
    const mark = sort === col ? (dir === 'desc' ? ' ▼' : ' ▲') : '';
    return html`<th><a href="/networks${qs({ ...base, sort: col, dir: next })}">${label}${mark}</a></th>`;
  });
  const option = (value: string, current: string | undefined, label = value) => html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
  const body = html`<form method="get" action="/networks" class="filters" id="network-filters">
  <input type="hidden" name="snapshot" value="${sid}">
  <label>Type <select name="type"><option value="">any</option>${types.map((t) => option(t, query.type))}</select></label>
  <label>Top band <select name="band"><option value="">any</option>${['A', 'B', 'C', 'D'].map((b) => option(b, query.band))}</select></label>
  <label>Trend <select name="trend"><option value="">any</option>${['rising', 'falling', 'steady', 'new'].map((t) => option(t, query.trend))}</select></label>
  <label>Size at least <input name="min_size" type="number" min="0" value="${query.min_size ?? ''}"></label>
  <input type="hidden" name="sort" value="${sort}"><input type="hidden" name="dir" value="${dir}">
  <button type="submit">Filter</button>
</form>
<p>${rows.length} of ${all.length} networks. Network harm is the sum of members' recorded harm; victims and witnesses add none.</p>
<table class="data" id="networks-table"><thead><tr>${head}</tr></thead>
<tbody>${rows.map((n) => html`<tr><td>${networkLink(n.network_id, sid)}</td><td>${n.types}</td><td class="num">${n.size}</td><td>${bandCell(n.top_band)}</td>
<td class="num">${fmtNumber(n.harm_cchi)}</td><td class="num">${fmtNumber(n.harm_cchi_proven)}</td><td class="num">${fmtNumber(n.harm_cchi_alleged)}</td>
<td class="num trend-${n.trend}">${n.harm_change === null ? 'new' : `${n.harm_change > 0 ? '+' : ''}${fmtNumber(n.harm_change)}`}</td><td>${n.lineage_event}</td></tr>`)}</tbody></table>`;
  return page(ctx, 'Networks', body);
}
