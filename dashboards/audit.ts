// The append-only, hash-chained audit log (safeguards.md 12): each row stores
// hash = sha256(prev_hash || canonical JSON of the row), so editing or deleting any row breaks the chain.

import { createHash } from 'node:crypto';
import { LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { Db } from '../pipelines/core/db.ts';
import { openServing } from './serving-store.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: Date;
  username: string;
  role: string;
  action: 'view_nominal' | 'view_network' | 'export' | 'search' | 'acknowledge_caveats' | 'sign_in' | 'sign_out' | 'feedback' | 'view_report';
  subjectType?: string | null;
  subjectId?: string | null;
  snapshotId?: string | null;
  detail?: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  username: string;
  role: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  snapshot_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** The canonical form hashed: fixed field order, timestamps as ISO text to the millisecond. */
export function canonicalAuditRow(r: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return JSON.stringify([r.seq, r.at, r.username, r.role, r.action, r.subject_type, r.subject_id, r.snapshot_id, r.detail]);
}

export function chainHash(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

const SELECT_ROWS = `SELECT seq, strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS at, username, role, action, subject_type, subject_id,
                            snapshot_id, detail, prev_hash, hash FROM audit_log`;

// Appends are group-committed per Db: entries arriving together are chained in arrival order and
// written by one INSERT (one commit); each caller's promise resolves only once its row is
// committed. The chain head is kept in memory after the first read: this process is the only writer of
// serving.duckdb while the server runs (the users CLI refuses to run beside it), and a failed write drops
// the cached head so the next batch re-reads it from the table.
interface Pending {
  entry: AuditEntry;
  resolve(row: AuditRow): void;
  reject(e: unknown): void;
}
interface Writer {
  pending: Pending[];
  flushing: boolean;
  head?: { seq: number; hash: string };
}
const writers = new WeakMap<Db, Writer>();

export function appendAudit(db: Db, entry: AuditEntry): Promise<AuditRow> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = { pending: [], flushing: false }));
  const writer = w;
  return new Promise<AuditRow>((resolve, reject) => {
    writer.pending.push({ entry, resolve, reject });
    if (!writer.flushing) {
      writer.flushing = true;
      setImmediate(() => void flush(db, writer));
    }
  });
}

async function flush(db: Db, w: Writer): Promise<void> {
  while (w.pending.length > 0) {
    const batch = w.pending.splice(0, 500);
    try {
      if (!w.head) {
        const last = await db.one<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
        w.head = { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
      }
      let head = w.head;
      const rows: AuditRow[] = batch.map(({ entry: e }) => {
        const base = {
          seq: head.seq + 1,
          at: e.at.toISOString(),
          username: e.username,
          role: e.role,
          action: e.action,
          subject_type: e.subjectType ?? null,
          subject_id: e.subjectId ?? null,
          snapshot_id: e.snapshotId ?? null,
          detail: e.detail ?? null,
        };
        const row: AuditRow = { ...base, prev_hash: head.hash, hash: chainHash(head.hash, canonicalAuditRow(base)) };
        head = { seq: row.seq, hash: row.hash };
        return row;
      });
      // one INSERT of the whole batch, each column bound as one list parameter (a constant cost per batch, off the event loop)
      const col = (f: (r: AuditRow) => string | null) => listValue(rows.map(f));
      // typed explicitly: a list whose first value is NULL would otherwise be inferred as a list of NULLs
      await db.connection.run(
        `INSERT INTO audit_log SELECT unnest($seq::VARCHAR[])::BIGINT, unnest($at::VARCHAR[])::TIMESTAMP, unnest($username::VARCHAR[]), unnest($role::VARCHAR[]),
                unnest($action::VARCHAR[]), unnest($subject_type::VARCHAR[]), unnest($subject_id::VARCHAR[]), unnest($snapshot_id::VARCHAR[]),
                unnest($detail::VARCHAR[]), unnest($prev_hash::VARCHAR[]), unnest($hash::VARCHAR[])`,
        {
          seq: col((r) => String(r.seq)), at: col((r) => r.at.replace('T', ' ').replace('Z', '')), username: col((r) => r.username), role: col((r) => r.role),
          action: col((r) => r.action), subject_type: col((r) => r.subject_type), subject_id: col((r) => r.subject_id), snapshot_id: col((r) => r.snapshot_id),
          detail: col((r) => r.detail), prev_hash: col((r) => r.prev_hash), hash: col((r) => r.hash),
        },
        Object.fromEntries(['seq', 'at', 'username', 'role', 'action', 'subject_type', 'subject_id', 'snapshot_id', 'detail', 'prev_hash', 'hash'].map((k) => [k, LIST(VARCHAR)])),
      );
      w.head = head;
      batch.forEach((p, i) => p.resolve(rows[i]!));
    } catch (e) {
      w.head = undefined;
      for (const p of batch) p.reject(e);
    }
  }
  w.flushing = false;
}

export async function listAudit(db: Db, options: { limit?: number; offset?: number } = {}): Promise<AuditRow[]> {
  return db.all<AuditRow & Record<string, unknown>>(`${SELECT_ROWS} ORDER BY seq DESC LIMIT $limit OFFSET $offset`, {
    limit: options.limit ?? 200,
    offset: options.offset ?? 0,
  });
}

/** Re-hashes the whole chain in order; brokenAt is the first seq whose stored hash or link is wrong. */
export async function verifyAuditChainDb(db: Db): Promise<{ ok: boolean; rows: number; brokenAt?: number }> {
  const rows = await db.all<AuditRow & Record<string, unknown>>(`${SELECT_ROWS} ORDER BY seq`);
  let prev = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const expected = chainHash(prev, canonicalAuditRow(r));
    if (r.seq !== i + 1 || r.prev_hash !== prev || r.hash !== expected) return { ok: false, rows: rows.length, brokenAt: r.seq };
    prev = r.hash;
  }
  return { ok: true, rows: rows.length };
}

export async function verifyAuditChain(servingFile: string): Promise<{ ok: boolean; rows: number; brokenAt?: number }> {
  const serving = await openServing(servingFile);
  try {
    return await verifyAuditChainDb(serving.db);
  } finally {
    serving.release();
  }
}
