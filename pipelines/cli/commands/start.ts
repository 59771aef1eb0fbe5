// `npm start` / `harmnet start`: the demo with no set-up. Generates synthetic extracts if absent,
// back-fills every week not yet snapshotted, creates the demo accounts, serves the dashboards.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, STATE_OPTIONS } from '../args.ts';
import { openContext } from '../context.ts';
import { codeVersion } from '../../core/code-version.ts';
import { listDrops } from '../../run/drops.ts';
import { runWeeks } from '../../run/run-weeks.ts';
import { listSnapshots } from '../../snapshot/read-snapshot.ts';
import { generate } from '../../../data-fixtures/generator/generate.ts';
import { openServing } from '../../../dashboards/serving-store.ts';
import { addUser, findUser } from '../../../dashboards/accounts.ts';
import { startServer } from '../../../dashboards/server.ts';
import type { Role } from '../../../dashboards/roles.ts';

export const summary = 'the demo: generate synthetic extracts if absent, back-fill, serve the dashboards';

/** Demo accounts: synthetic data only; the passwords are printed because the data is not real. */
export const DEMO_ACCOUNTS: { username: string; role: Role; password: string }[] = [
  { username: 'lab', role: 'lab', password: 'demo-lab-password' },
  { username: 'analyst', role: 'analyst', password: 'demo-analyst-password' },
  { username: 'senior', role: 'senior', password: 'demo-senior-password' },
  { username: 'partner', role: 'partner', password: 'demo-partner-password' },
  { username: 'auditor', role: 'auditor', password: 'demo-auditor-password' },
];

export async function main(argv: string[]): Promise<number> {
  const { values } = parse('start', argv, {
    ...STATE_OPTIONS,
    extracts: { type: 'string' },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    serve: { type: 'boolean', default: true },
    'no-serve': { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write('harmnet start [--extracts DIR] [--port N] [--host H] [--no-serve] [--warehouse FILE] [--snapshots DIR] [--serving FILE]\n');
    return 0;
  }
  const ctx = await openContext(values);
  const extractsDir = values.extracts ?? ctx.config.paths.extracts;
  const snapshotsDir = ctx.config.paths.snapshots;
  try {
    if (!existsSync(extractsDir) || listDrops(extractsDir).length === 0) {
      ctx.log.info(`start: generating synthetic demo extracts into ${extractsDir}`);
      await generate({ out: extractsDir, log: ctx.log });
    }
    const done = new Set(existsSync(snapshotsDir) ? listSnapshots(snapshotsDir).map((s) => s.as_of) : []);
    const weeks = listDrops(extractsDir).filter((w) => !done.has(w));
    if (weeks.length) {
      ctx.log.info(`start: back-filling ${weeks.length} week(s) ${weeks[0]} … ${weeks.at(-1)}`);
      await runWeeks(ctx, {
        extractsDir,
        weeks,
        codeVersion: codeVersion(),
        startedBy: 'npm start',
        onWeek: (r) =>
          ctx.log.info(`  ${r.as_of}: ${r.nominals} nominals, ${r.networks} networks → snapshot ${r.snapshot_id}`),
      });
    } else {
      ctx.log.info('start: every drop already has a snapshot');
    }
  } finally {
    ctx.db.close();
  }

  const serving = await openServing(ctx.config.paths.serving);
  try {
    for (const a of DEMO_ACCOUNTS) {
      if (!(await findUser(serving.db, a.username))) await addUser(serving.db, a, new Date());
    }
  } finally {
    serving.release();
  }
  const snapshots = listSnapshots(snapshotsDir);
  process.stdout.write(`harmnet demo: ${snapshots.length} weekly snapshots (${snapshots[0]?.as_of} … ${snapshots.at(-1)?.as_of}); synthetic data only.\n`);
  if (values['no-serve'] || !values.serve) return 0;

  const server = await startServer({
    port: Number(values.port),
    host: values.host,
    snapshotsDir: path.resolve(snapshotsDir),
    servingFile: path.resolve(ctx.config.paths.serving),
    config: ctx.config,
    truthDir: existsSync(path.resolve(extractsDir, 'truth')) ? path.resolve(extractsDir, 'truth') : undefined,
    demo: true,
  });
  process.stdout.write(
    [
      `dashboards: ${server.url}`,
      'demo accounts (synthetic demonstration data; change these for any real use):',
      ...DEMO_ACCOUNTS.map((a) => `  ${a.username.padEnd(8)} ${a.role.padEnd(8)} password: ${a.password}`),
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
