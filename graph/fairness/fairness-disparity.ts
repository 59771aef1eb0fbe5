// Disparity of a protected characteristic across cohorts (harm bands, top-influence lists, network
// membership) against all nominals: share, baseline share, ratio and a flag with a minimum cell size.

export interface CohortCount {
  attribute: string;
  group: string;
  /** 'all' is the baseline cohort (every nominal in the data); others: 'A'…'D', 'top100_pagerank', 'network_member'. */
  cohort: string;
  count: number;
}

export interface FairnessOptions {
  disparityThreshold: number;
  minCellSize: number;
  /** Optional population shares per attribute → group → share. */
  populationShares?: Record<string, Record<string, number>>;
}

export interface FairnessRow {
  attribute: string;
  group: string;
  harm_band: string;
  count: number;
  share: number;
  baseline_share: number;
  population_share: number | null;
  disparity_ratio: number | null;
  population_ratio: number | null;
  flagged: boolean;
}

export const BASELINE_COHORT = 'all';

/**
 * For every attribute × cohort × group present in the baseline: count, share of the cohort,
 * share among all nominals, disparity ratio = share / baseline_share (NULL when the baseline is 0),
 * flagged when the ratio exceeds the threshold and the count reaches the minimum cell size.
 * Groups missing from a cohort appear with count 0 so under-representation is visible too.
 * Output order: attribute, cohort, group (byte-stable).
 */
export function fairnessDisparity(counts: CohortCount[], opts: FairnessOptions): FairnessRow[] {
  const key = (a: string, c: string, g: string) => `${a}\u0000${c}\u0000${g}`;
  const byKey = new Map<string, number>();
  const cohortTotal = new Map<string, number>();
  const groups = new Map<string, Set<string>>();
  const cohorts = new Map<string, Set<string>>();
  for (const r of counts) {
    byKey.set(key(r.attribute, r.cohort, r.group), (byKey.get(key(r.attribute, r.cohort, r.group)) ?? 0) + r.count);
    const ck = `${r.attribute}\u0000${r.cohort}`;
    cohortTotal.set(ck, (cohortTotal.get(ck) ?? 0) + r.count);
    if (!groups.has(r.attribute)) groups.set(r.attribute, new Set());
    if (!cohorts.has(r.attribute)) cohorts.set(r.attribute, new Set());
    if (r.cohort === BASELINE_COHORT) groups.get(r.attribute)!.add(r.group);
    cohorts.get(r.attribute)!.add(r.cohort);
  }
  const rows: FairnessRow[] = [];
  for (const attribute of [...cohorts.keys()].sort()) {
    const baseTotal = cohortTotal.get(`${attribute}\u0000${BASELINE_COHORT}`) ?? 0;
    for (const cohort of [...cohorts.get(attribute)!].sort()) {
      const total = cohortTotal.get(`${attribute}\u0000${cohort}`) ?? 0;
      for (const group of [...groups.get(attribute)!].sort()) {
        const count = byKey.get(key(attribute, cohort, group)) ?? 0;
        const base = byKey.get(key(attribute, BASELINE_COHORT, group)) ?? 0;
        const share = total > 0 ? count / total : 0;
        const baselineShare = baseTotal > 0 ? base / baseTotal : 0;
        const pop = opts.populationShares?.[attribute]?.[group];
        const populationShare = typeof pop === 'number' ? pop : null;
        const ratio = baselineShare > 0 ? share / baselineShare : null;
        rows.push({
          attribute,
          group,
          harm_band: cohort,
          count,
          share,
          baseline_share: baselineShare,
          population_share: populationShare,
          disparity_ratio: ratio,
          population_ratio: populationShare && populationShare > 0 ? share / populationShare : null,
          flagged: cohort !== BASELINE_COHORT && ratio !== null && ratio > opts.disparityThreshold && count >= opts.minCellSize,
        });
      }
    }
  }
  return rows;
}

/** Age groups at the as-of date, in years completed (documented in docs/accountability.md). */
export const AGE_GROUPS = ['under 18', '18-24', '25-34', '35-44', '45-54', '55+'] as const;

export function ageGroup(ageYears: number | null): string {
  if (ageYears === null || Number.isNaN(ageYears)) return 'unknown';
  if (ageYears < 18) return 'under 18';
  if (ageYears < 25) return '18-24';
  if (ageYears < 35) return '25-34';
  if (ageYears < 45) return '35-44';
  if (ageYears < 55) return '45-54';
  return '55+';
}
