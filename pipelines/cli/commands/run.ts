// `harmnet run --extracts DIR [--as-of DATE | --from DATE --to DATE] [--replace] [--json]`

import os from 'node:os';
import { parse, STATE_OPTIONS, isoDate } from '../args.ts';
import { openContext } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { codeVersion } from '../../core/code-version.ts';
import { listDrops, weeksBetween } from '../../run/drops.ts';
import { runWeeks } from '../../run/run-weeks.ts';
import { neo4jSettingsFromEnv } from '../../../graph/neo4j/neo4j-connection.ts';

export const summary = 'the weekly job for one week or a back-fill range';

export async function main(argv: string[]): Promise<number> {
  const { values } = parse('run', argv, {
    ...STATE_OPTIONS,
    extracts: { type: 'string' },
    'as-of': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    replace: { type: 'boolean', default: false },
    until: { type: 'string' },
    'started-by': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write('harmnet run --extracts DIR [--as-of DATE | --from DATE --to DATE] [--replace] [--until STAGE] [--started-by NAME] [--warehouse FILE] [--snapshots DIR] [--json]\n');
    return 0;
  }
  const ctx = await openContext(values);
  try {
    const extractsDir = values.extracts ?? ctx.config.paths.extracts;
    let weeks: string[];
    if (values['as-of'] && (values.from || values.to)) {
      throw new HarmnetError('USAGE', 'harmnet run: give --as-of or --from/--to, not both');
    } else if (values['as-of']) {
      weeks = [isoDate('run', '--as-of', values['as-of'])];
    } else if (values.from || values.to) {
      if (!values.from || !values.to) throw new HarmnetError('USAGE', 'harmnet run: --from and --to go together');
      weeks = weeksBetween(isoDate('run', '--from', values.from), isoDate('run', '--to', values.to));
    } else {
      const drops = listDrops(extractsDir);
      if (drops.length === 0) throw new HarmnetError('EXTRACT_NOT_FOUND', `no weekly drop folders (YYYY-MM-DD) in ${extractsDir}`);
      weeks = [drops.at(-1)!];
    }
    await runWeeks(ctx, {
      extractsDir,
      weeks,
      replace: values.replace,
      until: values.until,
      neo4j: neo4jSettingsFromEnv(process.env),
      startedBy: values['started-by'] ?? os.userInfo().username,
      codeVersion: codeVersion(),
      onWeek: (r) => {
        if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
        else process.stderr.write(formatWeek(r) + '\n');
      },
    });
    return 0;
  } finally {
    ctx.db.close();
  }
}

function formatWeek(r: import('../../run/run-week.ts').WeekResult): string {
  const sources = Object.entries(r.sources)
    .map(([s, v]) => `${s} ${v.status} ${v.rows_loaded}/${v.rows_read}${v.rows_rejected ? ` (${v.rows_rejected} rejected)` : ''}`)
    .join(', ');
  const secs = r.stages.reduce((a, s) => a + s.seconds, 0).toFixed(1);
  return `week ${r.as_of}: ${sources || 'no sources'}; ${r.nominals} nominals, ${r.networks} networks; snapshot ${r.snapshot_id ?? '(none)'}; ${secs}s`;
}
