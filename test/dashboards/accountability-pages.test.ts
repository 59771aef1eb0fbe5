// The accountability pages on the fixture snapshots: /fairness shows the flagged cell (B1 in band A, ratio
// 2.0, newer week only), the overview banner appears only then, /transparency is public and reflects config.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../dashboards/server.ts';
import { openServing } from '../../dashboards/serving-store.ts';
import { addUser } from '../../dashboards/accounts.ts';
import { listAudit } from '../../dashboards/audit.ts';
import { defaultConfig } from '../../pipelines/core/config.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';
import { freshContext, tempDir } from '../helpers/context.ts';
import { Db } from '../../pipelines/core/db.ts';
import { recordDeployment } from '../../pipelines/accountability/record-deployment.ts';
import { writeFixtureSnapshots } from './fixture-snapshot.ts';
import { PASSWORD, signedIn, startHarness, T0, type Client, type Harness } from './harness.ts';

let h: Harness;
let lab: Client;
let senior: Client;
let guest: Client;
let auditor: Client;

beforeAll(async () => {
  h = await startHarness();
  // one at a time: each sign-in appends to the audit chain in its own transaction
  lab = await signedIn(h.app, 'lab1');
  senior = await signedIn(h.app, 'senior1');
  guest = await signedIn(h.app, 'guest1');
  auditor = await signedIn(h.app, 'auditor1');
});
afterAll(async () => h?.close());

const rows = (body: string, tableAttr: string) => {
  const table = new RegExp(`<table class="data fairness" data-attribute="${tableAttr}">([\\s\\S]*?)</table>`).exec(body)?.[1] ?? '';
  return [...table.matchAll(/<tr class="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => ({
    flagged: m[1] === 'flagged',
    cells: [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()),
  }));
};

describe('/fairness', () => {
  it('shows the newer snapshot by attribute with the flagged cell highlighted, the trend chart and the plain words', async () => {
    const res = await lab.get('/fairness');
    expect(res.statusCode).toBe(200);
    const eth = rows(res.body, 'ethnicity');
    // cohort, group, count, share of cohort, share of all, population share, ratio, flag
    expect(eth.filter((r) => r.flagged).map((r) => r.cells)).toEqual([['A', 'B1', '12', '40 %', '20 %', '—', '2', 'flagged']]);
    expect(eth).toHaveLength(4);
    expect(rows(res.body, 'sex').map((r) => [r.cells[1], r.cells[2], r.flagged])).toEqual([['F', '3', false], ['M', '5', false]]);
    expect(res.body).toContain('id="fairness-summary" class="alert"');
    expect(res.body).toMatch(/Ethnicity is used only here<\/strong>, to monitor fairness\. It is never used in linking/);
    expect(res.body).toContain('A flag is a prompt to look, not proof of bias.');
    expect(res.body).toMatch(/href="\/feedback\?page=%2Ffairness&amp;snapshot=/);
    // the trend: two weeks of ethnicity and sex, server-rendered SVG (no script)
    expect(res.body).toMatch(/<svg role="img"[^>]*data-chart="fairness-trend"/);
  });

  it('shows no flag for the older snapshot (B1 is 6 of 30 in band A there: ratio 1.0)', async () => {
    const res = await senior.get(`/fairness?snapshot=${h.ids.old}`);
    expect(res.statusCode).toBe(200);
    expect(rows(res.body, 'ethnicity').some((r) => r.flagged)).toBe(false);
    expect(res.body).toContain('No cells flagged in this snapshot.');
  });

  it('audits every view', async () => {
    await auditor.get(`/fairness?snapshot=${h.ids.old}`);
    const s = await openServing(h.servingFile);
    try {
      const views = (await listAudit(s.db, { limit: 500, offset: 0 })).filter((r) => r.action === 'view_report' && r.subject_id === 'fairness');
      expect(views.some((r) => r.username === 'auditor1' && r.snapshot_id === h.ids.old)).toBe(true);
    } finally {
      s.release();
    }
  });
});

describe('overview accountability panels', () => {
  it('shows the fairness banner only when a cell of the shown snapshot is flagged, linked for roles that can open /fairness', async () => {
    const now = await senior.get('/overview');
    expect(now.body).toMatch(/id="fairness-banner">Fairness monitoring: <strong>1<\/strong> cohort cell in this snapshot/);
    expect(now.body).toContain(`href="/fairness?snapshot=${h.ids.new}"`);
    const before = await senior.get(`/overview?snapshot=${h.ids.old}`);
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain('fairness-banner');
    // a guest sees the banner but no link to a page they cannot open
    const g = await guest.get('/overview');
    expect(g.body).toContain('id="fairness-banner"');
    expect(g.body).not.toContain('href="/fairness');
  });

  it('lists the data-quality rows in the freshness panel', async () => {
    const res = await lab.get('/overview');
    expect(res.body).toMatch(/<summary>Data quality \(1 checks\)<\/summary>/);
    expect(res.body).toMatch(/<tr><td>crime<\/td><td>unknown_offence_codes<\/td><td class="num">0<\/td><\/tr>/);
  });
});

describe('/evaluation', () => {
  it('renders the evaluation report of the shown snapshot read-only, and says the deployment log is not available without a warehouse', async () => {
    const res = await auditor.get('/evaluation');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`Snapshot ${h.ids.new} (as of 2026-11-16)`);
    expect(res.body).toMatch(/<dt>Held<\/dt><dd>8<\/dd>/);
    expect(res.body).toContain('id="deployment-log-unavailable"');
    // the flagged fairness cell is in the report's fairness section too
    expect(res.body).toContain('1 fairness disparity flag(s) in this snapshot.');
    expect(res.body).not.toMatch(/<script(?! src="\/static\/app\.js")/);
  });
});

describe('/transparency and the deployment log (own server with a config and a warehouse)', () => {
  it('is public, escaped, reflects the running configuration and records the view; /evaluation shows the deployment log', async () => {
    const dir = tempDir('harmnet-transparency-');
    const snapshotsDir = path.join(dir, 'snapshots');
    const servingFile = path.join(dir, 'serving.duckdb');
    await writeFixtureSnapshots(snapshotsDir);
    const s = await openServing(servingFile);
    await addUser(s.db, { username: 'lab1', role: 'lab', password: PASSWORD }, T0);
    s.release();
    // a warehouse with one run (start + end) by "scheduler" under code version v-test-1
    const warehouseFile = path.join(dir, 'warehouse.duckdb');
    const wctx = await freshContext({ root: dir, db: await Db.open(warehouseFile) });
    await recordDeployment(wctx, { runId: 'RUN-1', event: 'start', startedBy: 'scheduler', codeVersion: 'v-test-1', weeks: ['2026-11-16'] });
    await recordDeployment(wctx, { runId: 'RUN-1', event: 'end', startedBy: 'scheduler', codeVersion: 'v-test-1', outcome: 'success' });
    wctx.db.close();
    const config = defaultConfig(dir);
    config.transparency.contactEmail = 'complaints@force.example';
    config.transparency.organisation = 'Force <script>alert(1)</script> & Co';
    const built = await buildServer({ port: 0, snapshotsDir, servingFile, config, warehouseFile, clock: () => T0 });
    try {
      const res = await built.app.inject({ method: 'GET', url: '/transparency' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toContain('complaints@force.example');
      expect(res.body).toContain('Force &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
      expect(res.body).not.toContain('<script');
      expect(res.body).not.toMatch(/\sstyle=/);
      expect(res.body).toContain('id="transparency-public"');
      expect(res.body).toContain('Algorithmic Transparency Recording Standard');
      const serving = await openServing(servingFile);
      try {
        const views = (await listAudit(serving.db, { limit: 50, offset: 0 })).filter((r) => r.subject_id === 'transparency');
        expect(views.map((r) => [r.username, r.role, r.action])).toEqual([['(public)', 'public', 'view_report']]);
      } finally {
        serving.release();
      }
      const lab = await signedIn(built.app, 'lab1');
      const ev = await lab.get('/evaluation');
      expect(ev.statusCode).toBe(200);
      expect(ev.body).not.toContain('deployment-log-unavailable');
      expect(ev.body).toMatch(/entries, read-only from the warehouse/);
      const deploy = /<section id="deployments">([\s\S]*?)<\/section>/.exec(ev.body)?.[1] ?? '';
      expect(deploy).toContain('scheduler');
      expect(deploy).toContain('v-test-1');
      expect(deploy).toContain('success');
    } finally {
      await built.close();
      removeTree(dir);
    }
  });
});
