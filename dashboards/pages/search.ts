// Search nominals by name or id within the snapshot shown (analysts and the lab). Every search is
// audited with its terms; results list people alphabetically — a search never ranks.

import type { FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import type { Deps } from '../server.ts';
import { page } from './layout.ts';
import { bandCell, flags, isUnranked, networkLink, nominalLink } from './common.ts';

export async function searchPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const snap = ctx.snap!;
  const sid = snap.info.snapshot_id;
  const term = String(query.q ?? '').trim().slice(0, 100);
  let results: Record<string, unknown>[] = [];
  if (term.length >= 2) {
    await deps.audit(request, { action: 'search', subjectType: 'nominal', snapshotId: sid, detail: term });
    results = await snap.db.all(
      `SELECT nominal_id, display_name, strftime(date_of_birth, '%Y-%m-%d') AS dob, network_id, harm_band, harm_cchi, not_ranked, under_18, in_custody, historic
         FROM nominals WHERE display_name ILIKE '%' || $t || '%' OR nominal_id = $t
        ORDER BY display_name, nominal_id LIMIT 100`,
      { t: term },
    );
  }
  const body = html`<form method="get" action="/search" class="filters"><input type="hidden" name="snapshot" value="${sid}">
<label>Name or nominal id <input name="q" value="${term}" minlength="2" required></label><button type="submit">Search</button></form>
<p class="small">Searches are audited.</p>
${term.length >= 2 ? html`<p>${results.length} found${results.length === 100 ? ' (first 100)' : ''}.</p>
<table class="data" id="search-results"><thead><tr><th>Nominal</th><th>Born</th><th>Network</th><th>Band</th><th>Flags</th></tr></thead>
<tbody>${results.map((r) => html`<tr><td>${nominalLink(r.nominal_id, r.display_name, sid)}</td><td>${r.dob}</td><td>${r.network_id ? networkLink(r.network_id, sid) : ''}</td><td>${isUnranked(r) ? '—' : bandCell(r.harm_band)}</td><td>${flags(r)}</td></tr>`)}</tbody></table>` : ''}`;
  return page(ctx, 'Search', body);
}
