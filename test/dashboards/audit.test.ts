// The audit log: nominal and network views, searches and exports are recorded with who, role, what,
// snapshot and when; the hash chain verifies, and editing or deleting any one row breaks it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServing } from '../../dashboards/serving-store.ts';
import { verifyAuditChain, verifyAuditChainDb, appendAudit, GENESIS_HASH, chainHash, canonicalAuditRow } from '../../dashboards/audit.ts';
import { Db } from '../../pipelines/core/db.ts';
import { SERVING_SCHEMA_SQL } from '../../dashboards/serving-store.ts';
import { T0, signedIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function auditRows() {
  const s = await openServing(h.servingFile);
  const rows = await s.db.all(
    `SELECT seq, strftime(logged_at, '%Y-%m-%dT%H:%M:%SZ') AS at, username, role, action, subject_type, subject_id, snapshot_id, detail
       FROM audit_log ORDER BY seq`,
  );
  s.release();
  return rows;
}

describe('audit log', () => {
  it('records caveat acknowledgement, nominal and network views, searches and exports', async () => {
    const c = await signedIn(h.app, 'analyst1');
    h.advance(1);
    expect((await c.get('/nominals/N1')).statusCode).toBe(200);
    expect((await c.get(`/networks/NET-2?snapshot=${h.ids.old}`)).statusCode).toBe(200);
    expect((await c.get('/search?q=bravo')).statusCode).toBe(200);
    expect((await c.get('/export/networks/NET-1')).statusCode).toBe(200);
    expect((await c.get('/nominals/NOPE')).statusCode).toBe(404);
    const at = new Date(T0.getTime() + 60_000).toISOString().replace('.000', '');
    expect(await auditRows()).toEqual([
      { seq: 1, at: T0.toISOString().replace('.000', ''), username: 'analyst1', role: 'analyst', action: 'sign_in', subject_type: null, subject_id: null, snapshot_id: null, detail: null },
      { seq: 2, at: T0.toISOString().replace('.000', ''), username: 'analyst1', role: 'analyst', action: 'acknowledge_caveats', subject_type: null, subject_id: null, snapshot_id: null, detail: 'caveats-2026.1' },
      { seq: 3, at, username: 'analyst1', role: 'analyst', action: 'view_nominal', subject_type: 'nominal', subject_id: 'N1', snapshot_id: h.ids.new, detail: null },
      { seq: 4, at, username: 'analyst1', role: 'analyst', action: 'view_network', subject_type: 'network', subject_id: 'NET-2', snapshot_id: h.ids.old, detail: null },
      { seq: 5, at, username: 'analyst1', role: 'analyst', action: 'search', subject_type: 'nominal', subject_id: null, snapshot_id: h.ids.new, detail: 'bravo' },
      { seq: 6, at, username: 'analyst1', role: 'analyst', action: 'export', subject_type: 'network', subject_id: 'NET-1', snapshot_id: h.ids.new, detail: 'members csv' },
    ]);
  });

  it('records the graph-data request too, and shows the log with chain status to auditors', async () => {
    const c = await signedIn(h.app, 'senior1');
    await c.get('/api/networks/NET-1/graph');
    const rows = await auditRows();
    expect(rows.at(-1)).toMatchObject({ username: 'senior1', action: 'view_network', subject_id: 'NET-1', detail: 'graph data' });
    const auditor = await signedIn(h.app, 'auditor1');
    const page = (await auditor.get('/audit')).body;
    expect(page).toMatch(/Hash chain: <strong>intact<\/strong> over \d+ entries/);
    expect(page).toContain('view_nominal');
  });

  it('chains each row to the previous one: hash = sha256(prev_hash || canonical row)', async () => {
    const s = await openServing(h.servingFile);
    const first = await s.db.one<{ prev_hash: string; hash: string }>('SELECT prev_hash, hash FROM audit_log WHERE seq = 1');
    s.release();
    expect(first!.prev_hash).toBe(GENESIS_HASH);
    const r = (await auditRows())[0]!;
    const expected = chainHash(GENESIS_HASH, canonicalAuditRow({ ...(r as object), at: T0.toISOString() } as never));
    expect(first!.hash).toBe(expected);
  });

  it('verifies the intact chain and finds the first tampered or deleted row', async () => {
    const before = await verifyAuditChain(h.servingFile);
    expect(before.ok).toBe(true);
    expect(before.rows).toBeGreaterThanOrEqual(7);
    const s = await openServing(h.servingFile);
    try {
      await s.db.run("UPDATE audit_log SET subject_id = 'N2' WHERE seq = 3");
      expect(await verifyAuditChain(h.servingFile)).toEqual({ ok: false, rows: before.rows, brokenAt: 3 });
      await s.db.run("UPDATE audit_log SET subject_id = 'N1' WHERE seq = 3");
      expect((await verifyAuditChain(h.servingFile)).ok).toBe(true);
      await s.db.run('DELETE FROM audit_log WHERE seq = 4');
      expect(await verifyAuditChain(h.servingFile)).toEqual({ ok: false, rows: before.rows - 1, brokenAt: 5 });
      const auditor = await signedIn(h.app, 'auditor1');
      expect((await auditor.get('/audit')).body).toContain('BROKEN</strong> at entry 5');
    } finally {
      s.release();
    }
  });
});

describe('audit appends under concurrency', () => {
  it('chains 60 simultaneous appends in arrival order, committed in groups', async () => {
    const db = await Db.open(':memory:');
    await db.runFile(SERVING_SCHEMA_SQL);
    const rows = await Promise.all(Array.from({ length: 60 }, (_, i) => appendAudit(db, { at: T0, username: `u${i}`, role: 'analyst', action: 'view_nominal', subjectId: `N${i}` })));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await db.all('SELECT username FROM audit_log ORDER BY seq LIMIT 3')).toEqual([{ username: 'u0' }, { username: 'u1' }, { username: 'u2' }]);
    expect(await verifyAuditChainDb(db)).toEqual({ ok: true, rows: 60 });
    db.close();
  });

  it('keeps NULL and text apart in a multi-row batch, across more than one batch of 200', async () => {
    const db = await Db.open(':memory:');
    await db.runFile(SERVING_SCHEMA_SQL);
    await Promise.all(Array.from({ length: 250 }, (_, i) => appendAudit(db, { at: T0, username: `u${i}`, role: 'analyst', action: 'search', detail: i % 2 ? null : `q${i}`, snapshotId: i % 3 ? 'S1' : null })));
    expect(await db.all('SELECT seq, detail, snapshot_id FROM audit_log WHERE seq IN (1, 2, 201, 250) ORDER BY seq')).toEqual([
      { seq: 1, detail: 'q0', snapshot_id: null }, { seq: 2, detail: null, snapshot_id: 'S1' }, { seq: 201, detail: 'q200', snapshot_id: 'S1' }, { seq: 250, detail: null, snapshot_id: null },
    ]);
    expect(await verifyAuditChainDb(db)).toEqual({ ok: true, rows: 250 });
    db.close();
  });
});
