// What a partner request must state and how much a partner may ask: the configured legal bases and
// the per-partner size and rate limits (safeguards 14). Pure values and checks; no I/O.

import { HarmnetError } from '../core/errors.ts';

/** The legal bases a partner may cite (code → what it means). */
export const LEGAL_BASES: Readonly<Record<string, string>> = Object.freeze({
  'DPA2018-PART3': 'Data Protection Act 2018 Part 3 (law-enforcement processing)',
  'CDA1998-S115': 'Crime and Disorder Act 1998 s.115 (disclosure to relevant authorities)',
  'DPA2018-SCH2-P1-2': 'Data Protection Act 2018 Sch. 2 Part 1 para. 2 (crime and taxation)',
});

/** Per-partner limits: rows in one request, requests per rolling hour, rows per rolling day. */
export interface PartnerLimits {
  maxRowsPerRequest: number;
  maxRequestsPerHour: number;
  maxRowsPerDay: number;
}
export const PARTNER_LIMITS: Readonly<PartnerLimits> = Object.freeze({ maxRowsPerRequest: 5000, maxRequestsPerHour: 60, maxRowsPerDay: 50_000 });

export interface RequestMeta {
  partner: string;
  officer: string;
  purpose: string;
  legalBasis: string;
  username?: string | null;
  channel: 'api' | 'cli';
}

/** Validates who asks, why and under what law; every problem in one message. */
export function validateMeta(m: Partial<RequestMeta>): RequestMeta {
  const problems: string[] = [];
  const text = (field: string, v: unknown, max: number) => {
    const s = typeof v === 'string' ? v.trim() : '';
    if (!s) problems.push(`field ${field}: required`);
    else if (s.length > max) problems.push(`field ${field}: longer than ${max} characters`);
    return s;
  };
  const partner = text('partner', m.partner, 100);
  const officer = text('officer', m.officer, 100);
  const purpose = text('purpose', m.purpose, 500);
  if (purpose && purpose.length < 10) problems.push('field purpose: state the purpose in at least 10 characters');
  const legalBasis = typeof m.legalBasis === 'string' ? m.legalBasis.trim() : '';
  if (!legalBasis) problems.push(`field legal_basis: required (one of ${Object.keys(LEGAL_BASES).join(', ')})`);
  else if (!LEGAL_BASES[legalBasis]) problems.push(`field legal_basis: "${legalBasis.slice(0, 40)}" is not a configured legal basis (one of ${Object.keys(LEGAL_BASES).join(', ')})`);
  if (problems.length > 0) throw new HarmnetError('INPUT_INVALID', `partner match request: ${problems.join('; ')}`);
  return { partner, officer, purpose, legalBasis, username: m.username ?? null, channel: m.channel ?? 'api' };
}
