// Network harm trend over 4 and 12 weeks from the network's own history (ids are stable, see network-lineage).
// Rising = harm now exceeds harm k weeks ago by at least `minRise` (share); the series is the evidence.

import { addDays } from '../../pipelines/core/dates.ts';

export { addDays };
export interface HarmPoint {
  period: string;
  harm: number;
}

export interface HarmTrend {
  network_id: string;
  harm: number;
  /** Harm 4 / 12 weeks before (the nearest earlier week at or before that point, within the window), or null. */
  harm_4w: number | null;
  harm_12w: number | null;
  rising_4w: boolean;
  rising_12w: boolean;
  series: HarmPoint[];
}

export const HARM_TREND_DEFAULTS = { minRise: 0.1 };

/** `history` per network: earlier weekly harm (oldest first or any order), periods as ISO dates. */
export function harmTrend(networkId: string, period: string, harm: number, history: readonly HarmPoint[], options = HARM_TREND_DEFAULTS): HarmTrend {
  const series = [...history.filter((h) => h.period < period), { period, harm }].sort((a, b) => (a.period < b.period ? -1 : 1));
  const back = (weeks: number): number | null => {
    const cutoff = addDays(period, -7 * weeks);
    // the latest point at or before the cutoff, but not older than the window allows (one extra week of slack)
    const floor = addDays(cutoff, -7);
    const candidates = series.filter((h) => h.period <= cutoff && h.period >= floor);
    return candidates.length ? candidates[candidates.length - 1]!.harm : null;
  };
  const harm_4w = back(4);
  const harm_12w = back(12);
  const rises = (before: number | null) => before !== null && harm > before * (1 + options.minRise) && harm > before;
  return { network_id: networkId, harm, harm_4w, harm_12w, rising_4w: rises(harm_4w), rising_12w: rises(harm_12w), series: series.filter((h) => h.period >= addDays(period, -7 * 12)) };
}

