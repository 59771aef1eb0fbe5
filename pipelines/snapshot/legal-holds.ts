// Legal holds (CPIA): a held snapshot is never expired. Holds are events in the retention log, so
// every placing and release is recorded with who, why and when; the active set is derived from it.

import { HarmnetError } from '../core/errors.ts';
import { snapshotFolder } from './read-snapshot.ts';
import { appendRetentionEvent, readRetentionLog } from './retention-log.ts';

export interface Hold {
  hold_id: number;
  snapshot_id: string;
  reason: string;
  by: string;
  at: string;
}

/** Holds placed and not released, in the order placed. */
export function activeHolds(snapshotsDir: string): Hold[] {
  const holds = new Map<number, Hold>();
  for (const e of readRetentionLog(snapshotsDir)) {
    if (e.action === 'hold_add') holds.set(e.hold_id, { hold_id: e.hold_id, snapshot_id: e.snapshot_id, reason: e.reason, by: e.by, at: e.at });
    if (e.action === 'hold_remove') holds.delete(e.hold_id);
  }
  return [...holds.values()];
}

export function addHold(snapshotsDir: string, h: { snapshotId: string; reason: string; by: string; at: Date }): Hold {
  snapshotFolder(snapshotsDir, h.snapshotId); // SNAPSHOT_NOT_FOUND naming the id
  const reason = text('--reason', h.reason);
  const by = text('--by', h.by);
  const holdId = readRetentionLog(snapshotsDir).filter((e) => e.action === 'hold_add').length + 1;
  const e = appendRetentionEvent(snapshotsDir, { action: 'hold_add', hold_id: holdId, snapshot_id: h.snapshotId, reason, by }, h.at);
  return { hold_id: holdId, snapshot_id: h.snapshotId, reason, by, at: e.at };
}

/** Releases a hold on a snapshot: `holdId` picks one when the snapshot has several. */
export function removeHold(snapshotsDir: string, h: { snapshotId: string; holdId?: number; reason: string; by: string; at: Date }): Hold {
  const reason = text('--reason', h.reason);
  const by = text('--by', h.by);
  const onSnapshot = activeHolds(snapshotsDir).filter((x) => x.snapshot_id === h.snapshotId && (h.holdId === undefined || x.hold_id === h.holdId));
  if (onSnapshot.length === 0) {
    throw new HarmnetError('INPUT_INVALID', `no active legal hold${h.holdId !== undefined ? ` ${h.holdId}` : ''} on snapshot ${h.snapshotId}`);
  }
  if (onSnapshot.length > 1) {
    throw new HarmnetError('INPUT_INVALID', `snapshot ${h.snapshotId} has ${onSnapshot.length} legal holds (${onSnapshot.map((x) => x.hold_id).join(', ')}); say which with --hold ID`);
  }
  const hold = onSnapshot[0]!;
  appendRetentionEvent(snapshotsDir, { action: 'hold_remove', hold_id: hold.hold_id, snapshot_id: h.snapshotId, reason, by }, h.at);
  return hold;
}

function text(flag: string, value: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new HarmnetError('INPUT_INVALID', `a legal hold needs ${flag} (non-empty)`);
  if (/[\r\n]/.test(v)) throw new HarmnetError('INPUT_INVALID', `${flag} must be one line`);
  if (v.length > 500) throw new HarmnetError('INPUT_INVALID', `${flag} is longer than 500 characters`);
  return v;
}
