// Runs one week or a back-fill range under the single-run lock, returning one result per week.

import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { acquireLock } from './lock.ts';
import { runWeek, type WeekResult } from './run-week.ts';
import type { Neo4jPublishSettings } from './stages.ts';

export async function runWeeks(
  ctx: StageContext,
  opts: { extractsDir: string; weeks: string[]; replace?: boolean; until?: string; neo4j?: Neo4jPublishSettings | null; codeVersion: string; onWeek?: (r: WeekResult) => void },
): Promise<WeekResult[]> {
  const lock = acquireLock(path.join(path.dirname(path.resolve(ctx.config.paths.warehouse)), 'run.lock'));
  try {
    const runId = `${ctx.clock().toISOString()}-${process.pid}`;
    const results: WeekResult[] = [];
    for (const asOf of opts.weeks) {
      const r = await runWeek(ctx, { extractsDir: opts.extractsDir, asOf, replace: opts.replace, until: opts.until, neo4j: opts.neo4j, runId, codeVersion: opts.codeVersion });
      opts.onWeek?.(r);
      results.push(r);
    }
    return results;
  } finally {
    lock.release();
  }
}
