// Demo accounts for `npm start` / `harmnet serve --demo`: one per role, given fresh generated passwords
// at each start (printed once by the caller, stored only as scrypt hashes). Demo mode only.

import type { Db } from '../pipelines/core/db.ts';
import { addUser, findUser } from './accounts.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import type { Role } from './roles.ts';

export const DEMO_ACCOUNTS: { username: string; role: Role }[] = [
  { username: 'demo-lab', role: 'lab' },
  { username: 'demo-analyst', role: 'analyst' },
  { username: 'demo-senior', role: 'senior' },
  { username: 'demo-partner', role: 'partner' },
  { username: 'demo-auditor', role: 'auditor' },
];

/** Creates the demo accounts if absent, otherwise re-enables them with new passwords; returns the passwords. */
export async function resetDemoAccounts(db: Db, now: Date): Promise<{ username: string; role: Role; password: string }[]> {
  const out: { username: string; role: Role; password: string }[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const password = generatePassword();
    if (await findUser(db, a.username)) {
      await db.run('UPDATE users SET password_hash = $h, role = $r, disabled = false WHERE username = $u', { h: await hashPassword(password), r: a.role, u: a.username });
    } else {
      await addUser(db, { username: a.username, role: a.role, password }, now);
    }
    out.push({ ...a, password });
  }
  return out;
}
