// What every stage is handed: the warehouse, a logger, a clock and the resolved config.
// Cores never read process.env, Date.now() or write to console; tests pass a fixed clock.

import type { Db } from './db.ts';
import type { Log } from './log.ts';
import type { Config } from './config.ts';

export interface StageContext {
  db: Db;
  log: Log;
  clock: () => Date;
  config: Readonly<Config>;
}

export const fixedClock = (iso: string) => () => new Date(iso);
