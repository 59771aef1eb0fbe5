// The append-only retention log `<snapshots>/retention-log.jsonl`: legal holds placed and released,
// and snapshot expiries. Hash-chained (each line carries the sha256 of the line before) so an edit shows.

import { chainedLog, type Chained } from '../core/chained-log.ts';

export const RETENTION_LOG = 'retention-log.jsonl';

export type RetentionEvent =
  | { action: 'hold_add'; hold_id: number; snapshot_id: string; reason: string; by: string }
  | { action: 'hold_remove'; hold_id: number; snapshot_id: string; reason: string; by: string }
  | { action: 'expire'; as_of: string; cutoff: string; retention_weeks: number; deleted: string[]; held: string[] };

export type LoggedEvent = Chained<RetentionEvent>;

const log = (snapshotsDir: string) => chainedLog<RetentionEvent>(snapshotsDir, RETENTION_LOG, 'SNAPSHOT_TAMPERED');

/** Reads and checks the whole log. An unterminated last line (an append cut short by a crash) is ignored. */
export function readRetentionLog(snapshotsDir: string): LoggedEvent[] {
  return log(snapshotsDir).read();
}

/** Appends one event (under a lock file, fsynced); returns it as logged. */
export function appendRetentionEvent(snapshotsDir: string, event: RetentionEvent, at: Date): LoggedEvent {
  return log(snapshotsDir).append(event, at);
}
