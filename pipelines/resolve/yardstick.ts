// The PHIA Probability Yardstick (2025) as a function: a probability in [0, 1] → its term.
// The published ranges leave gaps (5–10 %, 20–25 %, …); a gap takes the term BELOW it, so a match
// is never described more confidently than the yardstick allows. 100 % is still "Almost Certain".

import { HarmnetError } from '../core/errors.ts';

/** Lower bounds (%) as published in data-fixtures/reference/phia_probability_yardstick_2025.csv. */
export const YARDSTICK: readonly { term: string; lowerPct: number; upperPct: number }[] = [
  { term: 'Remote Chance', lowerPct: 0, upperPct: 5 },
  { term: 'Highly Unlikely', lowerPct: 10, upperPct: 20 },
  { term: 'Unlikely', lowerPct: 25, upperPct: 35 },
  { term: 'Realistic Possibility', lowerPct: 40, upperPct: 50 },
  { term: 'Likely or Probable', lowerPct: 55, upperPct: 75 },
  { term: 'Highly Likely', lowerPct: 80, upperPct: 90 },
  { term: 'Almost Certain', lowerPct: 95, upperPct: 100 },
];

export function yardstickTerm(probability: number): string {
  if (!Number.isFinite(probability) || probability < 0 || probability > 1) {
    throw new HarmnetError('INPUT_INVALID', `yardstick: probability must be within [0, 1], got ${probability}`);
  }
  const pct = probability * 100;
  let term = YARDSTICK[0]!.term;
  for (const band of YARDSTICK) if (pct >= band.lowerPct - 1e-9) term = band.term;
  return term;
}
