// Server-side sessions: a random 32-byte id in an httpOnly SameSite=Strict cookie, stored only as its
// sha256; each session carries a synchroniser CSRF token and whether the caveats were acknowledged.

import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../pipelines/core/db.ts';

export const SESSION_DEFAULTS = { cookieName: 'harmnet_session', lifetimeHours: 8 } as const;

export interface Session {
  session_hash: string;
  username: string;
  csrf_token: string;
  expires_at: string;
  caveats_acknowledged_at: string | null;
}

export function sessionHash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function ts(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Creates a session; returns the cookie value (the only place the raw id exists). */
export async function createSession(db: Db, username: string, now: Date, lifetimeHours: number = SESSION_DEFAULTS.lifetimeHours) {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + lifetimeHours * 3600_000);
  await db.run('INSERT INTO sessions VALUES ($h, $u, $c, $n::TIMESTAMP, $e::TIMESTAMP, NULL)', {
    h: sessionHash(id), u: username, c: csrf, n: ts(now), e: ts(expires),
  });
  return { id, expires };
}

export async function findSession(db: Db, id: string, now: Date): Promise<Session | undefined> {
  return db.one<Session & Record<string, unknown>>(
    `SELECT session_hash, username, csrf_token, strftime(expires_at, '%Y-%m-%dT%H:%M:%SZ') AS expires_at,
            strftime(caveats_acknowledged_at, '%Y-%m-%dT%H:%M:%SZ') AS caveats_acknowledged_at
       FROM sessions WHERE session_hash = $h AND expires_at > $t::TIMESTAMP`,
    { h: sessionHash(id), t: ts(now) },
  );
}

export async function acknowledgeCaveats(db: Db, session: Session, now: Date, caveatsVersion: string): Promise<void> {
  await db.transaction(async () => {
    await db.run('UPDATE sessions SET caveats_acknowledged_at = $t::TIMESTAMP WHERE session_hash = $h', { t: ts(now), h: session.session_hash });
    await db.run('INSERT INTO caveat_acknowledgements VALUES ($u, $h, $t::TIMESTAMP, $v)', {
      u: session.username, h: session.session_hash, t: ts(now), v: caveatsVersion,
    });
  });
}

export async function destroySession(db: Db, sessionHashValue: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE session_hash = $h', { h: sessionHashValue });
}

export async function purgeExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.run('DELETE FROM sessions WHERE expires_at <= $t::TIMESTAMP', { t: ts(now) });
}
