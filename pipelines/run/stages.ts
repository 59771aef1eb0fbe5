// The stages of the weekly job, in data-flow order. Each stage reads earlier stages' tables and
// writes its own; the orchestrator times it and wraps it in a transaction unless it manages its own.

import type { StageContext } from '../core/context.ts';
import type { SourceSummary } from './run-week.ts';

export interface WeekState {
  asOf: string;
  dropAsOf: string;
  dropDir: string;
  replace: boolean;
  codeVersion: string;
  sources: Record<string, SourceSummary>;
  referenceTables: { name: string; version: string; sha256: string; rows: number }[];
  snapshotId: string | null;
  nominals: number;
  networks: number;
}

export interface Stage {
  name: string;
  /** True when the stage opens its own transactions (ingest: one per source, so a refused source loads nothing). */
  ownTransactions?: boolean;
  /** Returns the number of rows it wrote (for the run log), or null. */
  run(ctx: StageContext, state: WeekState): Promise<number | null>;
}

export const PIPELINE: Stage[] = [];
