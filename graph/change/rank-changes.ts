// Ranks per influence measure and their week-on-week and 12-week changes; who may appear in a key-nominals list.
// Only nominals with a harm band are ranked (victims and safeguarding-only nominals never are); ordinal ranks, ties by id.

export const RANKED_MEASURES = ['degree', 'weighted_degree', 'pagerank', 'eigenvector', 'betweenness', 'closeness', 'key_player_impact'] as const;
export type Measure = (typeof RANKED_MEASURES)[number];

/** Rank 1 = highest value; equal values are ordered by id so ranks are total and reproducible. */
export function ranks(values: ReadonlyMap<string, number>, eligible: (id: string) => boolean): Map<string, number> {
  const ids = [...values.keys()].filter(eligible);
  ids.sort((a, b) => values.get(b)! - values.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  return new Map(ids.map((id, i) => [id, i + 1]));
}

/**
 * The same ranking over a column aligned with sorted node ids: rank per node (1 = highest), 0 = not ranked.
 * Index order is id order, so ties broken by index are ties broken by id, as in `ranks`.
 */
export function rankColumn(values: Float64Array, eligible: Uint8Array): Int32Array {
  let k = 0;
  for (let i = 0; i < eligible.length; i++) if (eligible[i]) k++;
  const order = new Int32Array(k);
  k = 0;
  for (let i = 0; i < eligible.length; i++) if (eligible[i]) order[k++] = i;
  order.sort((a, b) => values[b]! - values[a]! || a - b);
  const rank = new Int32Array(values.length);
  for (let r = 0; r < order.length; r++) rank[order[r]!] = r + 1;
  return rank;
}

export interface RankChange {
  nominal_id: string;
  measure: Measure;
  rank: number;
  /** Earlier rank − current rank: positive = rose. Null when not ranked in that week. */
  change_1w: number | null;
  change_12w: number | null;
}

/** `earlier1w` / `earlier12w`: the ranks of 1 and 12 weeks before, per measure (absent when there is no such week). */
export function rankChanges(
  current: ReadonlyMap<Measure, ReadonlyMap<string, number>>,
  earlier1w: ReadonlyMap<Measure, ReadonlyMap<string, number>> | null,
  earlier12w: ReadonlyMap<Measure, ReadonlyMap<string, number>> | null,
): RankChange[] {
  const out: RankChange[] = [];
  for (const measure of RANKED_MEASURES) {
    const now = current.get(measure);
    if (!now) continue;
    for (const [nominal_id, rank] of now) {
      const a = earlier1w?.get(measure)?.get(nominal_id);
      const b = earlier12w?.get(measure)?.get(nominal_id);
      out.push({ nominal_id, measure, rank, change_1w: a === undefined ? null : a - rank, change_12w: b === undefined ? null : b - rank });
    }
  }
  return out;
}

/**
 * "Gaining influence": the largest week-on-week rises in a measure. Safeguard 6: nobody without a harm band
 * (victims, safeguarding-only), and no under-18 unless their inclusion has a recorded review.
 */
export function gainingInfluence(
  changes: readonly RankChange[],
  measure: Measure,
  people: { banded: ReadonlySet<string>; under18: ReadonlySet<string>; reviewed: ReadonlySet<string> },
  limit = 20,
): RankChange[] {
  return changes
    .filter((c) => c.measure === measure && c.change_1w !== null && c.change_1w > 0)
    .filter((c) => keyNominalAllowed(c.nominal_id, people))
    .sort((a, b) => b.change_1w! - a.change_1w! || a.rank - b.rank)
    .slice(0, limit);
}

export function keyNominalAllowed(id: string, people: { banded: ReadonlySet<string>; under18: ReadonlySet<string>; reviewed: ReadonlySet<string> }): boolean {
  return people.banded.has(id) && (!people.under18.has(id) || people.reviewed.has(id));
}
