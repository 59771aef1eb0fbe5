// One nominal: identities linked (Yardstick wording), flags (under 18, custody, safeguarding, handling),
// harm explained record by record with proven and alleged apart, links with evidence, centrality and
// networks over time. Every view is audited (safeguards.md 12).

import type { FastifyRequest } from 'fastify';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import { fmtNumber, html } from '../html.ts';
import type { Deps } from '../server.ts';
import type { OpenSnapshot } from '../snapshot-store.ts';
import { page } from './layout.ts';
import { bandCell, flags, INTEL_LABEL, isIntelligenceOnly, isUnranked, networkLink, nominalLink, snapshotHistory, yardstickTerm } from './common.ts';

const PROVEN = new Set(['CONVICTED', 'CHARGED', 'CAUTIONED']);
const ZERO = new Set(['NFA', 'ACQUITTED']);

type Row = Record<string, unknown>;

function explanationTable(rows: Row[], id: string) {
  if (rows.length === 0) return html`<p>None.</p>`;
  return html`<table class="data" id="${id}"><thead><tr><th>Source record</th><th>Date</th><th>Offence</th><th>Outcome</th><th>Handling</th><th>CCHI days</th><th>ONS weight</th><th>Decay</th><th>Outcome factor</th><th>Contribution (CCHI)</th><th>Contribution (ONS)</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><code>${r.record_ref}</code></td><td>${r.record_date}</td><td>${r.offence_code}</td><td>${r.outcome}</td><td>${r.handling_code ?? ''}</td><td class="num">${fmtNumber(r.cchi_days)}</td><td class="num">${fmtNumber(r.ons_weight, 2)}</td><td class="num">${fmtNumber(r.decay_factor, 3)}</td><td class="num">${fmtNumber(r.outcome_factor, 2)}</td><td class="num">${fmtNumber(r.contribution_cchi, 2)}</td><td class="num">${fmtNumber(r.contribution_ons, 2)}</td></tr>`)}</tbody></table>`;
}

/**
 * Force-wide harm rank now against the oldest snapshot shown (up to 12 weekly snapshots back): rank 1 is the most
 * recorded harm, so ▲ means moved up the list. Nothing for a nominal never ranked, or a snapshot without harm_rank.
 */
export function rankChange(n: Row, over: Row[]) {
  if (isUnranked(n) || n.harm_rank == null) return '';
  const then = over.find((h) => !isUnranked(h) && h.harm_rank != null);
  const now = Number(n.harm_rank);
  if (!then || then.as_of === over[over.length - 1]?.as_of) return html`<p id="rank-change">Force-wide harm rank <strong>${now}</strong>; no earlier ranked week to compare.</p>`;
  const before = Number(then.harm_rank);
  const change = before === now ? 'no change' : before > now ? `▲${before - now} (up)` : `▼${now - before} (down)`;
  return html`<p id="rank-change">Force-wide harm rank <strong>${now}</strong>, was ${before} on ${then.as_of}: <strong>${change}</strong>.</p>`;
}

/** Everything the nominal page shows, from the snapshot shown and its history (immutable, so cached). */
async function loadNominal(snap: OpenSnapshot, history: OpenSnapshot[], id: string) {
  const sid = snap.info.snapshot_id;
  const n = (await snap.lookup('nominal', id))[0];
  if (!n) throw new HarmnetError('NOT_FOUND', `no nominal with that id in snapshot ${sid}`);
  const unranked = isUnranked(n);

  // per-nominal row sets from the snapshot's lookup index (snapshot-store.ts LOOKUPS), read together
  const sourcesP = snap.lookup('sources', id);
  const explanationsP = unranked ? Promise.resolve([]) : snap.lookup('explanations', id);
  const linksP = snap.lookup('links', id);
  const evidenceP = snap.lookup('evidence', id).then((rows) => rows.slice(0, 300));
  const overP = Promise.all(history.map(async (h) => {
    const r = (await h.lookup('nominal', id))[0];
    return {
      as_of: h.info.as_of,
      ...(r ? { network_id: r.network_id, harm_rank: r.harm_rank, harm_cchi: r.harm_cchi, harm_band: r.harm_band, degree: r.degree, pagerank: r.pagerank, betweenness: r.betweenness, not_ranked: r.not_ranked } : { network_id: null }),
    } as Row;
  }));
  const [sources, explanations, links, evidence, over] = await Promise.all([sourcesP, explanationsP, linksP, evidenceP, overP]);
  // the snapshot's outcome_class when present, else the outcome rules of analysis.md
  const cls = (r: Row) => String(r.outcome_class ?? (PROVEN.has(String(r.outcome)) ? 'proven' : ZERO.has(String(r.outcome)) ? 'zero' : 'alleged'));
  const proven = explanations.filter((r) => cls(r) === 'proven');
  const zero = explanations.filter((r) => cls(r) === 'zero');
  const alleged = explanations.filter((r) => cls(r) === 'alleged');

  const byOther = new Map<string, Row[]>();
  for (const v of evidence) byOther.set(String(v.other), [...(byOther.get(String(v.other)) ?? []), v]);

  return { n, unranked, sources, explanations, proven, zero, alleged, links, byOther, over };
}

export async function nominalPage(deps: Deps, request: FastifyRequest, id: string, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const snap = ctx.snap!;
  const sid = snap.info.snapshot_id;
  const history = await snapshotHistory(deps.store, snap.info, 12);
  const { n, unranked, sources, explanations, proven, zero, alleged, links, byOther, over } = await deps.memo.get(
    `nominal|${history.map((h) => h.info.snapshot_id).join(',')}|${id}`,
    () => loadNominal(snap, history, id),
  );
  await deps.audit(request, { action: 'view_nominal', subjectType: 'nominal', subjectId: id, snapshotId: sid });

  // the body depends only on the (immutable) snapshots: rendered once per (history, nominal)
  const body = await deps.memo.get(`nominal-body|${history.map((h) => h.info.snapshot_id).join(',')}|${id}`, async () => html`
<section class="panel identity"><p class="headline"><strong>${n.display_name}</strong> · born ${n.dob ?? 'unknown'} · ${n.sex ?? ''} · nominal <code>${n.nominal_id}</code>
${n.network_id ? html` · network ${networkLink(n.network_id, sid)}` : ''}</p>
<p class="flags" id="nominal-flags">${flags(n)}${n.in_custody ? html` <span>In custody per PINS${n.release ? `, expected release ${n.release}` : ''} — not active.</span>` : ''}
${n.handling_codes ? html` <span class="flag flag-handling">handling codes: ${n.handling_codes} (P: lawful sharing permitted; C: conditions apply)</span>` : ''}</p></section>
<section class="panel"><h2>Recorded harm</h2>
${unranked
  ? html`<p id="not-scored">Not scored and never ranked: this person appears only as a victim, witness or missing person. Being victimised never raises a score.</p>`
  : html`<p id="harm-summary">Band ${bandCell(n.harm_band)} · headline <strong>${fmtNumber(n.harm_cchi)}</strong> CCHI days ·
   proven <strong>${fmtNumber(n.harm_cchi_proven)}</strong> · alleged <strong>${fmtNumber(n.harm_cchi_alleged)}</strong> (counted at half weight in the headline) · ONS ${fmtNumber(n.harm_ons)}.
   Harm describes recorded offences only; it is not a prediction.</p>
<h3>Proven (convicted, charged, cautioned)</h3>${explanationTable(proven, 'harm-proven')}
<h3>Alleged (under investigation or open)</h3>${explanationTable(alleged, 'harm-alleged')}
${zero.length ? html`<h3>Counted zero (NFA, acquitted)</h3>${explanationTable(zero, 'harm-zero')}` : ''}`}
</section>
<section class="panel"><h2>Identities linked to this nominal</h2>
<table class="data" id="identities"><thead><tr><th>Source</th><th>Reference</th><th>Same person?</th><th>Why</th></tr></thead>
<tbody>${sources.map((s) => html`<tr><td>${s.source}</td><td><code>${s.person_ref}</code></td><td>${s.match_probability === null ? '—' : html`<strong>${yardstickTerm(Number(s.match_probability))}</strong>`}</td><td>${s.match_explanation ?? ''}</td></tr>`)}</tbody></table>
<p class="small">Likelihoods use the Probability Yardstick. Confirm each identity in its source system.</p></section>
<section class="panel"><h2>Links, with their evidence</h2>
${links.length ? html`<table class="data" id="nominal-links"><thead><tr><th>Linked to</th><th>Link types</th><th>Class</th><th>Weight</th><th>First seen</th><th>Last seen</th><th>Source records</th></tr></thead>
<tbody>${links.map((l) => html`<tr class="${isIntelligenceOnly(l) ? 'intel-only' : ''}"><td>${nominalLink(l.other, l.other_name, sid)}</td><td>${l.link_types}</td>
<td>${isIntelligenceOnly(l) ? html`<span class="intel-label">${INTEL_LABEL}</span>` : l.evidential_class}</td><td class="num">${fmtNumber(l.weight, 2)}</td><td>${l.first_seen}</td><td>${l.last_seen}</td>
<td>${(byOther.get(String(l.other)) ?? []).map((v) => html`<div><code>${v.record_ref}</code> ${v.source} ${v.record_date}${v.handling_code ? ` (handling ${v.handling_code})` : ''}</div>`)}</td></tr>`)}</tbody></table>` : html`<p>No links.</p>`}
</section>
<section class="panel"><h2>Centrality and networks over time</h2>
${rankChange(n, over)}
<table class="data" id="nominal-history"><thead><tr><th>As of</th><th>Network</th><th>Band</th><th>Harm rank</th><th>Harm</th><th>Degree</th><th>PageRank</th><th>Betweenness</th></tr></thead>
<tbody>${over.map((h) => html`<tr><td>${h.as_of}</td><td>${h.network_id ?? '—'}</td><td>${isUnranked(h) ? '—' : bandCell(h.harm_band)}</td><td class="num">${isUnranked(h) || h.harm_rank == null ? '—' : h.harm_rank}</td><td class="num">${isUnranked(h) ? '—' : fmtNumber(h.harm_cchi)}</td><td class="num">${fmtNumber(h.degree, 0)}</td><td class="num">${fmtNumber(h.pagerank, 3)}</td><td class="num">${fmtNumber(h.betweenness, 3)}</td></tr>`)}</tbody></table>
</section>`);
  return page(ctx, String(n.display_name ?? 'Nominal'), body);
}
