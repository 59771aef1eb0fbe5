// Accounts, time-limited grants and sign-in with throttling, over the serving database.
// Grants are rows authorised by the Director of Intelligence; they lapse by their own end time.

import type { Db } from '../pipelines/core/db.ts';
import { HarmnetError } from '../pipelines/core/errors.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import { ROLES, isRole, type Role } from './roles.ts';

export const THROTTLE_DEFAULTS = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const AUTHORISER = /^Director of Intelligence: \S.{1,99}$/;

export interface User {
  username: string;
  role: Role;
  disabled: boolean;
  created_at: string;
}

export interface Grant {
  username: string;
  granted_at: string;
  valid_until: string;
  authorised_by: string;
}

function ts(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Adds an account; returns the password when one was generated (shown once, never stored in clear). */
export async function addUser(
  db: Db,
  input: { username: string; role: string; password?: string },
  now: Date,
): Promise<{ user: User; generatedPassword?: string }> {
  if (!USERNAME.test(input.username)) {
    throw new HarmnetError('USER_INVALID', `user name must be 2-64 of a-z 0-9 . _ -, starting with a letter or digit, got "${input.username}"`);
  }
  if (!isRole(input.role)) throw new HarmnetError('USER_INVALID', `unknown role "${input.role}"; expected one of: ${ROLES.join(', ')}`);
  if (input.password !== undefined && input.password.length < 12) {
    throw new HarmnetError('USER_INVALID', `password for "${input.username}" must be at least 12 characters`);
  }
  const existing = await db.one('SELECT username FROM users WHERE username = $u', { u: input.username });
  if (existing) throw new HarmnetError('USER_INVALID', `user "${input.username}" already exists`);
  const password = input.password ?? generatePassword();
  const hash = await hashPassword(password);
  await db.run('INSERT INTO users VALUES ($u, $r, $h, false, $t::TIMESTAMP)', { u: input.username, r: input.role, h: hash, t: ts(now) });
  const user = (await findUser(db, input.username))!;
  return input.password === undefined ? { user, generatedPassword: password } : { user };
}

export async function findUser(db: Db, username: string): Promise<User | undefined> {
  return db.one<User & Record<string, unknown>>(
    'SELECT username, role, disabled, strftime(created_at, \'%Y-%m-%dT%H:%M:%SZ\') AS created_at FROM users WHERE username = $u',
    { u: username },
  );
}

export async function listUsers(db: Db): Promise<(User & { grant_until: string | null })[]> {
  return db.all<User & { grant_until: string | null } & Record<string, unknown>>(
    `SELECT u.username, u.role, u.disabled, strftime(u.created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
            strftime(max(g.valid_until), '%Y-%m-%dT%H:%M:%SZ') AS grant_until
       FROM users u LEFT JOIN access_grants g USING (username)
      GROUP BY ALL ORDER BY u.username`,
  );
}

export async function disableUser(db: Db, username: string): Promise<void> {
  if (!(await findUser(db, username))) throw new HarmnetError('USER_INVALID', `no user "${username}"`);
  await db.transaction(async () => {
    await db.run('UPDATE users SET disabled = true WHERE username = $u', { u: username });
    await db.run('DELETE FROM sessions WHERE username = $u', { u: username });
  });
}

/** Records a time-limited grant for a guest account, authorised by the Director of Intelligence. */
export async function grantAccess(db: Db, input: { username: string; until: Date; authorisedBy: string }, now: Date): Promise<Grant> {
  const user = await findUser(db, input.username);
  if (!user) throw new HarmnetError('USER_INVALID', `no user "${input.username}"`);
  if (user.role !== 'guest') {
    throw new HarmnetError('USER_INVALID', `grants are for guest accounts; "${input.username}" has role ${user.role}`);
  }
  if (!AUTHORISER.test(input.authorisedBy)) {
    throw new HarmnetError('USER_INVALID', `--authorised-by must read "Director of Intelligence: NAME", got "${input.authorisedBy}"`);
  }
  if (!(input.until.getTime() > now.getTime())) {
    throw new HarmnetError('USER_INVALID', `grant end ${input.until.toISOString()} is not after now`);
  }
  await db.run('INSERT INTO access_grants VALUES ($u, $g::TIMESTAMP, $v::TIMESTAMP, $a)', {
    u: input.username, g: ts(now), v: ts(input.until), a: input.authorisedBy,
  });
  return { username: input.username, granted_at: now.toISOString(), valid_until: input.until.toISOString(), authorised_by: input.authorisedBy };
}

/** The live grant for a user at `now`, if any (latest end first). */
export async function activeGrant(db: Db, username: string, now: Date): Promise<Grant | undefined> {
  return db.one<Grant & Record<string, unknown>>(
    `SELECT username, strftime(granted_at, '%Y-%m-%dT%H:%M:%SZ') AS granted_at,
            strftime(valid_until, '%Y-%m-%dT%H:%M:%SZ') AS valid_until, authorised_by
       FROM access_grants WHERE username = $u AND granted_at <= $t::TIMESTAMP AND valid_until > $t::TIMESTAMP
      ORDER BY valid_until DESC LIMIT 1`,
    { u: username, t: ts(now) },
  );
}

export type SignIn =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

/**
 * Checks a password, with throttling per user name + client address: after `maxFailures` failures
 * within `windowMinutes`, further attempts are refused (without checking) for `lockMinutes`.
 */
export async function signIn(db: Db, username: string, password: string, ip: string, now: Date): Promise<SignIn> {
  const { maxFailures, windowMinutes, lockMinutes } = THROTTLE_DEFAULTS;
  const recent = await db.all<{ failed_at: string }>(
    `SELECT strftime(failed_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS failed_at FROM login_failures
      WHERE username = $u AND ip = $ip AND failed_at > $since::TIMESTAMP ORDER BY failed_at`,
    { u: username, ip, since: ts(new Date(now.getTime() - Math.max(windowMinutes, lockMinutes) * 60_000)) },
  );
  if (recent.length >= maxFailures) {
    const last = new Date(recent[recent.length - 1]!.failed_at);
    const until = new Date(last.getTime() + lockMinutes * 60_000);
    if (until > now) return { ok: false, reason: 'locked', until };
  }
  const row = await db.one<{ password_hash: string; disabled: boolean }>(
    'SELECT password_hash, disabled FROM users WHERE username = $u',
    { u: username },
  );
  // A missing user still costs one scrypt, so timing does not reveal which names exist.
  const valid = row ? await verifyPassword(password, row.password_hash) : (await verifyPassword(password, DUMMY_HASH), false);
  if (!row || !valid || row.disabled) {
    await db.run('INSERT INTO login_failures VALUES ($u, $ip, $t::TIMESTAMP)', { u: username, ip, t: ts(now) });
    return { ok: false, reason: 'invalid' };
  }
  await db.run('DELETE FROM login_failures WHERE username = $u AND ip = $ip', { u: username, ip });
  return { ok: true, user: (await findUser(db, username))! };
}

// scrypt of a random password with the default parameters; only ever compared against, never matched.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
