// Harm per nominal from their own SUSPECT/OFFENDER crime records: CCHI days and ONS CSS weight side by
// side, recency-decayed, proven/alleged apart, one explanation row per record summing exactly to the score.
// CCHI: Sherman, Neyroud & Neyroud (2016), Policing 10(3):171–183. ONS: Crime Severity Score methodology.
// This is the reference definition; pipelines/harm/*.sql implement the same rules at force scale and a
// test checks the two agree on a seeded random dataset.

import { ageInDays, ageInYears, recencyDecay, withinLookback } from './recency-decay.ts';
import { outcomeClass, outcomeFactor, outcomeRank, HARM_ROLES, type OutcomeClass } from './outcome-factor.ts';
import { CONTRIBUTION_GRID_BITS, DECAYED_GRID_BITS, exactSum, onGrid } from './exact-sum.ts';
import { harmBand, type HarmBand } from './harm-band.ts';
import { nominalOfIdentity, offenceKey, type InvolvementRow, type NominalRow, type NominalSourceRow, type OffenceRow, type PinsRow } from './harm-inputs.ts';

/** Roles that make a nominal someone who is scored (possibly 0). Anyone else is never scored. */
export const SCORED_ROLES = ['SUSPECT', 'OFFENDER', 'ARRESTED', 'SUBJECT', 'ASSOCIATE', 'PRISONER', 'FOUND_WITH'] as const;
/** Roles of people the tool must protect, not score: alone, they put a nominal on the safeguarding list. */
export const SAFEGUARDING_ROLES = ['VICTIM', 'WITNESS', 'MISSING'] as const;

export interface HarmOptions {
  asOf: string;
  lookbackYears: number;
  decayPerYear: number;
  allegedWeight: number;
  bands: { A: number; B: number; C: number };
}

export interface HarmExplanation {
  nominal_id: string;
  source: string;
  record_ref: string;
  identity_id: string;
  role: string;
  outcome: string | null;
  outcome_class: OutcomeClass;
  offence_code: string | null;
  offence_ref: string | null;
  record_date: string;
  age_days: number;
  cchi_days: number | null;
  ons_weight: number | null;
  decay_factor: number;
  outcome_factor: number;
  decayed_cchi: number | null;
  decayed_ons: number | null;
  contribution_cchi: number | null;
  contribution_ons: number | null;
}

export interface NominalHarm {
  nominal_id: string;
  scored: boolean;
  safeguarding_only: boolean;
  under_18: boolean | null;
  age_years: number | null;
  historic: boolean;
  last_record_date: string | null;
  in_custody: boolean;
  expected_release_date: string | null;
  last_release_date: string | null;
  licence_end_date: string | null;
  harm_cchi: number | null;
  harm_cchi_proven: number | null;
  harm_cchi_alleged: number | null;
  harm_ons: number | null;
  harm_ons_proven: number | null;
  harm_ons_alleged: number | null;
  harm_band: HarmBand | null;
  harm_rank: number | null;
  records_scored: number | null;
  unweighted_cchi_records: number | null;
  unweighted_ons_records: number | null;
}

export interface UnweightedOffence {
  measure: 'cchi' | 'ons';
  offence_code: string | null;
  offence_ref: string | null;
  records: number;
  nominals: number;
}

export interface SafeguardingEntry {
  nominal_id: string;
  roles: string[];
  under_18: boolean | null;
  records: number;
  last_record_date: string;
  historic: boolean;
}

export interface HarmInput {
  involvements: readonly InvolvementRow[];
  nominalSources: readonly NominalSourceRow[];
  nominals: readonly NominalRow[];
  offences: readonly OffenceRow[];
  pins: readonly PinsRow[];
}

export interface HarmResult {
  nominals: NominalHarm[];
  explanations: HarmExplanation[];
  unweighted: UnweightedOffence[];
  safeguarding: SafeguardingEntry[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Scores every nominal in `input.nominals` as at `opts.asOf`. Pure; no ethnicity is read or needed. */
export function nominalHarm(input: HarmInput, opts: HarmOptions): HarmResult {
  const nominalOf = nominalOfIdentity(input.nominalSources);
  const offences = new Map(input.offences.map((o) => [offenceKey(o.offence_code, o.offence_ref), o]));

  // Every record of every nominal: roles, dates (for historic / safeguarding).
  const byNominal = new Map<string, { nominal: string; row: InvolvementRow }[]>();
  for (const row of input.involvements) {
    const nominal = nominalOf.get(row.identity_id);
    if (nominal === undefined) continue;
    let list = byNominal.get(nominal);
    if (!list) byNominal.set(nominal, (list = []));
    list.push({ nominal, row });
  }

  // One harm-bearing row per (nominal, crime): best outcome, then identity_id, role, outcome text.
  const best = new Map<string, { nominal: string; row: InvolvementRow; cls: OutcomeClass }>();
  for (const [nominal, rows] of byNominal) {
    for (const { row } of rows) {
      if (row.source !== 'crime' || !(HARM_ROLES as readonly string[]).includes(row.role)) continue;
      if (!withinLookback(ageInDays(opts.asOf, row.record_date), opts.lookbackYears)) continue;
      const cls = outcomeClass(row.outcome);
      const key = `${nominal}\u0001${row.record_ref}`;
      const prev = best.get(key);
      if (
        !prev ||
        outcomeRank(cls) > outcomeRank(prev.cls) ||
        (outcomeRank(cls) === outcomeRank(prev.cls) &&
          (cmp(row.identity_id, prev.row.identity_id) || cmp(row.role, prev.row.role) || cmp(row.outcome ?? '', prev.row.outcome ?? '')) < 0)
      ) {
        best.set(key, { nominal, row, cls });
      }
    }
  }

  const explanations: HarmExplanation[] = [];
  for (const { nominal, row, cls } of best.values()) {
    const off = offences.get(offenceKey(row.offence_code, row.offence_ref));
    const cchi = off?.cchi_days ?? null;
    const ons = off && off.ons_status === 'found' ? off.ons_weight : null;
    const age = ageInDays(opts.asOf, row.record_date);
    const decay = recencyDecay(age, opts.decayPerYear);
    const factor = outcomeFactor(cls, opts.allegedWeight);
    const decayedCchi = cchi === null ? null : onGrid(cchi * decay, DECAYED_GRID_BITS);
    const decayedOns = ons === null ? null : onGrid(ons * decay, DECAYED_GRID_BITS);
    explanations.push({
      nominal_id: nominal,
      source: row.source,
      record_ref: row.record_ref,
      identity_id: row.identity_id,
      role: row.role,
      outcome: row.outcome,
      outcome_class: cls,
      offence_code: row.offence_code,
      offence_ref: row.offence_ref,
      record_date: row.record_date,
      age_days: age,
      cchi_days: cchi,
      ons_weight: ons,
      decay_factor: decay,
      outcome_factor: factor,
      decayed_cchi: decayedCchi,
      decayed_ons: decayedOns,
      contribution_cchi: decayedCchi === null ? null : onGrid(decayedCchi * factor, CONTRIBUTION_GRID_BITS),
      contribution_ons: decayedOns === null ? null : onGrid(decayedOns * factor, CONTRIBUTION_GRID_BITS),
    });
  }
  explanations.sort((a, b) => cmp(a.nominal_id, b.nominal_id) || cmp(a.record_date, b.record_date) || cmp(a.record_ref, b.record_ref));
  const explByNominal = new Map<string, HarmExplanation[]>();
  for (const e of explanations) {
    let l = explByNominal.get(e.nominal_id);
    if (!l) explByNominal.set(e.nominal_id, (l = []));
    l.push(e);
  }

  const pinsByNominal = new Map<string, PinsRow[]>();
  for (const p of input.pins) {
    const n = nominalOf.get(p.identity_id);
    if (n === undefined) continue;
    let l = pinsByNominal.get(n);
    if (!l) pinsByNominal.set(n, (l = []));
    l.push(p);
  }

  const nominals: NominalHarm[] = [];
  const safeguarding: SafeguardingEntry[] = [];
  for (const nom of [...input.nominals].sort((a, b) => cmp(a.nominal_id, b.nominal_id))) {
    const rows = (byNominal.get(nom.nominal_id) ?? []).map((r) => r.row);
    const roles = [...new Set(rows.map((r) => r.role))].sort(cmp);
    const scored = roles.some((r) => (SCORED_ROLES as readonly string[]).includes(r));
    const safeguardingOnly = !scored && roles.some((r) => (SAFEGUARDING_ROLES as readonly string[]).includes(r));
    const lastRecord = rows.length ? rows.map((r) => r.record_date).reduce((a, b) => (a > b ? a : b)) : null;
    const historic = lastRecord === null || !withinLookback(ageInDays(opts.asOf, lastRecord), opts.lookbackYears);
    const ageYears = nom.date_of_birth ? ageInYears(opts.asOf, nom.date_of_birth) : null;
    let under18: boolean | null = ageYears !== null ? ageYears < 18 : null;
    if (ageYears === null && lastRecord !== null) {
      const flags = rows.filter((r) => r.record_date === lastRecord).map((r) => r.under_18);
      under18 = flags.some((f) => f === true) ? true : flags.some((f) => f === false) ? false : null;
    }
    const custody = pinsStatus(pinsByNominal.get(nom.nominal_id) ?? [], opts.asOf);
    const expl = explByNominal.get(nom.nominal_id) ?? [];
    const sumOf = (pick: (e: HarmExplanation) => number | null, keep: (e: HarmExplanation) => boolean = () => true) =>
      exactSum(expl.filter(keep).map(pick).filter((v): v is number => v !== null));
    const harmCchi = scored ? sumOf((e) => e.contribution_cchi) : null;
    nominals.push({
      nominal_id: nom.nominal_id,
      scored,
      safeguarding_only: safeguardingOnly,
      under_18: under18,
      age_years: ageYears,
      historic,
      last_record_date: lastRecord,
      ...custody,
      harm_cchi: harmCchi,
      harm_cchi_proven: scored ? sumOf((e) => e.contribution_cchi, (e) => e.outcome_class === 'proven') : null,
      harm_cchi_alleged: scored ? sumOf((e) => e.decayed_cchi, (e) => e.outcome_class === 'alleged') : null,
      harm_ons: scored ? sumOf((e) => e.contribution_ons) : null,
      harm_ons_proven: scored ? sumOf((e) => e.contribution_ons, (e) => e.outcome_class === 'proven') : null,
      harm_ons_alleged: scored ? sumOf((e) => e.decayed_ons, (e) => e.outcome_class === 'alleged') : null,
      harm_band: scored ? harmBand(harmCchi, opts.bands) : null,
      harm_rank: null,
      records_scored: scored ? expl.length : null,
      unweighted_cchi_records: scored ? expl.filter((e) => e.cchi_days === null).length : null,
      unweighted_ons_records: scored ? expl.filter((e) => e.ons_weight === null).length : null,
    });
    if (safeguardingOnly && lastRecord !== null) {
      safeguarding.push({ nominal_id: nom.nominal_id, roles, under_18: under18, records: rows.length, last_record_date: lastRecord, historic });
    }
  }

  // Rank: scored, not historic, harm > 0; highest headline CCHI first, ties by nominal id.
  const ranked = nominals
    .filter((n) => n.scored && !n.historic && (n.harm_cchi ?? 0) > 0)
    .sort((a, b) => b.harm_cchi! - a.harm_cchi! || cmp(a.nominal_id, b.nominal_id));
  ranked.forEach((n, i) => (n.harm_rank = i + 1));

  return { nominals, explanations, unweighted: unweightedOffences(explanations), safeguarding };
}

/** in_custody (a spell received on or before as-of and not released by it) and release dates. */
export function pinsStatus(
  spells: readonly PinsRow[],
  asOf: string,
): { in_custody: boolean; expected_release_date: string | null; last_release_date: string | null; licence_end_date: string | null } {
  const started = spells.filter((s) => s.reception_date <= asOf);
  const current = started
    .filter((s) => s.actual_release_date === null || s.actual_release_date > asOf)
    .sort((a, b) => cmp(b.reception_date, a.reception_date) || cmp(a.prison_number, b.prison_number));
  const released = started.map((s) => s.actual_release_date).filter((d): d is string => d !== null && d <= asOf);
  const latest = [...started].sort((a, b) => cmp(b.reception_date, a.reception_date) || cmp(a.prison_number, b.prison_number))[0];
  return {
    in_custody: current.length > 0,
    expected_release_date: current[0]?.expected_release_date ?? null,
    last_release_date: released.length ? released.reduce((a, b) => (a > b ? a : b)) : null,
    licence_end_date: latest?.licence_end_date ?? null,
  };
}

/** Offence codes whose CCHI days or ONS weight is unknown, with how many records and nominals they hit. */
export function unweightedOffences(explanations: readonly HarmExplanation[]): UnweightedOffence[] {
  const acc = new Map<string, { u: UnweightedOffence; nominals: Set<string> }>();
  for (const e of explanations) {
    for (const measure of ['cchi', 'ons'] as const) {
      if ((measure === 'cchi' ? e.cchi_days : e.ons_weight) !== null) continue;
      const key = `${measure}\u0001${offenceKey(e.offence_code, e.offence_ref)}`;
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { u: { measure, offence_code: e.offence_code, offence_ref: e.offence_ref, records: 0, nominals: 0 }, nominals: new Set() }));
      a.u.records++;
      a.nominals.add(e.nominal_id);
    }
  }
  return [...acc.values()]
    .map(({ u, nominals }) => ({ ...u, nominals: nominals.size }))
    .sort((a, b) => cmp(a.measure, b.measure) || cmp(a.offence_code ?? '', b.offence_code ?? '') || cmp(a.offence_ref ?? '', b.offence_ref ?? ''));
}
