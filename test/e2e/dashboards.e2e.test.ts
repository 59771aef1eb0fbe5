// End to end in headless Chromium (Debian's /usr/bin/chromium via playwright-core): sign in, acknowledge
// the caveats, overview → network → nominal, banners, sigma canvas, chart, snapshot switch, screenshots,
// and no console errors (a CSP violation is a console error). Skipped when Chromium is absent.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer } from '../../dashboards/server.ts';
import { openServing } from '../../dashboards/serving-store.ts';
import { addUser } from '../../dashboards/accounts.ts';
import { tempDir } from '../helpers/context.ts';
import { writeFixtureSnapshots, type FixtureIds } from '../dashboards/fixture-snapshot.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts', 'e2e');
const PASSWORD = 'an end-to-end password';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`e2e dashboards tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!haveChromium)('dashboards in headless Chromium', () => {
  let dir: string;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  let ids: FixtureIds;
  const problems: string[] = [];

  beforeAll(async () => {
    dir = tempDir('harmnet-e2e-');
    const snapshotsDir = path.join(dir, 'snapshots');
    const servingFile = path.join(dir, 'serving.duckdb');
    ids = await writeFixtureSnapshots(snapshotsDir);
    const s = await openServing(servingFile);
    await addUser(s.db, { username: 'analyst1', role: 'analyst', password: PASSWORD }, new Date());
    await addUser(s.db, { username: 'lab1', role: 'lab', password: PASSWORD }, new Date());
    s.release();
    server = await startServer({ port: 0, snapshotsDir, servingFile, demo: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch(page);
  });

  /** Console errors, CSP warnings, failed requests and HTTP errors of a page go to `problems`. */
  function watch(p: Page) {
    p.on('console', (m) => {
      // errors, and any warning about the Content Security Policy (GPU driver performance notes are not problems)
      if (m.type() === 'error' || (m.type() === 'warning' && /Content[- ]Security[- ]Policy|Refused/i.test(m.text()))) problems.push(`${m.type()}: ${m.text()}`);
    });
    p.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${new URL(r.url()).pathname}`);
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // a navigation that turns into a file download is reported as aborted: not a problem
    p.on('requestfailed', (r) => {
      if (!(new URL(r.url()).pathname.startsWith('/disclosures/') && r.failure()?.errorText === 'net::ERR_ABORTED')) problems.push(`requestfailed: ${r.url()}`);
    });
  }

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) removeTree(dir);
  });

  it('signs in and acknowledges the caveats before anything else is reachable', async () => {
    await page.goto(`${server.url}/overview`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', 'analyst1');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')]);
    expect(await page.locator('#caveats li').count()).toBe(9);
    await page.screenshot({ path: path.join(ARTIFACTS, '01-caveats.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/overview$/), page.click('#acknowledge')]);
  });

  it('overview shows the banners and renders the chart', async () => {
    await expect(page.locator('#caveat-banner').textContent()).resolves.toContain('not a prediction');
    await expect(page.locator('#demo-banner').textContent()).resolves.toContain('Synthetic demonstration data');
    await expect(page.locator('#source-banner').textContent()).resolves.toContain('pins');
    expect(await page.locator('#snapshot-id').textContent()).toBe(ids.new);
    const chart = page.locator('#chart-harm-by-type svg[data-chart]');
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(await chart.locator('path, line').count()).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(ARTIFACTS, '02-overview.png'), fullPage: true });
  });

  it('network page draws the graph with sigma.js, intelligence links dashed', async () => {
    const graphRequests: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (new URL(r.url()).pathname === '/api/networks/NET-1/graph') graphRequests.push(r.url());
    };
    page.on('request', onRequest);
    const t0 = Date.now();
    await Promise.all([page.waitForURL(/\/networks\/NET-1/), page.locator('#top-networks a[href^="/networks/NET-1"]').first().click()]);
    await page.waitForSelector('#network-graph[data-rendered="true"]', { timeout: 15_000 });
    const interactiveMs = Date.now() - t0;
    // the graph data is fetched once: the page's preload is the response the script uses
    page.off('request', onRequest);
    expect(graphRequests).toHaveLength(1);
    expect(await page.locator('#network-graph').getAttribute('data-nodes')).toBe('5');
    expect(await page.locator('#network-graph').getAttribute('data-intel-edges')).toBe('1');
    expect(await page.locator('#network-graph canvas').count()).toBeGreaterThanOrEqual(2);
    // the canvas has drawn pixels: not every pixel of the overlay is blank
    const painted = await page.evaluate(() => {
      const c = document.querySelector('#network-graph canvas.sigma-intel-edges') as HTMLCanvasElement | null;
      if (!c) return -1;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(50);
    // the network's harm-trend chart (server-rendered SVG, loaded as an image) has loaded
    await page.waitForFunction(() => {
      const img = document.querySelector('#chart-network-harm img') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    }, undefined, { timeout: 15_000 });
    // the map of where members' records happened: a server-rendered Vega-Lite SVG with its caption
    await page.waitForFunction(() => {
      const img = document.querySelector('#chart-record-map img') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    }, undefined, { timeout: 15_000 });
    await expect(page.locator('#record-map-caption').textContent()).resolves.toContain('Approximate location of recorded events');
    expect((await page.locator('#chart-record-map img').boundingBox())!.width).toBeGreaterThan(300);
    await page.locator('#chart-record-map').screenshot({ path: path.join(ARTIFACTS, '03b-record-map.png') });
    await page.screenshot({ path: path.join(ARTIFACTS, '03-network.png'), fullPage: true });
    console.info(`e2e: network page interactive in ${interactiveMs} ms (5 nodes)`);
  });

  it('nominal page shows proven and alleged harm apart', async () => {
    await Promise.all([page.waitForURL(/\/nominals\/N1/), page.locator('#members a[href^="/nominals/N1"]').first().click()]);
    await expect(page.locator('#harm-summary').textContent()).resolves.toMatch(/proven\s+300.*alleged\s+100/s);
    expect(await page.locator('#harm-proven tbody tr').count()).toBe(1);
    expect(await page.locator('#harm-alleged tbody tr').count()).toBe(1);
    await expect(page.locator('#caveat-banner').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, '04-nominal.png'), fullPage: true });
  });

  it('switches to an earlier snapshot from the switcher', async () => {
    await Promise.all([page.waitForURL(new RegExp(`snapshot=${ids.old}`)), page.selectOption('#snapshot-select', ids.old)]);
    expect(await page.locator('#snapshot-id').textContent()).toBe(ids.old);
    expect(await page.locator('#snapshot-as-of').textContent()).toBe('2026-11-09');
    expect(await page.locator('#source-banner').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, '05-earlier-snapshot.png'), fullPage: true });
  });

  it('fairness page and the public transparency register render (accountability)', async () => {
    await page.goto(`${server.url}/fairness`);
    expect(await page.locator('table.fairness tr[data-flagged="true"]').count()).toBe(1);
    const chart = page.locator('#chart-fairness-trend svg[data-chart="fairness-trend"]');
    expect((await chart.boundingBox())!.width).toBeGreaterThan(200);
    await page.screenshot({ path: path.join(ARTIFACTS, '06-fairness.png'), fullPage: true });
    await page.goto(`${server.url}/transparency`);
    await expect(page.locator('#transparency-register #tier_1').textContent()).resolves.toContain('Contact email');
    await page.screenshot({ path: path.join(ARTIFACTS, '07-transparency.png'), fullPage: true });
  });

  it('a lab user makes and downloads a disclosure bundle from the snapshots page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    try {
      const lab = await ctx.newPage();
      watch(lab);
      await lab.goto(`${server.url}/login`);
      await lab.fill('input[name=username]', 'lab1');
      await lab.fill('input[name=password]', PASSWORD);
      await Promise.all([lab.waitForURL(`${server.url}/`), lab.click('button[type=submit]')]);
      await Promise.all([lab.waitForURL(/\/overview$/), lab.click('#acknowledge')]);
      await lab.goto(`${server.url}/snapshots`);
      await lab.selectOption('#disclosure select[name=subject_type]', 'network');
      await lab.fill('#disclosure input[name=subject_id]', 'NET-1');
      await lab.screenshot({ path: path.join(ARTIFACTS, '08-disclosure-form.png'), fullPage: true });
      const [download] = await Promise.all([lab.waitForEvent('download'), lab.click('#make-disclosure')]);
      expect(download.suggestedFilename()).toBe(`disclosure-network-NET-1-${ids.new}.tar.gz`);
      const tar = gunzipSync(readFileSync((await download.path())!)).toString('latin1');
      for (const f of ['CAVEATS.txt', 'index.html', 'manifest.json', 'SHA256SUMS']) expect(tar).toContain(`disclosure-network-NET-1-${ids.new}/${f}`);
    } finally {
      await ctx.close();
    }
  });

  it('logged no console errors, CSP violations or failed requests', () => {
    expect(problems).toEqual([]);
  });

  it('would have noticed a CSP violation: an injected inline script is refused and reported', async () => {
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await page.waitForTimeout(100);
    expect(problems.some((p) => /Content Security Policy/i.test(p))).toBe(true);
  });
});
