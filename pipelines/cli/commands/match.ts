// `harmnet match --input FILE --partner NAME --officer NAME --purpose TEXT --legal-basis CODE [--snapshot ID] [--out FILE]`:
// a partner list matched from the command line — the API's engine, limits and audit log, run locally.

import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parse, STATE_OPTIONS } from '../args.ts';
import { configFor } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { openMatcher } from '../../match/matcher.ts';
import { logRefused } from '../../match/partner-log.ts';
import { partnerMatch } from '../../match/partner-match.ts';
import { LEGAL_BASES } from '../../match/partner-policy.ts';
import { resultCsv } from '../../match/result-csv.ts';
import { openServing } from '../../../dashboards/serving-store.ts';

export const summary = 'match a partner list against the networks (same engine and audit as the API)';

const USAGE = `harmnet match --input FILE --partner NAME --officer NAME --purpose TEXT --legal-basis CODE [--snapshot ID] [--out FILE] [--snapshots DIR] [--serving FILE] [--json]
  FILE: CSV with row_ref,surname,forenames,date_of_birth[,pnc_id][,sex] (UTF-8, at most 5,000 rows)
  CODE: ${Object.entries(LEGAL_BASES).map(([k, v]) => `${k} (${v})`).join('; ')}`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parse('match', argv, {
    ...STATE_OPTIONS,
    input: { type: 'string' }, partner: { type: 'string' }, officer: { type: 'string' }, purpose: { type: 'string' },
    'legal-basis': { type: 'string' }, snapshot: { type: 'string' }, out: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!values.input) throw new HarmnetError('USAGE', `harmnet match: --input is required; usage: ${USAGE}`);
  const config = configFor(values);
  const clock = () => new Date();
  const meta = {
    partner: values.partner, officer: values.officer, purpose: values.purpose, legalBasis: values['legal-basis'],
    username: os.userInfo().username, channel: 'cli' as const,
  };
  const serving = await openServing(config.paths.serving);
  try {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(values.input);
    } catch (e) {
      const err = new HarmnetError('INPUT_INVALID', `harmnet match: cannot read --input ${values.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      await logRefused(serving.db, meta, 0, clock(), err.message);
      throw err;
    }
    const matcher = await openMatcher(config.paths.snapshots, values.snapshot);
    try {
      const r = await partnerMatch({ serving: serving.db, matcher, config, clock }, meta, { csv: bytes, name: values.input });
      if (values.out) writeFileSync(values.out, resultCsv(r.rows, r.snapshot_id));
      if (values.json) {
        process.stdout.write(JSON.stringify(r) + '\n');
      } else {
        const n = (s: string) => r.rows.filter((x) => x.status === s).length;
        process.stdout.write(
          [
            `request ${r.request_id}: ${r.rows.length} rows against snapshot ${r.snapshot_id} (as of ${r.as_of}) under ${r.legal_basis.code}`,
            `  ${n('MATCH')} MATCH, ${n('POSSIBLE_MATCH')} POSSIBLE_MATCH (awaiting the lab's review), ${n('NO_MATCH')} NO_MATCH`,
            values.out ? `  result written to ${values.out}` : '  (no --out: give --out FILE for the result CSV, or --json)',
            ...r.caveats.map((c) => `  ${c}`),
          ].join('\n') + '\n',
        );
      }
      return 0;
    } finally {
      matcher.close();
    }
  } finally {
    serving.release();
  }
}
