// The data_quality snapshot table (source, check, value): a replacement for the one in
// pipelines/run/snapshot-tables.ts that keeps its rows and adds files, rejects, sources and identity gaps.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SnapshotTable } from '../snapshot/write-snapshot.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** SQL read from data_quality.sql (comments stripped so it can sit inside the snapshot's COPY subquery). */
export function dataQualitySnapshotTable(): SnapshotTable {
  const sql = readFileSync(path.join(here, 'data_quality.sql'), 'utf8')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .trim();
  return { name: 'data_quality', sql, orderBy: 'source, "check"' };
}
