// Harm band on headline CCHI days: A ≥ bands.A, B ≥ bands.B, C ≥ bands.C, D > 0; none otherwise.
// Thresholds are configuration (config.harm.bands); an unscored nominal has no band.

export type HarmBand = 'A' | 'B' | 'C' | 'D';

export function harmBand(harmCchi: number | null, bands: { A: number; B: number; C: number }): HarmBand | null {
  if (harmCchi === null || !(harmCchi > 0)) return null;
  if (harmCchi >= bands.A) return 'A';
  if (harmCchi >= bands.B) return 'B';
  if (harmCchi >= bands.C) return 'C';
  return 'D';
}
