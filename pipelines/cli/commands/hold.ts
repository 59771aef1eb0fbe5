// `harmnet hold add SNAPSHOT --reason … --by … | list | remove SNAPSHOT [--hold N] --reason … --by …`:
// legal holds (CPIA) that keep a snapshot past its retention period; every change is logged.

import { parse, STATE_OPTIONS, requireOption } from '../args.ts';
import { configFor } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { activeHolds, addHold, removeHold } from '../../snapshot/legal-holds.ts';
import { readRetentionLog } from '../../snapshot/retention-log.ts';

export const summary = 'legal holds on snapshots: add, list, remove (each change logged)';

const USAGE = [
  'harmnet hold add SNAPSHOT --reason TEXT --by NAME [--snapshots DIR] [--json]',
  'harmnet hold list [--log] [--snapshots DIR] [--json]',
  'harmnet hold remove SNAPSHOT [--hold N] --reason TEXT --by NAME [--snapshots DIR] [--json]',
].join('\n');

const out = (s: string) => process.stdout.write(s + '\n');

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse('hold', argv, {
    ...STATE_OPTIONS,
    reason: { type: 'string' },
    by: { type: 'string' },
    hold: { type: 'string' },
    log: { type: 'boolean', default: false },
  }, true);
  const [sub, ...args] = positionals;
  if (values.help || !sub) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const dir = configFor(values).paths.snapshots;
  const now = new Date();
  switch (sub) {
    case 'add': {
      const snapshotId = oneId('add', args);
      const hold = addHold(dir, { snapshotId, reason: requireOption('hold add', values.reason, '--reason'), by: requireOption('hold add', values.by, '--by'), at: now });
      out(values.json ? JSON.stringify(hold) : `legal hold ${hold.hold_id} placed on snapshot ${hold.snapshot_id}`);
      return 0;
    }
    case 'remove': {
      const snapshotId = oneId('remove', args);
      const holdId = values.hold === undefined ? undefined : Number(values.hold);
      if (holdId !== undefined && !Number.isInteger(holdId)) throw new HarmnetError('USAGE', `harmnet hold remove: --hold must be a hold number, got "${values.hold}"`);
      const hold = removeHold(dir, { snapshotId, holdId, reason: requireOption('hold remove', values.reason, '--reason'), by: requireOption('hold remove', values.by, '--by'), at: now });
      out(values.json ? JSON.stringify({ released: hold }) : `legal hold ${hold.hold_id} on snapshot ${snapshotId} released`);
      return 0;
    }
    case 'list': {
      if (values.log) {
        const events = readRetentionLog(dir);
        if (values.json) out(JSON.stringify({ events }));
        else for (const e of events) out(JSON.stringify(e));
        return 0;
      }
      const holds = activeHolds(dir);
      if (values.json) out(JSON.stringify({ holds }));
      else if (holds.length === 0) out('no legal holds');
      else for (const h of holds) out(`hold ${h.hold_id}  ${h.snapshot_id}  placed ${h.at} by ${h.by}: ${h.reason}`);
      return 0;
    }
    default:
      throw new HarmnetError('USAGE', `harmnet hold: unknown subcommand "${sub}"; expected add, list or remove`);
  }
}

function oneId(sub: string, args: string[]): string {
  if (args.length !== 1) throw new HarmnetError('USAGE', `harmnet hold ${sub}: give one snapshot id`);
  return args[0]!;
}
