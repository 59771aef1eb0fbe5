// Recency decay of a link's evidence: halves every `halfLifeMonths` months of age (continuous),
// with a month = 365.25 / 12 days, so 12 months = 365.25 days keeps exactly 1/2.

import { DAYS_PER_YEAR } from '../harm/recency-decay.ts';

export function edgeDecay(ageDays: number, halfLifeMonths: number): number {
  return Math.pow(0.5, ageDays / ((halfLifeMonths * DAYS_PER_YEAR) / 12));
}
