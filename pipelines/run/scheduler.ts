// The long-running weekly scheduler: a croner job (default Mondays 02:00 Europe/London), one run at
// a time, catching up every missed week since the last snapshot, and stopping cleanly on SIGTERM.

import { Cron } from 'croner';
import { existsSync, readdirSync } from 'node:fs';
import type { StageContext } from '../core/context.ts';
import { HarmnetError, isHarmnetError } from '../core/errors.ts';
import { addDays, chooseDrop, listDrops, mondayOnOrBefore } from './drops.ts';
import { runWeeks } from './run-weeks.ts';
import type { WeekResult } from './run-week.ts';
import type { Neo4jPublishSettings } from './stages.ts';

/** The as-of date of the newest snapshot folder (`<as_of>-<hash>`), or null. */
export function latestSnapshotAsOf(snapshotsDir: string): string | null {
  if (!existsSync(snapshotsDir)) return null;
  const asOfs = readdirSync(snapshotsDir)
    .filter((n) => /^\d{4}-\d{2}-\d{2}-[0-9a-f]+$/.test(n))
    .map((n) => n.slice(0, 10))
    .sort();
  return asOfs.at(-1) ?? null;
}

/**
 * Weeks the scheduler owes: every Monday after the last snapshot up to the Monday on or before `now`
 * that some drop can build. With no snapshot yet, only the latest buildable week (back-fill history
 * with `harmnet run --from/--to`).
 */
export function dueWeeks(drops: string[], lastSnapshotAsOf: string | null, now: Date): string[] {
  const latest = mondayOnOrBefore(now);
  const buildable = (w: string) => {
    try {
      chooseDrop(drops, w);
      return true;
    } catch {
      return false;
    }
  };
  if (!lastSnapshotAsOf) {
    const candidates = drops.filter((d) => d <= latest);
    return candidates.length ? [candidates.at(-1)!] : [];
  }
  const out: string[] = [];
  for (let w = addDays(lastSnapshotAsOf, 7); w <= latest; w = addDays(w, 7)) if (buildable(w)) out.push(w);
  return out;
}

export interface Scheduler {
  /** Runs whatever is due now (also called on every cron tick). */
  tick(): Promise<WeekResult[]>;
  /** Stops scheduling; resolves when any run in progress has finished. */
  stop(): Promise<void>;
  nextRun(): Date | null;
}

export function startScheduler(
  ctx: StageContext,
  opts: { extractsDir: string; cron: string; timezone: string; codeVersion: string; neo4j?: Neo4jPublishSettings | null; onWeek?: (r: WeekResult) => void; onError?: (e: unknown) => void },
): Scheduler {
  let running: Promise<WeekResult[]> | null = null;
  let stopped = false;
  const tick = async (): Promise<WeekResult[]> => {
    if (stopped) return [];
    if (running) return running; // one run at a time
    running = (async () => {
      const drops = existsSync(opts.extractsDir) ? listDrops(opts.extractsDir) : [];
      const weeks = dueWeeks(drops, latestSnapshotAsOf(ctx.config.paths.snapshots), ctx.clock());
      if (weeks.length === 0) {
        ctx.log.info(`scheduler: nothing due (next run ${job.nextRun()?.toISOString() ?? 'none'})`);
        return [];
      }
      ctx.log.info(`scheduler: running ${weeks.length} week(s): ${weeks.join(', ')}`);
      return runWeeks(ctx, { extractsDir: opts.extractsDir, weeks, codeVersion: opts.codeVersion, neo4j: opts.neo4j, startedBy: 'scheduler', onWeek: opts.onWeek });
    })();
    try {
      return await running;
    } catch (e) {
      if (!isHarmnetError(e, 'RUN_LOCKED')) opts.onError?.(e);
      else ctx.log.warn((e as HarmnetError).message);
      return [];
    } finally {
      running = null;
    }
  };
  const job = new Cron(opts.cron, { timezone: opts.timezone, protect: true }, () => void tick());
  return {
    tick,
    nextRun: () => job.nextRun(),
    async stop() {
      stopped = true;
      job.stop();
      if (running) await running.catch(() => undefined);
    },
  };
}
