// Fairness monitoring page (safeguard 18): this snapshot's `fairness` table by attribute with disparity
// ratios and flags, and the flag trend from `fairness_history` as a server-rendered Vega-Lite SVG.

import type { FastifyRequest } from 'fastify';
import { fmtNumber, html, qs, trusted, type SafeHtml } from '../html.ts';
import { renderChartSvg } from '../chart-render.ts';
import type { Deps } from '../server.ts';
import type { OpenSnapshot } from '../snapshot-store.ts';
import { page } from './layout.ts';

export interface FairnessRow {
  attribute: string;
  group: string;
  harm_band: string;
  count: number;
  share: number | null;
  baseline_share: number | null;
  population_share: number | null;
  disparity_ratio: number | null;
  population_ratio: number | null;
  flagged: boolean;
}

const ATTRIBUTE_ORDER = ['ethnicity', 'sex', 'age_group'];

/** This snapshot's fairness rows (attribute, cohort, group order), or null when the snapshot has no fairness table. */
export async function fairnessRows(snap: OpenSnapshot): Promise<FairnessRow[] | null> {
  if (!snap.info.tables.fairness) return null;
  const rows = await snap.db.all(
    `SELECT attribute, "group", harm_band, count::BIGINT AS count, share, baseline_share, population_share, disparity_ratio, population_ratio,
            coalesce(flagged, false) AS flagged
       FROM fairness ORDER BY attribute, CASE harm_band WHEN 'all' THEN 0 ELSE 1 END, harm_band, "group"`,
  );
  return rows.map((r) => ({ ...r, count: Number(r.count) }) as unknown as FairnessRow);
}

/** Flagged cells per week and attribute up to this snapshot (from fairness_history), for the trend chart. */
export async function fairnessTrend(snap: OpenSnapshot): Promise<{ as_of: string; attribute: string; flagged: number }[]> {
  if (!snap.info.tables.fairness_history) return [];
  return snap.db.all(
    `SELECT strftime(as_of::DATE, '%Y-%m-%d') AS as_of, attribute, sum(CASE WHEN flagged THEN 1 ELSE 0 END)::INTEGER AS flagged
       FROM fairness_history GROUP BY ALL ORDER BY as_of, attribute`,
  ) as Promise<{ as_of: string; attribute: string; flagged: number }[]>;
}

const pct = (v: number | null) => (v === null || v === undefined ? '—' : `${fmtNumber(100 * Number(v), 1)} %`);

function attributeTable(attribute: string, rows: FairnessRow[]): SafeHtml {
  return html`<section class="panel" id="fairness-${attribute}"><h2>${attribute.replace('_', ' ')}</h2>
<table class="data fairness" data-attribute="${attribute}"><thead><tr><th>Cohort</th><th>Group</th><th>Count</th><th>Share of cohort</th><th>Share of all nominals</th>
<th>Population share</th><th>Disparity ratio</th><th>Flag</th></tr></thead>
<tbody>${rows.map((r) => html`<tr class="${r.flagged ? 'flagged' : ''}"${r.flagged ? html` data-flagged="true"` : ''}><td>${r.harm_band}</td><td>${r.group}</td><td class="num">${fmtNumber(r.count, 0)}</td>
<td class="num">${pct(r.share)}</td><td class="num">${pct(r.baseline_share)}</td><td class="num">${pct(r.population_share)}</td>
<td class="num">${fmtNumber(r.disparity_ratio, 2)}</td><td>${r.flagged ? html`<strong class="flag flag-fairness">flagged</strong>` : ''}</td></tr>`)}</tbody></table></section>`;
}

export async function fairnessPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const snap = ctx.snap!;
  const sid = snap.info.snapshot_id;
  const f = deps.accountability.config.fairness;
  const [rows, trend] = await Promise.all([fairnessRows(snap), fairnessTrend(snap)]);
  await deps.audit(request, { action: 'view_report', subjectType: 'report', subjectId: 'fairness', snapshotId: sid });
  const chart = trend.length
    ? await deps.memo.get(`chart|fairness-trend|${sid}`, () => renderChartSvg('fairness-trend', trend))
    : null;
  const flagged = (rows ?? []).filter((r) => r.flagged);
  const rank = (a: string) => (ATTRIBUTE_ORDER.includes(a) ? ATTRIBUTE_ORDER.indexOf(a) : ATTRIBUTE_ORDER.length);
  const attributes = [...new Set((rows ?? []).map((r) => r.attribute))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const body = html`<section class="panel" id="fairness-about">
<p>For each attribute (ethnicity, sex, age group) this compares who is in each cohort — each harm band, the top ${f.topN} by each
influence measure, and network members — with all nominals held. The <strong>disparity ratio</strong> is a group's share of the cohort
divided by its share of all nominals; a cell is <strong>flagged</strong> when the ratio is above ${fmtNumber(f.disparityThreshold, 2)} and the
cell holds at least ${f.minCellSize} people.</p>
<ul>
<li><strong>Ethnicity is used only here</strong>, to monitor fairness. It is never used in linking records, resolving identities, scoring harm or ranking anyone.</li>
<li><strong>A flag is a prompt to look, not proof of bias.</strong> A disparity can come from what was recorded, where policing was focused, or chance in small numbers; it needs a person to look at why.</li>
<li>Population baseline: ${f.populationBaseline.source ?? 'none configured, so population shares are not shown'}.</li>
<li>To report a concern, use <a href="/feedback${qs({ page: '/fairness', snapshot: sid })}" id="fairness-feedback">Report an error or a bias concern</a> (choose “A bias concern”). Every report is tracked to closure by the analytics lab.</li>
</ul></section>
${rows === null
  ? html`<p class="notice" id="fairness-missing">This snapshot has no fairness table (it was built before fairness monitoring was added).</p>`
  : html`<p id="fairness-summary" class="${flagged.length ? 'alert' : 'ok'}"${flagged.length ? html` role="alert"` : ''}>${flagged.length
      ? html`<strong>${flagged.length}</strong> flagged cell${flagged.length === 1 ? '' : 's'} in this snapshot: ${flagged.map((r, i) => html`${i ? '; ' : ''}${r.attribute} ${r.group} in ${r.harm_band} (ratio ${fmtNumber(r.disparity_ratio, 2)})`)}.`
      : 'No cells flagged in this snapshot.'}</p>
<section class="panel"><h2>Trend over weeks</h2>${chart ? html`<div class="chart" id="chart-fairness-trend">${trusted(chart)}</div>` : html`<p>No history yet.</p>`}
<p class="small"><a href="/charts/fairness-trend">Chart specification (Vega-Lite)</a></p></section>
${attributes.map((a) => attributeTable(a, rows.filter((r) => r.attribute === a)))}`}`;
  return page(ctx, 'Fairness monitoring', body);
}
