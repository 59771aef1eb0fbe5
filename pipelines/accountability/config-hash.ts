// The configuration's identity for the deployment log and reports: sha256 of its canonical JSON with
// the installation's file paths left out (two installations with the same analytic settings agree).

import { createHash } from 'node:crypto';
import { canonicalJson } from '../snapshot/snapshot-manifest.ts';

export function configHash(config: Readonly<Record<string, unknown>> | object): string {
  const { paths: _paths, ...analytic } = config as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson(analytic)).digest('hex').slice(0, 16);
}
