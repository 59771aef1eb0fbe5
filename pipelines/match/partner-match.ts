// One partner match request end to end, shared by the API and the CLI: validate who/why/what, check
// limits, match against one snapshot, log it (or log the refusal), and answer with the caveats.

import { CAVEATS_VERSION, caveatsAsText } from '../../dashboards/caveats.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db.ts';
import { HarmnetError, isHarmnetError } from '../core/errors.ts';
import type { Matcher, RowResult } from './matcher.ts';
import { parsePartnerCsv, parsePartnerJson, type PartnerRow } from './partner-input.ts';
import { admit, logCompleted, logRefused, partnerView, type Admission, type PartnerRowView } from './partner-log.ts';
import { LEGAL_BASES, PARTNER_LIMITS, validateMeta, type PartnerLimits, type RequestMeta } from './partner-policy.ts';

export interface PartnerMatchDeps {
  serving: Db;
  matcher: Matcher;
  config: Pick<Config, 'resolution'>;
  clock: () => Date;
  limits?: PartnerLimits;
}

export type PartnerInput = { csv: Uint8Array; name?: string } | { json: unknown; name?: string };

export interface PartnerMatchResponse {
  request_id: string;
  snapshot_id: string;
  as_of: string;
  legal_basis: { code: string; text: string };
  caveats_version: string;
  caveats: string[];
  /** How NO_MATCH and possible matches are to be read (the same text on every response). */
  notes: string[];
  rows: (PartnerRowView & { snapshot_id: string; as_of: string })[];
}

export const RESPONSE_NOTES = [
  'NO_MATCH means the person was not found in the networks held; no score is given.',
  'POSSIBLE_MATCH is reviewed by the analytics lab; the harm score is shown only once the lab confirms it.',
  'Confidence uses the PHIA Probability Yardstick. Harm is the Cambridge Crime Harm Index (days), split into proven and alleged.',
];

export async function partnerMatch(deps: PartnerMatchDeps, meta: Partial<RequestMeta>, input: PartnerInput): Promise<PartnerMatchResponse> {
  const at = deps.clock();
  let rows: PartnerRow[] = [];
  let checked: RequestMeta;
  let admission: Admission;
  try {
    checked = validateMeta(meta);
    rows = 'csv' in input ? parsePartnerCsv(input.csv, input.name ?? 'upload') : parsePartnerJson(input.json, input.name ?? 'request');
    // Counted against the partner's limits from here (so concurrent requests cannot pass them together); released if not completed.
    admission = await admit(deps.serving, checked.partner, rows.length, at, deps.limits ?? PARTNER_LIMITS);
  } catch (e) {
    if (isHarmnetError(e)) await logRefused(deps.serving, meta, rows.length, at, e.message);
    throw e;
  }
  const snapshot = { id: deps.matcher.snapshotId, asOf: deps.matcher.asOf };
  let results: RowResult[];
  let requestId: string;
  try {
    results = await deps.matcher.match(rows, deps.config.resolution);
    if (results.length !== rows.length) throw new HarmnetError('RUN_FAILED', `partner match: ${rows.length} rows in, ${results.length} out`);
    requestId = await logCompleted(deps.serving, checked, rows, results, snapshot, at);
  } catch (e) {
    admission.release();
    throw e;
  }
  return {
    request_id: requestId,
    snapshot_id: snapshot.id,
    as_of: snapshot.asOf,
    legal_basis: { code: checked.legalBasis, text: LEGAL_BASES[checked.legalBasis]! },
    caveats_version: CAVEATS_VERSION,
    caveats: caveatsAsText(),
    notes: RESPONSE_NOTES,
    rows: results.map((r) => ({
      ...partnerView({ ...r, review_status: r.status === 'POSSIBLE_MATCH' ? 'PENDING' : null }),
      snapshot_id: snapshot.id,
      as_of: snapshot.asOf,
    })),
  };
}
