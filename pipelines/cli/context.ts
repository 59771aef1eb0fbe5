// Builds the StageContext for a CLI command from its flags: resolved config, the warehouse opened,
// a console log on stderr and the wall clock. Only the CLI edge uses the real clock.

import { Db } from '../core/db.ts';
import { configFromEnv, resolveConfig, type Config } from '../core/config.ts';
import { consoleLog } from '../core/log.ts';
import type { StageContext } from '../core/context.ts';

export interface StateFlags {
  warehouse?: string;
  snapshots?: string;
  serving?: string;
  json?: boolean;
}

export function configFor(flags: StateFlags): Readonly<Config> {
  const env = configFromEnv();
  return resolveConfig({
    root: env.root,
    warehouse: flags.warehouse ?? env.warehouse,
    snapshots: flags.snapshots ?? env.snapshots,
    serving: flags.serving ?? env.serving,
  });
}

export async function openContext(flags: StateFlags, options: { readOnlyDb?: boolean } = {}): Promise<StageContext> {
  const config = configFor(flags);
  const db = await Db.open(config.paths.warehouse, options.readOnlyDb ? { access_mode: 'READ_ONLY' } : {});
  return { db, log: consoleLog({ quiet: false }), clock: () => new Date(), config };
}
