// Escaped, static HTML for the accountability exports (transparency register, evaluation report):
// every value escaped, no scripts, no inline styles, so the files open safely anywhere and pass a strict CSP.

import type { Register } from './transparency-register.ts';
import type { EvaluationReport } from './evaluation-report.ts';
import type { DeploymentRow } from './record-deployment.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const label = (key: string) => key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function num(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  return String(v);
}

/** Any JSON value as nested definition lists / lists / tables (arrays of flat objects). */
export function valueHtml(v: unknown): string {
  if (v === null || v === undefined) return '<span class="none">—</span>';
  if (Array.isArray(v)) {
    if (v.length === 0) return '<span class="none">none</span>';
    if (v.every((x) => x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every((y) => y === null || typeof y !== 'object'))) {
      const cols = [...new Set(v.flatMap((x) => Object.keys(x as object)))];
      const head = cols.map((c) => `<th scope="col">${esc(label(c))}</th>`).join('');
      const body = v.map((x) => `<tr>${cols.map((c) => `<td>${esc(num((x as Record<string, unknown>)[c]))}</td>`).join('')}</tr>`).join('\n');
      return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
    }
    return `<ul>${v.map((x) => `<li>${valueHtml(x)}</li>`).join('')}</ul>`;
  }
  if (typeof v === 'object') {
    return `<dl>${Object.entries(v as Record<string, unknown>).map(([k, x]) => `<dt>${esc(label(k))}</dt><dd>${valueHtml(x)}</dd>`).join('\n')}</dl>`;
  }
  return esc(num(v));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body>
<main>
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function renderTransparencyHtml(register: Register): string {
  const t1 = register.tier_1;
  const sections = Object.entries(register.tier_2)
    .map(([k, v]) => `<section id="${esc(k)}"><h3>${esc(label(k))}</h3>\n${valueHtml(v)}\n</section>`)
    .join('\n');
  return page(
    `Transparency register — ${t1.name}`,
    `<p>Modelled on the UK Algorithmic Transparency Recording Standard v${esc(register.atrs_version)}. Generated ${esc(register.metadata.generated_at)} from the running configuration (hash ${esc(register.metadata.config_hash)}), code version ${esc(register.metadata.code_version)} and snapshot ${esc(register.metadata.snapshot_id ?? 'none')}.</p>
<section id="tier_1"><h2>Tier 1 — summary</h2>\n${valueHtml(t1)}\n</section>
<section id="tier_2"><h2>Tier 2 — detail</h2>\n${sections}\n</section>`,
  );
}

export function renderEvaluationHtml(report: EvaluationReport, deployments: DeploymentRow[] = [], caveats: string[] = []): string {
  const figures = report.figures.map((f) => ({ figure: f.name, value: f.value }));
  const alert = report.nominals.alert
    ? `<p class="alert" role="alert">Nominals held grew by ${esc((100 * report.nominals.growth!).toFixed(1))} % in a week, above the ${esc((100 * report.nominals.threshold).toFixed(1))} % threshold: check the extracts and the matcher before use.</p>`
    : '';
  const fairnessAlert = report.fairness && report.fairness.flagged.length
    ? `<p class="alert" role="alert">${esc(report.fairness.flagged.length)} fairness disparity flag(s) in this snapshot.</p>`
    : '';
  const deployRows = deployments.map((d) => ({
    seq: d.seq, recorded_at: d.recorded_at, event: d.event, started_by: d.started_by, code_version: d.code_version, config_hash: d.config_hash,
    weeks: d.weeks, outcome: d.outcome, snapshot_id: d.snapshot_id, previous_code_version: d.previous_code_version,
  }));
  const compared = deployments.filter((d) => d.figures_json).map((d) => {
    const now = JSON.parse(d.figures_json!) as { name: string; value: number | null }[];
    const before = d.previous_figures_json ? (JSON.parse(d.previous_figures_json) as { name: string; value: number | null }[]) : [];
    return { code_version: d.code_version, previous_code_version: d.previous_code_version, rows: now.map((f) => ({ figure: f.name, this_version: f.value, previous_version: before.find((b) => b.name === f.name)?.value ?? null })) };
  });
  const body = [
    `<p>Snapshot ${esc(report.snapshot_id)} (as of ${esc(report.as_of)}), code version ${esc(report.code_version)}, configuration ${esc(report.config_hash)}. Ground truth: ${esc(report.truth ?? 'none — accuracy against truth not measured')}.</p>`,
    alert,
    fairnessAlert,
    `<section id="figures"><h2>Headline figures</h2>${valueHtml(figures)}</section>`,
    `<section id="resolution"><h2>Entity resolution against ground truth</h2>${valueHtml(report.resolution)}</section>`,
    `<section id="networks"><h2>Network recovery against planted networks</h2>${valueHtml(report.networks)}</section>`,
    `<section id="alert-precision"><h2>Alert precision on scripted events</h2>${valueHtml(report.alert_precision)}</section>`,
    `<section id="events"><h2>Scripted events</h2>${valueHtml(report.events?.checks.map((c) => ({ as_of: c.as_of, event: c.event, network_keys: c.network_keys, detected: String(c.detected), detected_as_of: c.detected_as_of, evidence: c.evidence })) ?? null)}</section>`,
    `<section id="stability"><h2>Network id stability week to week</h2>${valueHtml(report.stability.map((s) => ({ as_of: s.as_of, networks: s.networks, same_id: s.same_id, same_id_share: s.same_id_share })))}</section>`,
    `<section id="nominals"><h2>Nominals held</h2>${valueHtml(report.nominals)}</section>`,
    `<section id="fairness"><h2>Fairness flags</h2>${valueHtml(report.fairness)}</section>`,
    `<section id="feedback"><h2>Feedback (errors and bias reports)</h2>${valueHtml(report.feedback)}</section>`,
    `<section id="data-quality"><h2>Data quality</h2>${valueHtml(report.data_quality)}</section>`,
    `<section id="deployments"><h2>Deployment log</h2>${valueHtml(deployRows)}${compared.map((c) => `<h3>${esc(c.code_version)} against ${esc(c.previous_code_version ?? 'no previous version')}</h3>${valueHtml(c.rows)}`).join('\n')}</section>`,
    caveats.length ? `<section id="caveats"><h2>Caveats</h2>${valueHtml(caveats)}</section>` : '',
  ].join('\n');
  return page(`Evaluation report — ${report.as_of}`, body);
}
