// The append-only export log `<snapshots>/export-log.jsonl`: every disclosure and subject-access export
// (who, what, which snapshot, when). Same hash-chained line format as snapshot/retention-log.ts.

import { chainedLog, type Chained } from '../core/chained-log.ts';

export const EXPORT_LOG = 'export-log.jsonl';

/** No personal data beyond the subject's id: no names, no output paths, no record contents. */
export interface ExportEvent {
  action: 'disclosure' | 'subject_access';
  subject_type: 'nominal' | 'network';
  subject_id: string;
  snapshot_ids: string[];
  by: string;
  bundle_sha256: string;
  /** For a network disclosure: the member nominal ids whose figures went into the bundle. */
  member_ids?: string[];
}

export type LoggedExport = Chained<ExportEvent>;

const log = (snapshotsDir: string) => chainedLog<ExportEvent>(snapshotsDir, EXPORT_LOG, 'AUDIT_CHAIN_BROKEN');

/** Reads and checks the whole chain; an unterminated last line (an append cut short) is ignored. */
export function readExportLog(snapshotsDir: string): LoggedExport[] {
  return log(snapshotsDir).read();
}

/** Appends one export (under a lock file, fsynced) and returns it as logged. */
export function appendExportEvent(snapshotsDir: string, event: ExportEvent, at: Date): LoggedExport {
  return log(snapshotsDir).append(event, at);
}
