// The network page's map of members' scored records (points only, under-18s left out, audited), the snapshots
// page's disclosure bundle (lab and auditors, .tar.gz to its maker, audited twice), and the server's warm-up.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServing } from '../../dashboards/serving-store.ts';
import { startServer } from '../../dashboards/server.ts';
import { tarGz } from '../../dashboards/tar-gz.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';
import { signedIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function auditRows(action: string) {
  const s = await openServing(h.servingFile);
  const rows = await s.db.all('SELECT username, action, subject_type, subject_id, snapshot_id, detail FROM audit_log WHERE action = $action ORDER BY seq', { action });
  s.release();
  return rows;
}

/** The points Vega drew: the <path> elements of the symbol mark group. */
function points(svg: string): number {
  const start = svg.indexOf('mark-symbol');
  if (start < 0) return 0;
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return (group.match(/<path /g) ?? []).length;
}

/** File names in a ustar archive (name field at 0, prefix at 345, size at 124, 512-byte blocks). */
function tarNames(tar: Buffer): string[] {
  const names: string[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const block = tar.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const field = (o: number, n: number) => block.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    names.push(prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const size = parseInt(field(124, 12), 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

describe('server warm-up', () => {
  it('reports ready on /healthz once the latest snapshot is open with its lookups and large layouts built', async () => {
    const server = await startServer({ port: 0, snapshotsDir: h.snapshotsDir, servingFile: path.join(h.dir, 'warm-serving.duckdb') });
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = ((await (await fetch(`${server.url}/healthz`)).json()) as { ready: boolean }).ready;
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('network record map', () => {
  it('maps the located records of members, leaving out the under-18 member, with the caption and an audit row', async () => {
    const c = await signedIn(h.app, 'analyst1');
    const pageRes = await c.get('/networks/NET-1');
    expect(pageRes.body).toContain('id="chart-record-map"');
    expect(pageRes.body).toContain('Approximate location of recorded events');
    expect(pageRes.body).not.toContain('not yet available');
    const net1 = await c.get('/networks/NET-1/record-map.svg');
    expect(net1.statusCode).toBe(200);
    expect(net1.headers['content-type']).toContain('image/svg+xml');
    expect(net1.body).toContain('data-chart="network-record-map"');
    // fixture: N1 two records, N2 one; N3's is left out (under 18); N6's belongs to NET-2
    expect(points(net1.body)).toBe(3);
    expect(points((await c.get('/networks/NET-2/record-map.svg')).body)).toBe(1);
    expect((await c.get('/networks/NOPE/record-map.svg')).statusCode).toBe(404);
    expect(await auditRows('view_network')).toEqual(expect.arrayContaining([
      { username: 'analyst1', action: 'view_network', subject_type: 'network', subject_id: 'NET-1', snapshot_id: h.ids.new, detail: 'record map' },
    ]));
  });

  it('maps an earlier snapshot from its own locations table', async () => {
    const c = await signedIn(h.app, 'senior1');
    const old = await c.get(`/networks/NET-1/record-map.svg?snapshot=${h.ids.old}`);
    // the older fixture week carries the same locations table, so it maps the same three
    expect(points(old.body)).toBe(3);
  });
});

describe('disclosure bundle from the snapshots page', () => {
  it('offers the form to the lab and auditors only', async () => {
    expect((await (await signedIn(h.app, 'lab1')).get('/snapshots')).body).toContain('id="make-disclosure"');
    expect((await (await signedIn(h.app, 'auditor1')).get('/snapshots')).body).toContain('id="make-disclosure"');
    expect((await (await signedIn(h.app, 'analyst1')).get('/snapshots')).body).not.toContain('id="make-disclosure"');
  });

  it('makes the bundle, downloads it as .tar.gz for its maker only, and audits both', async () => {
    const lab = await signedIn(h.app, 'lab1');
    const made = await lab.post(`/snapshots/${h.ids.new}/disclosure`, { subject_type: 'network', subject_id: 'NET-1' });
    expect(made.statusCode).toBe(303);
    const where = String(made.headers.location);
    expect(where).toMatch(/^\/disclosures\/[A-Za-z0-9_-]+$/);
    const dl = await lab.get(where);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/gzip');
    const root = `disclosure-network-NET-1-${h.ids.new}`;
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="${root}.tar.gz"`);
    const names = tarNames(gunzipSync(dl.rawPayload));
    expect(names).toEqual(expect.arrayContaining([`${root}/`, `${root}/CAVEATS.txt`, `${root}/index.html`, `${root}/manifest.json`, `${root}/SHA256SUMS`]));
    // another auditor-capable account cannot fetch it, and nor can anyone once it is unknown
    expect((await (await signedIn(h.app, 'auditor1')).get(where)).statusCode).toBe(404);
    const exports = (await auditRows('export')).filter((r) => String(r.detail).startsWith('disclosure bundle'));
    expect(exports).toHaveLength(2);
    expect(exports.map((r) => [r.username, r.subject_type, r.subject_id, r.snapshot_id])).toEqual([
      ['lab1', 'network', 'NET-1', h.ids.new], ['lab1', 'network', 'NET-1', h.ids.new],
    ]);
    expect(String(exports[0]!.detail)).toMatch(/^disclosure bundle [0-9a-f]{64}$/);
    expect(String(exports[1]!.detail)).toMatch(/^disclosure bundle [0-9a-f]{64} downloaded$/);
    // the export log beside the snapshots records it too (pipelines/export/export-log.ts)
    expect(readFileSync(path.join(h.snapshotsDir, 'export-log.jsonl'), 'utf8')).toContain('"subject_id":"NET-1"');
  });

  it('refuses a bad subject with a clear message, and a form without its CSRF token', async () => {
    const lab = await signedIn(h.app, 'lab1');
    const bad = await lab.post(`/snapshots/${h.ids.new}/disclosure`, { subject_type: 'nominal', subject_id: '../etc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('give the nominal id exactly as shown');
    const missing = await lab.post(`/snapshots/${h.ids.new}/disclosure`, { subject_type: 'nominal', subject_id: 'NOBODY' });
    expect(missing.statusCode).toBe(404);
    expect((await lab.post(`/snapshots/${h.ids.new}/disclosure`, { subject_type: 'network', subject_id: 'NET-1' }, false)).statusCode).toBe(403);
  });

  it('packs the same folder to the same bytes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'harmnet-tar-'));
    try {
      mkdirSync(path.join(dir, 'data'));
      writeFileSync(path.join(dir, 'data', 'a.csv'), 'x,y\n1,2\n');
      writeFileSync(path.join(dir, 'README.txt'), 'hello');
      const a = tarGz(dir, 'bundle', 1_700_000_000);
      expect(tarGz(dir, 'bundle', 1_700_000_000).equals(a)).toBe(true);
      expect(tarNames(gunzipSync(a))).toEqual(['bundle/', 'bundle/README.txt', 'bundle/data/', 'bundle/data/a.csv']);
    } finally {
      removeTree(dir);
    }
  });
});
