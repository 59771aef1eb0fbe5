// Plain-data shapes of the warehouse rows harm and edges read (curated.*, person.*), named as the
// columns are, so tests can insert the same objects the pure functions take.

export interface InvolvementRow {
  source: 'crime' | 'custody' | 'intel' | 'pins' | 'missing';
  record_ref: string;
  group_ref: string | null;
  identity_id: string;
  person_ref: string;
  role: string;
  outcome: string | null;
  record_date: string;
  offence_code: string | null;
  offence_ref: string | null;
  topic: string | null;
  under_18: boolean | null;
}

export interface NominalSourceRow {
  nominal_id: string;
  source: string;
  person_ref: string;
  identity_id: string;
  match_probability: number | null;
}

export interface NominalRow {
  nominal_id: string;
  date_of_birth: string | null;
}

export interface OffenceRow {
  offence_code: string;
  offence_ref: string | null;
  cchi_days: number | null;
  cchi_rule: string | null;
  classification_code: string | null;
  ons_weight: number | null;
  ons_status: 'found' | 'missing';
}

export interface PinsRow {
  person_ref: string;
  identity_id: string;
  prison_number: string;
  establishment: string | null;
  reception_date: string;
  expected_release_date: string | null;
  actual_release_date: string | null;
  licence_end_date: string | null;
}

/** Key for (offence_code, offence_ref) with NULL matching NULL, as `IS NOT DISTINCT FROM`. */
export function offenceKey(code: string | null, ref: string | null): string {
  return `${code ?? '\u0000'}\u0001${ref ?? '\u0000'}`;
}

/** identity_id → nominal_id. */
export function nominalOfIdentity(sources: readonly NominalSourceRow[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of sources) m.set(s.identity_id, s.nominal_id);
  return m;
}
