// Recency decay of a record's harm and the look-back window, both measured in days as at `as_of`.
// Continuous: × perYear^(age_days / 365.25), so a record 365.25 days old keeps exactly 2/3 by default.

export const DAYS_PER_YEAR = 365.25;
const MS_PER_DAY = 86_400_000;

/** Whole days from `date` to `asOf` (ISO `YYYY-MM-DD`), clamped at 0 for records dated after the as-of. */
export function ageInDays(asOf: string, date: string): number {
  const diff = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / MS_PER_DAY);
  return diff > 0 ? diff : 0;
}

/** The factor a record keeps after `ageDays`: perYear^(ageDays / 365.25). */
export function recencyDecay(ageDays: number, perYear: number): number {
  return Math.pow(perYear, ageDays / DAYS_PER_YEAR);
}

/** True when a record of this age is inside a look-back of `years` (age_days ≤ years × 365.25). */
export function withinLookback(ageDays: number, years: number): boolean {
  return ageDays <= years * DAYS_PER_YEAR;
}

/** Whole years of age at `asOf` for someone born on `dob` (birthday not yet reached → one less). */
export function ageInYears(asOf: string, dob: string): number {
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}
