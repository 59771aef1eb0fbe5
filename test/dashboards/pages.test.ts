// What the pages show: every caveat, the banners (persistent, demo, sources not loaded), the snapshot
// and as-of on every page with a switcher, victims never ranked, proven and alleged apart,
// intelligence-only links labelled, Yardstick wording, escaping, the graph JSON and the chart.

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAVEATS } from '../../dashboards/caveats.ts';
import { yardstickTerm } from '../../dashboards/pages/common.ts';
import { renderChartSvg } from '../../dashboards/chart-render.ts';
import { buildServer } from '../../dashboards/server.ts';
import { signedIn, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let lab: Client;
beforeAll(async () => {
  h = await startHarness({ demo: true });
  lab = await signedIn(h.app, 'lab1');
});
afterAll(async () => h?.close());

function text(body: string): string {
  return body.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('caveats and banners', () => {
  it('shows every caveat of safeguards.md 11 on the landing page, in plain words', async () => {
    const page = text((await lab.get('/')).body);
    for (const c of CAVEATS) expect(page).toContain(c.text);
    for (const phrase of ['augment', 'never replace', 'error', 'Report an error or a bias concern', 'source system', 'Probability Yardstick',
      'bias', 'solely by a protected characteristic', 'Criminal Procedure and Investigations Act', 'MG6D', 'PII', 'Force Intelligence',
      'lawful basis', 'P — lawful sharing permitted', 'C — sharing is subject to conditions']) expect(page).toContain(phrase);
  });

  it('carries the short banner, the demo banner and the snapshot on every page', async () => {
    for (const url of ['/overview', '/networks', '/networks/NET-1', '/nominals/N1', '/snapshots', '/feedback', '/search']) {
      const body = (await lab.get(url)).body;
      expect(body, url).toContain('id="caveat-banner"');
      expect(body, url).toContain('Synthetic demonstration data');
      expect(body, url).toContain(`<strong id="snapshot-id">${h.ids.new}</strong>, as of <strong id="snapshot-as-of">2026-11-16</strong>`);
      expect(body, url).toContain(`<option value="${h.ids.old}">`);
    }
  });

  it('names a source not loaded for the snapshot shown, and not for a week where all loaded', async () => {
    expect(text((await lab.get('/overview')).body)).toContain("Sources not loaded for this snapshot's week: pins (missing)");
    const old = (await lab.get(`/overview?snapshot=${h.ids.old}`)).body;
    expect(old).not.toContain('id="source-banner"');
    expect(old).toContain(`<strong id="snapshot-id">${h.ids.old}</strong>`);
    expect((await lab.get('/overview?snapshot=.tmp-2026-11-23-99999')).statusCode).toBe(404); // in progress, never served
  });

  it('has no demo banner outside demo mode', async () => {
    const plain = await buildServer({ port: 0, snapshotsDir: h.snapshotsDir, servingFile: h.servingFile, demo: false, clock: () => h.now.value });
    try {
      const c = await signedIn(plain.app, 'analyst1');
      expect((await c.get('/overview')).body).not.toContain('Synthetic demonstration data');
    } finally {
      await plain.close();
    }
  });
});

describe('data pages', () => {
  it('overview: chart rendered as SVG, networks by harm, alerts, freshness per source', async () => {
    const body = (await lab.get('/overview')).body;
    expect(body).toMatch(/<svg [^>]*data-chart="harm-trend-by-network-type"/);
    const t = text(body);
    expect(t).toContain('NET-1 COUNTY_LINES 5 525 393.8 131.3 262.5'); // harm 525 = 2 × 262.5 the week before
    expect(t).toContain('NETWORK_HARM_RISING NET-1');
    expect(t).toContain('pins missing 0 0');
  });

  it('networks: sorts and filters', async () => {
    const order = (b: string) => [...b.matchAll(/href="\/networks\/(NET-\d)/g)].map((m) => m[1]);
    expect(order((await lab.get('/networks')).body)).toEqual(['NET-1', 'NET-2']);
    expect(order((await lab.get('/networks?sort=harm_cchi&dir=asc')).body)).toEqual(['NET-2', 'NET-1']);
    expect(order((await lab.get('/networks?type=SOC')).body)).toEqual(['NET-2']);
    expect(order((await lab.get('/networks?band=A')).body)).toEqual(['NET-1']);
    expect(order((await lab.get('/networks?min_size=4')).body)).toEqual(['NET-1']);
  });

  it('network: ranks members by harm, never ranks or bands the victim-only member, labels intelligence links', async () => {
    const body = (await lab.get('/networks/NET-1')).body;
    const ranked = body.slice(body.indexOf('id="members"'), body.indexOf('id="members-unranked"'));
    expect([...ranked.matchAll(/href="\/nominals\/(N\d)/g)].map((m) => m[1])).toEqual(['N1', 'N2', 'N3', 'N4']);
    const unranked = body.slice(body.indexOf('id="members-unranked"'));
    expect(unranked).toContain('Echo EVANS');
    expect(text(body)).toContain('Bravo BROWN — Charlie CLARK INTEL_ASSOCIATION intelligence — not evidence');
    // key players exclude the under-18 (N3, impact 0.1) and the victim
    const key = text(body.slice(body.indexOf('Key players'), body.indexOf('Lineage')));
    expect(key).not.toContain('Charlie');
    expect(key).not.toContain('Echo');
  });

  it('network harm trend: an SVG of the stored Vega-Lite spec, proven and alleged', async () => {
    const res = await lab.get('/networks/NET-1/harm-trend.svg');
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.body).toMatch(/^<svg [^>]*data-chart="network-harm-trend"/);
    expect(res.body).toContain('alleged');
    expect((await lab.get('/networks/NOPE/harm-trend.svg')).statusCode).toBe(404);
  });

  it('graph JSON: nodes sized by harm, victim unbanded, intelligence-only edges flagged', async () => {
    const g = JSON.parse((await lab.get('/api/networks/NET-1/graph')).body);
    expect(g.nodes.map((n: { id: string }) => n.id)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5']);
    const n1 = g.nodes.find((n: { id: string }) => n.id === 'N1');
    const n5 = g.nodes.find((n: { id: string }) => n.id === 'N5');
    expect(n1.size).toBe(20); // largest harm: 4 + 16
    expect([n5.band, n5.harm_cchi, n5.unranked, n5.size]).toEqual([null, null, true, 4]);
    expect(g.edges.filter((e: { intelligence_only: boolean }) => e.intelligence_only).map((e: { source: string; target: string; label: string }) => [e.source, e.target, e.label]))
      .toEqual([['N2', 'N3', 'intelligence — not evidence']]);
  });

  it('nominal: proven and alleged apart with source references; victim shown as not scored', async () => {
    const t = text((await lab.get('/nominals/N1')).body);
    expect(t).toContain('headline 400 CCHI days · proven 300 · alleged 100');
    expect(t).toMatch(/Proven \(convicted, charged, cautioned\) .*CRM-N1-1 2026-06-01 008\/01 CONVICTED 300/);
    expect(t).toMatch(/Alleged \(under investigation or open\) .*CRM-N1-2 2026-09-01 030\/01 UNDER_INVESTIGATION 200/);
    expect(t).toContain('crime CR-N1 Almost Certain');
    expect(t).toContain('custody CU-N1 Highly Likely');
    expect(t).toContain('REF-N1-N2');
    const victim = text((await lab.get('/nominals/N5')).body);
    expect(victim).toContain('Not scored and never ranked');
    expect(victim).not.toContain('CRM-N5');
    const child = text((await lab.get('/nominals/N3')).body);
    expect(child).toContain('under 18');
    expect(child).toContain('handling codes: P');
    expect(text((await lab.get('/nominals/N4')).body)).toContain('In custody per PINS');
  });

  it('nominal: force-wide harm rank against the oldest week shown (N1 rose 2nd → 1st, N2 fell 1st → 2nd)', async () => {
    const rank = async (url: string) => /id="rank-change">([^<]*<strong>[^<]*<\/strong>[^<]*(?:<strong>[^<]*<\/strong>)?[^<]*)</.exec((await lab.get(url)).body)?.[1]?.replace(/<\/?strong>/g, '');
    expect(await rank('/nominals/N1')).toBe('Force-wide harm rank 1, was 2 on 2026-11-09: ▲1 (up).');
    expect(await rank('/nominals/N2')).toBe('Force-wide harm rank 2, was 1 on 2026-11-09: ▼1 (down).');
    expect(await rank('/nominals/N6')).toBe('Force-wide harm rank 3, was 3 on 2026-11-09: no change.');
    expect(await rank('/nominals/N5')).toBeUndefined(); // a victim is never ranked
    expect(await rank(`/nominals/N1?snapshot=${h.ids.old}`)).toBe('Force-wide harm rank 2; no earlier ranked week to compare.');
    expect(text((await lab.get('/nominals/N1')).body)).toMatch(/2026-11-09 NET-1 A 2 200 .*2026-11-16 NET-1 A 1 400/);
  });

  it('search lists people with no band for a victim; export carries the caveats', async () => {
    const t = text((await lab.get('/search?q=ev')).body);
    expect(t).toContain('1 found');
    expect(t).toMatch(/Echo EVANS 2000-05-05 NET-1 — safeguarding only/);
    const csv = (await lab.get('/export/networks/NET-1')).body;
    expect(csv.split('\n')[0]).toContain(`snapshot ${h.ids.new}`);
    for (const c of CAVEATS) expect(csv).toContain(c.text);
    expect(csv).toContain('N5,Echo EVANS,,,,,false,false,true');
  });

  it('feedback is tracked to closure by the lab, each change kept with who and a note', async () => {
    const analyst = await signedIn(h.app, 'analyst1');
    const sent = await analyst.post('/feedback', { kind: 'bias', message: 'Band A list looks skewed' });
    const id = /sent=(\d+)/.exec(String(sent.headers.location))![1]!;
    expect((await analyst.post(`/feedback/${id}/status`, { status: 'closed' })).statusCode).toBe(403);
    expect((await lab.post(`/feedback/${id}/status`, { status: 'investigating', note: 'checking fairness report' })).statusCode).toBe(303);
    expect((await lab.post(`/feedback/${id}/status`, { status: 'closed', note: 'no disparity above threshold' })).statusCode).toBe(303);
    expect((await lab.post(`/feedback/${id}/status`, { status: 'deleted' })).statusCode).toBe(400);
    const t = text((await lab.get('/feedback/list')).body);
    expect(t).toMatch(/Band A list looks skewed closed .*lab1: investigating — checking fairness report .*lab1: closed — no disparity above threshold/);
  });

  it('escapes user-supplied text (feedback shown to the lab)', async () => {
    await lab.post('/feedback', { kind: 'error', message: '<script>alert(1)</script> & "quotes"' });
    const body = (await lab.get('/feedback/list')).body;
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(body).not.toContain('<script>alert');
  });
});

describe('snapshots page', () => {
  it('diff: what changed between the two weeks, largest harm change first', async () => {
    const t = text((await lab.get(`/snapshots/diff?a=${h.ids.old}&b=${h.ids.new}`)).body);
    expect(t).toContain('Inputs changed: pins');
    expect(t).toMatch(/Networks 0 added, 0 removed, 2 changed.* NET-1 changed 262.5 525 262.5 .* NET-2 changed 43.5 87 43.5/);
    expect((await lab.get(`/snapshots/diff?b=${h.ids.new}`)).statusCode).toBe(400);
    expect((await lab.get(`/snapshots/diff?a=2026-01-01-000000000000&b=${h.ids.new}`)).statusCode).toBe(404);
  });

  it('verify: re-hashes a snapshot and reports a tampered file', async () => {
    expect(text((await lab.get(`/snapshots/${h.ids.new}/verify`)).body)).toMatch(/Verified : \d+ files/);
    const folder = path.join(h.snapshotsDir, h.ids.old);
    const file = path.join(folder, 'alerts.parquet');
    chmodSync(folder, 0o755);
    chmodSync(file, 0o644);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(file, bytes);
    const t = text((await lab.get(`/snapshots/${h.ids.old}/verify`)).body);
    expect(t).toContain('FAILED');
    expect(t).toContain('alerts.parquet');
  });
});

describe('helpers', () => {
  it('words probabilities with the Probability Yardstick, the term below across gaps (as the disclosure bundles do)', () => {
    expect([0.01, 0.07, 0.15, 0.3, 0.45, 0.5, 0.6, 0.85, 0.93, 1].map(yardstickTerm)).toEqual([
      'Remote Chance', 'Remote Chance', 'Highly Unlikely', 'Unlikely', 'Realistic Possibility', 'Realistic Possibility',
      'Likely or Probable', 'Highly Likely', 'Highly Likely', 'Almost Certain',
    ]);
  });

  it('renders a stored Vega-Lite spec to SVG with the data given', async () => {
    const svg = await renderChartSvg('harm-trend-by-network-type', [
      { as_of: '2026-11-09', network_type: 'SOC', harm_cchi: 10 },
      { as_of: '2026-11-16', network_type: 'SOC', harm_cchi: 20 },
    ]);
    expect(svg).toMatch(/^<svg [^>]*data-chart="harm-trend-by-network-type"/);
    expect(svg).toContain('SOC');
    expect(svg).not.toMatch(/style=|<script/);
  });
});
