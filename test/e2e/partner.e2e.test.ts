// End to end in headless Chromium: a partner signs in, acknowledges the caveats, uploads a CSV through
// the partner page's form, sees the result and downloads the result CSV. Skipped when Chromium is absent.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StageContext } from '../../pipelines/core/context.ts';
import { startServer } from '../../dashboards/server.ts';
import { openServing } from '../../dashboards/serving-store.ts';
import { addUser } from '../../dashboards/accounts.ts';
import { freshContext, removeDir } from '../helpers/context.ts';
import { buildMatchSnapshot, type MatchFixture } from '../match/match-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = path.resolve('test-artifacts', 'e2e');
const PASSWORD = 'a partner end-to-end password';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`e2e partner test skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

// r1: an offender in a network (MATCH, harm 420 band B); r2: nobody held; r3: a victim only (withheld: NO_MATCH).
const LIST = 'row_ref,surname,forenames,date_of_birth\r\nr1,Thistlewood,Ambrose,1988-03-14\r\nr2,Nobody,Here,1970-01-01\r\nr3,Featherstonehaugh,Imelda,1995-07-21\r\n';

describe.skipIf(!haveChromium)('partner match service in headless Chromium', () => {
  let ctx: StageContext & { root: string };
  let fx: MatchFixture;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ctx = await freshContext();
    const snapshotsDir = path.join(ctx.root, 'snaps');
    fx = await buildMatchSnapshot(ctx, snapshotsDir);
    const servingFile = path.join(ctx.root, 'serving.duckdb');
    const s = await openServing(servingFile);
    await addUser(s.db, { username: 'rocu', role: 'partner', password: PASSWORD }, new Date());
    s.release();
    server = await startServer({ port: 0, snapshotsDir, servingFile, demo: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('console', (m) => {
      if (m.type() === 'error' || (m.type() === 'warning' && /Content[- ]Security[- ]Policy|Refused/i.test(m.text()))) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${new URL(r.url()).pathname}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    ctx?.db.close();
    if (ctx) removeDir(ctx.root);
  });

  it('signs in as a partner and acknowledges the caveats', async () => {
    await page.goto(`${server.url}/partner`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', 'rocu');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')]);
    await Promise.all([page.waitForNavigation(), page.click('#acknowledge')]);
    await page.goto(`${server.url}/partner`);
    expect(new URL(page.url()).pathname).toBe('/partner');
    expect(await page.locator('#partner-upload-form').count()).toBe(1);
    expect(await page.locator('#partner-history-empty').count()).toBe(1);
  }, 30_000);

  it('uploads a CSV through the form and sees the result', async () => {
    await page.fill('#partner-upload-form input[name=officer]', 'DS 1234');
    await page.fill('#partner-upload-form input[name=purpose]', 'Operation Larch check');
    await page.selectOption('#partner-upload-form select[name=legal_basis]', 'DPA2018-PART3');
    await page.setInputFiles('#partner-upload-form input[name=file]', { name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(LIST, 'utf8') });
    await page.screenshot({ path: path.join(ARTIFACTS, 'partner-01-upload.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/partner\/requests\/PM-\d{8}-\d{6}$/), page.click('#partner-upload-form button[type=submit]')]);
    const rows = await page.locator('#partner-result tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent?.trim() ?? '')));
    expect(rows).toEqual([
      ['r1', 'MATCH', 'Almost Certain', 'yes', '420.0'],
      ['r2', 'NO_MATCH', '', '', ''],
      ['r3', 'NO_MATCH', '', '', ''],
    ]);
    const body = await page.locator('body').innerText();
    expect(body).toContain(fx.snapshotId);
    // nothing about the nominal, its associates or records: no nominal ids, source references or other people
    for (const id of Object.values(fx.nominal)) expect(body).not.toContain(id);
    for (const secret of ['CRX001', 'CUX001', 'CRX002', 'Marchbanks', 'associate', 'K1']) expect(body).not.toContain(secret);
    await page.screenshot({ path: path.join(ARTIFACTS, 'partner-02-result.png'), fullPage: true });
  }, 60_000);

  it('downloads the result CSV: caveat lines, then exactly the partner columns, nothing else', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#partner-result-csv')]);
    expect(download.suggestedFilename()).toMatch(/^PM-\d{8}-\d{6}\.csv$/);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\r\n').filter((l) => l !== '');
    const caveats = lines.filter((l) => l.startsWith('#'));
    expect(caveats.length).toBeGreaterThan(0);
    expect(lines.slice(0, caveats.length)).toEqual(caveats); // caveats lead
    const data = lines.slice(caveats.length);
    expect(data[0]).toBe('row_ref,status,confidence,in_network,harm_cchi,harm_band,snapshot_id');
    expect(data.slice(1)).toEqual([
      `r1,MATCH,Almost Certain,yes,420.0,B,${fx.snapshotId}`,
      `r2,NO_MATCH,,,,,${fx.snapshotId}`,
      `r3,NO_MATCH,,,,,${fx.snapshotId}`,
    ]);
    for (const id of Object.values(fx.nominal)) expect(text).not.toContain(id);
    for (const secret of ['CRX001', 'Marchbanks', 'K1']) expect(text).not.toContain(secret);
  }, 30_000);

  it('the request is in the partner\'s own history', async () => {
    await page.goto(`${server.url}/partner`);
    expect(await page.locator('#partner-history tbody tr').count()).toBe(1);
    await expect(page.locator('#partner-history tbody tr').first().textContent()).resolves.toContain('COMPLETED');
    await page.screenshot({ path: path.join(ARTIFACTS, 'partner-03-history.png'), fullPage: true });
  });

  it('logged no console errors, CSP violations or failed requests', () => {
    expect(problems).toEqual([]);
  });
});
