// `harmnet schedule [--cron EXPR] [--extracts DIR]`: long-running; catches up, then runs on the cron.

import { parse, STATE_OPTIONS } from '../args.ts';
import { openContext } from '../context.ts';
import { codeVersion } from '../../core/code-version.ts';
import { startScheduler } from '../../run/scheduler.ts';
import { HarmnetError } from '../../core/errors.ts';
import { Cron } from 'croner';
import { neo4jSettingsFromEnv } from '../../../graph/neo4j/neo4j-connection.ts';

export const summary = 'long-running scheduler for the weekly job';

export async function main(argv: string[]): Promise<number> {
  const { values } = parse('schedule', argv, {
    ...STATE_OPTIONS,
    cron: { type: 'string' },
    extracts: { type: 'string' },
    once: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write('harmnet schedule [--cron "0 2 * * 1"] [--extracts DIR] [--once] [--warehouse FILE] [--snapshots DIR]\n');
    return 0;
  }
  const ctx = await openContext(values);
  const cron = values.cron ?? ctx.config.schedule.cron;
  try {
    new Cron(cron, { paused: true }).stop();
  } catch (e) {
    ctx.db.close();
    throw new HarmnetError('USAGE', `harmnet schedule: invalid --cron "${cron}": ${(e as Error).message}`);
  }
  const scheduler = startScheduler(ctx, {
    extractsDir: values.extracts ?? ctx.config.paths.extracts,
    cron,
    timezone: ctx.config.schedule.timezone,
    codeVersion: codeVersion(),
    neo4j: neo4jSettingsFromEnv(process.env),
    onWeek: (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    onError: (e) => process.stderr.write(`harmnet schedule: run failed: ${(e as Error).message}\n`),
  });
  await scheduler.tick(); // catch up missed weeks at start
  if (values.once) {
    await scheduler.stop();
    ctx.db.close();
    return 0;
  }
  // Handlers first, then the announcement: a SIGTERM that follows "waiting" always finds them.
  const stopped = new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      ctx.log.info(`harmnet schedule: ${signal} received; finishing any run in progress, then stopping`);
      void scheduler.stop().then(resolve);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  ctx.log.info(`harmnet schedule: waiting; next run ${scheduler.nextRun()?.toISOString()} (${cron}, ${ctx.config.schedule.timezone})`);
  await stopped;
  ctx.db.close();
  return 0;
}
