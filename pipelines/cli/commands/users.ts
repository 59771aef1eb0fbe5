// `harmnet users add|list|disable|grant`: accounts and Director-of-Intelligence grants in the serving
// database. A generated password is printed once and never stored in clear.

import { configFromEnv, resolveConfig } from '../../core/config.ts';
import { HarmnetError } from '../../core/errors.ts';
import { isoDate, parse, requireOption } from '../args.ts';
import { openServing } from '../../../dashboards/serving-store.ts';
import { addUser, disableUser, grantAccess, listUsers } from '../../../dashboards/accounts.ts';
import { ROLES } from '../../../dashboards/roles.ts';
import { verifyAuditChainDb } from '../../../dashboards/audit.ts';

export const summary = 'manage dashboard accounts: users add NAME --role ROLE [--password P] | list | disable NAME | grant NAME --until DATE --authorised-by "Director of Intelligence: NAME" | verify-audit';

const OPTIONS = {
  role: { type: 'string' },
  password: { type: 'string' },
  until: { type: 'string' },
  'authorised-by': { type: 'string' },
  serving: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse('users', argv, OPTIONS, true);
  const [sub, name, ...extra] = positionals;
  if (values.help || !sub) {
    process.stdout.write(`harmnet ${summary}\nroles: ${ROLES.join(', ')}\n`);
    return values.help ? 0 : 2;
  }
  if (extra.length) throw new HarmnetError('USAGE', `harmnet users: unexpected argument "${extra[0]}"`);
  const config = resolveConfig({ ...configFromEnv(), serving: values.serving });
  const serving = await openServing(config.paths.serving);
  const out = (human: string, json: unknown) => process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
  try {
    const db = serving.db;
    const now = new Date();
    switch (sub) {
      case 'add': {
        const username = requireOption('users add', name, 'NAME');
        const role = requireOption('users add', values.role, '--role');
        const r = await addUser(db, { username, role, password: values.password }, now);
        out(
          r.generatedPassword
            ? `added ${username} (${role}). Password (shown once, not stored): ${r.generatedPassword}`
            : `added ${username} (${role})`,
          { username, role, ...(r.generatedPassword ? { password: r.generatedPassword } : {}) },
        );
        return 0;
      }
      case 'list': {
        const users = await listUsers(db);
        out(
          users.map((u) => `${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}${u.grant_until ? `\tgrant until ${u.grant_until}` : ''}`).join('\n') || '(no users)',
          users,
        );
        return 0;
      }
      case 'disable': {
        const username = requireOption('users disable', name, 'NAME');
        await disableUser(db, username);
        out(`disabled ${username} and ended their sessions`, { username, disabled: true });
        return 0;
      }
      case 'grant': {
        const username = requireOption('users grant', name, 'NAME');
        const until = requireOption('users grant', values.until, '--until');
        const authorisedBy = requireOption('users grant', values['authorised-by'], '--authorised-by');
        const end = /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(`${isoDate('users grant', '--until', until)}T23:59:59Z`) : new Date(until);
        if (Number.isNaN(end.getTime())) throw new HarmnetError('USAGE', `harmnet users grant: --until must be a date YYYY-MM-DD or an ISO time, got "${until}"`);
        const g = await grantAccess(db, { username, until: end, authorisedBy }, now);
        out(`granted ${username} access until ${g.valid_until}, authorised by ${g.authorised_by}`, g);
        return 0;
      }
      case 'verify-audit': {
        const r = await verifyAuditChainDb(db);
        if (!r.ok) throw new HarmnetError('AUDIT_CHAIN_BROKEN', `audit log hash chain broken at entry ${r.brokenAt} of ${r.rows} in ${config.paths.serving}`);
        out(`audit log intact: ${r.rows} entries, hash chain verified`, r);
        return 0;
      }
      default:
        throw new HarmnetError('USAGE', `harmnet users: unknown subcommand "${sub}"; expected add, list, disable, grant or verify-audit`);
    }
  } finally {
    serving.release();
  }
}
